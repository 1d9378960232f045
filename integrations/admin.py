"""Django admin: integrations (secrets masked, write-only) and the webhook delivery log (filter, replay).

django-celery-beat registers its own admin for the periodic tasks (Periodic tasks → integrations: sync …).
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join

from accounts import policy
from timetracker.errors import admin_message

from . import services
from .connectors.base import connector_classes, get_connector_class
from .models import Integration, WebhookDelivery, WebhookRejection


def _secret_choices():
    return [(spec.name, f"{cls.name}: {spec.label}") for cls in connector_classes() for spec in cls.secret_fields]


class IntegrationAdminForm(forms.ModelForm):
    provider = forms.ChoiceField(choices=())
    new_secret_name = forms.ChoiceField(choices=(), required=False, label="Set a secret")
    new_secret_value = forms.CharField(
        required=False,
        label="New value",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Replaces the stored value of the chosen secret. Leave blank to keep the secrets as they are.",
    )

    class Meta:
        model = Integration
        fields = ("provider", "owner", "is_active", "config")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "provider" in self.fields:
            self.fields["provider"].choices = [(cls.provider, cls.name) for cls in connector_classes()]
        self.fields["new_secret_name"].choices = [("", "—"), *_secret_choices()]

    def clean(self):
        data = super().clean()
        if data.get("new_secret_value") and not data.get("new_secret_name"):
            raise ValidationError({"new_secret_name": "Choose which secret the new value is for."})
        cls = get_connector_class(data.get("provider") or self.instance.provider)
        if cls is None:
            return data
        if data.get("new_secret_name") and data["new_secret_name"] not in {s.name for s in cls.secret_fields}:
            raise ValidationError({"new_secret_name": f"{cls.name} has no such secret."})
        try:
            data["config"], _ = cls.validate_config(data.get("config") or {}, {}, is_active=bool(data.get("is_active")))
        except ValidationError as exc:
            problems = exc.message_dict if hasattr(exc, "error_dict") else {"config": exc.messages}
            raise ValidationError({"config": [f"{k}: {' '.join(v)}" for k, v in problems.items()]}) from exc
        return data


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    form = IntegrationAdminForm
    list_display = ("provider", "owner", "is_active", "last_sync_at", "last_sync_status", "short_error")
    list_filter = ("provider", "is_active", "last_sync_status")
    readonly_fields = ("secrets_masked", "last_sync_at", "last_sync_status", "last_sync_counts", "last_error")
    fieldsets = (
        (None, {"fields": ("provider", "owner", "is_active", "config")}),
        ("Secrets", {"fields": ("secrets_masked", "new_secret_name", "new_secret_value")}),
        ("Status", {"fields": ("last_sync_at", "last_sync_status", "last_sync_counts", "last_error")}),
    )

    def get_readonly_fields(self, request, obj=None):
        # Provider and owner identify the integration; change them by adding another.
        return (*self.readonly_fields, "provider", "owner") if obj else self.readonly_fields

    @admin.display(description="Secrets")
    def secrets_masked(self, obj):
        stored = obj.secrets if obj and obj.pk else {}
        if getattr(stored, "unreadable", False):
            return "Stored secrets cannot be decrypted with the configured keys."
        if not stored:
            return "None set"
        return format_html_join(", ", "{}: ••••••••", ((name,) for name in sorted(stored)))

    @admin.display(description="Last error")
    def short_error(self, obj):
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        secrets = {data["new_secret_name"]: data["new_secret_value"]} if data.get("new_secret_value") else {}
        saved, generated = services.integration_configure(
            actor=request.user,
            provider=data.get("provider") or obj.provider,
            owner=data.get("owner", obj.owner),
            is_active=data.get("is_active", False),
            config=data.get("config") or {},
            secrets=secrets,
        )
        obj.pk = saved.pk
        obj._state.adding = False
        # Shown on the very next page and nowhere else: not through the messages framework, whose cookie or
        # session would hold the secret in plaintext.
        request._integration_generated_secrets = generated

    def _show_generated_once(self, request, obj, default):
        generated = getattr(request, "_integration_generated_secrets", None)
        if not generated:
            return default
        context = {
            **self.admin_site.each_context(request),
            "title": "Copy the new secret",
            "saved": f"The integration {obj}",
            "items": generated,
            "opts": self.model._meta,
            "continue_url": reverse("admin:integrations_integration_change", args=[obj.pk]),
            "continue_label": "Continue to the integration",
        }
        return TemplateResponse(request, "admin/shown_once.html", context)

    def response_add(self, request, obj, post_url_continue=None):
        return self._show_generated_once(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._show_generated_once(request, obj, super().response_change(request, obj))

    def has_module_permission(self, request):
        return policy.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.is_admin(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("received_at", "provider", "event", "action", "delivery_id", "status", "attempts", "integration")
    list_filter = ("status", "provider", "event")
    search_fields = ("delivery_id", "event", "action", "error", "detail")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]
    actions = ["replay"]

    @admin.action(description="Replay the selected failed deliveries")
    def replay(self, request, queryset):
        done = 0
        for delivery in queryset.select_related("integration"):
            try:
                outcome = services.webhook_delivery_replay(actor=request.user, delivery=delivery)
            except ValidationError as exc:
                self.message_user(request, f"Delivery {delivery.pk}: {admin_message(exc)}", messages.WARNING)
                continue
            done += 1
            level = messages.SUCCESS if outcome.status != WebhookDelivery.Status.FAILED else messages.ERROR
            self.message_user(request, f"Delivery {delivery.pk}: {outcome.status}. {outcome.detail}", level)
        if not done:
            self.message_user(request, "Nothing was replayed.", messages.INFO)

    def has_module_permission(self, request):
        return policy.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.is_admin(request.user)

    def has_change_permission(self, request, obj=None):
        # Read-only rows; "change" is what the replay action needs.
        return policy.is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return policy.is_admin(request.user)


@admin.register(WebhookRejection)
class WebhookRejectionAdmin(admin.ModelAdmin):
    """Refused webhook requests counted per provider, reason and day (read-only)."""

    list_display = ("day", "provider", "reason", "count")
    list_filter = ("provider", "reason")
    readonly_fields = [f.name for f in WebhookRejection._meta.fields]

    def has_module_permission(self, request):
        return policy.is_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return policy.is_admin(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
