"""Django admin for users and teams, and the mixin that makes every admin page ask accounts.policy."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse

from timetracker.errors import admin_message

from . import policy, services
from .models import Team, User


class PolicyAdminMixin:
    """Admin permissions and querysets from the access policy, so the admin answers like the UI and API."""

    def get_queryset(self, request):
        return policy.visible(request.user, super().get_queryset(request))

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return policy.can(request.user, policy.VIEW, obj if obj is not None else self.model)

    def has_add_permission(self, request, *args):
        return policy.can(request.user, policy.CREATE, self.model)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return policy.can(request.user, policy.CREATE, self.model)
        return policy.can(request.user, policy.CHANGE, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is None:
            return policy.can(request.user, policy.CREATE, self.model)
        return policy.can(request.user, policy.DELETE, obj)


@admin.register(User)
class UserAdmin(PolicyAdminMixin, DjangoUserAdmin):
    list_display = ("username", "email", "full_name", "role", "is_active", "timezone", "last_login")
    list_filter = ("role", "is_active")
    search_fields = ("username", "email", "full_name", "first_name", "last_name")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Profile", {"fields": ("full_name", "email", "timezone", "rounding_mode", "rounding_minutes")}),
        ("Connections", {"fields": ("github_username", "slack_user_id")}),
        ("Access", {"fields": ("role", "is_active")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "email", "full_name", "role", "password1", "password2")}),
    )
    # Deactivation goes through the actions (recorded by who and when), not the is_active box.
    readonly_fields = (
        "is_active",
        "last_login",
        "date_joined",
        "deactivated_at",
        "deactivated_by",
        "erased_at",
        "erased_by",
    )
    actions = ("deactivate_users", "reactivate_users", "erase_users")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None:
            fieldsets = (
                *fieldsets,
                ("Privacy", {"fields": ("deactivated_at", "deactivated_by", "erased_at", "erased_by")}),
            )
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form_class

        class RoleCheckedForm(form_class):
            def clean_role(self):
                role = self.cleaned_data["role"]
                try:
                    services.user_role_validate(user=obj, role=role)
                except ValidationError as exc:
                    raise forms.ValidationError(exc.messages) from exc
                return role

        return RoleCheckedForm

    def save_model(self, request, obj, form, change):
        # Role changes go through the service: it refuses removing the last admin and announces the change.
        if change and "role" in form.changed_data:
            new_role = obj.role
            obj.role = User.objects.only("role").get(pk=obj.pk).role
            super().save_model(request, obj, form, change)
            services.user_role_set(actor=request.user, user=obj, role=new_role)
        else:
            super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not policy.can(request.user, policy.MANAGE_USERS):
            for name in ("deactivate_users", "reactivate_users", "erase_users"):
                actions.pop(name, None)
        return actions

    def _confirmed_privacy_action(self, request, queryset, *, service, title, verb, explanation):
        if not policy.can(request.user, policy.MANAGE_USERS):
            raise PermissionDenied
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": title,
                "users": list(queryset),
                "explanation": explanation,
                "verb": verb,
                "action": request.POST.get("action"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            }
            return TemplateResponse(request, "admin/accounts/user/privacy_action_confirm.html", context)
        done = 0
        for user in queryset:
            try:
                service(actor=request.user, user=user)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, f"{user.username}: {admin_message(exc)}", messages.ERROR)
        if done:
            self.message_user(request, f"{verb.capitalize()} {done} user(s).", messages.SUCCESS)
        return None

    @admin.action(description="Deactivate selected users (keeps their time)")
    def deactivate_users(self, request, queryset):
        return self._confirmed_privacy_action(
            request,
            queryset,
            service=services.user_deactivate,
            title="Deactivate users",
            verb="deactivated",
            explanation="They can no longer sign in; their profile and time stay, and you can reactivate them later.",
        )

    @admin.action(description="Reactivate selected users")
    def reactivate_users(self, request, queryset):
        return self._confirmed_privacy_action(
            request,
            queryset,
            service=services.user_reactivate,
            title="Reactivate users",
            verb="reactivated",
            explanation="They can sign in again with their existing sign-in methods.",
        )

    @admin.action(description="Erase selected users (anonymise; keeps their time anonymously)")
    def erase_users(self, request, queryset):
        return self._confirmed_privacy_action(
            request,
            queryset,
            service=services.user_erase,
            title="Erase users",
            verb="erased",
            explanation=(
                "Their name, username, email and connections are replaced by an anonymous placeholder; their sign-in "
                "links, two-factor devices, API tokens and integrations are deleted. Their time entries stay in "
                "reports under the placeholder. This cannot be undone."
            ),
        )

    def has_add_permission(self, request, *args):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_change_permission(self, request, obj=None):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_delete_permission(self, request, obj=None):
        return policy.can(request.user, policy.MANAGE_USERS)


@admin.register(Team)
class TeamAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "created_at")
    search_fields = ("name",)
    filter_horizontal = ("managers", "members")

    def has_add_permission(self, request, *args):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_change_permission(self, request, obj=None):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_delete_permission(self, request, obj=None):
        return policy.can(request.user, policy.MANAGE_USERS)


# --- API tokens -----------------------------------------------------------------------------------------------------

from .models import SCOPES, ApiToken  # noqa: E402
from .services import api_token_create, api_token_revoke, api_token_validate  # noqa: E402


class ApiTokenAddForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=[(s, s) for s in SCOPES], widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiToken
        fields = ("owner", "name", "scopes", "expires_at")

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            api_token_validate(
                user=cleaned["owner"], name=cleaned["name"], scopes=cleaned["scopes"], expires_at=cleaned["expires_at"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(ApiToken)
class ApiTokenAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Administrators create tokens for anyone (the token is shown once, in a message) and revoke them."""

    list_display = ("name", "owner", "prefix", "scope_list", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix", "owner__username")
    list_select_related = ("owner",)
    readonly_fields = ("owner", "name", "scopes", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    actions = ["revoke_tokens"]

    @admin.display(description="Scopes")
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def has_add_permission(self, request, *args):
        return policy.can(request.user, policy.MANAGE_USERS)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row keeps the record of what the token was

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        token, raw = api_token_create(
            actor=request.user,
            owner=data["owner"],
            name=data["name"],
            scopes=data["scopes"],
            expires_at=data.get("expires_at"),
        )
        obj.pk = token.pk
        obj._state.adding = False
        # Shown on the very next page and nowhere else: the messages framework's cookie is signed, not encrypted.
        request._api_token_shown_once = (token, raw)

    def response_add(self, request, obj, post_url_continue=None):
        created = getattr(request, "_api_token_shown_once", None)
        if created is None:
            return super().response_add(request, obj, post_url_continue)
        token, raw = created
        context = {
            **self.admin_site.each_context(request),
            "title": "Copy the new API token",
            "saved": f"The API token “{token.name}” for {token.owner}",
            "stored": "hashed",
            "items": {"token": raw},
            "opts": self.model._meta,
            "continue_url": reverse("admin:accounts_apitoken_changelist"),
            "continue_label": "Back to the API tokens",
        }
        return TemplateResponse(request, "admin/shown_once.html", context)

    @admin.action(description="Revoke selected tokens")
    def revoke_tokens(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)
        messages.success(request, f"Revoked {queryset.count()} token(s).")
