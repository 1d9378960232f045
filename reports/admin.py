"""Django admin for saved reports, their tags, favourites, views, comments, annotations and notices.

Permissions come from accounts.policy (PolicyAdminMixin); edits of a report go through reports.services so the
definition is checked and the change recorded."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from accounts.admin import PolicyAdminMixin
from timetracker.errors import form_error

from . import services
from .definition import definition_clean
from .models import (
    Annotation,
    Comment,
    Favourite,
    Notice,
    ReportView,
    SavedReport,
    SavedReportTag,
    ShareLink,
    Subscription,
    SubscriptionDelivery,
)


class TagInline(admin.TabularInline):
    model = SavedReportTag
    extra = 0


class SavedReportAdminForm(forms.ModelForm):
    class Meta:
        model = SavedReport
        fields = ("name", "description", "definition", "visibility", "verified")

    def clean(self):
        cleaned = super().clean()
        if "definition" in cleaned:
            owner = self.instance.owner if self.instance.pk else self.actor
            try:
                cleaned["definition"] = definition_clean(cleaned["definition"], owner=owner)
            except ValidationError as exc:
                form_error(self, exc)
        return cleaned


@admin.register(SavedReport)
class SavedReportAdmin(PolicyAdminMixin, admin.ModelAdmin):
    form = SavedReportAdminForm
    list_display = ("name", "owner", "visibility", "verified", "updated_at")
    list_filter = ("visibility", "verified")
    search_fields = ("name", "description", "tags__name")
    readonly_fields = ("owner", "match_key", "created_by", "created_at", "updated_by", "updated_at", "verified_at")
    inlines = [TagInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        fields = {f: form.cleaned_data[f] for f in ("name", "description", "visibility", "definition", "verified")}
        if change:
            services.saved_report_update(actor=request.user, report=obj, **fields)
        else:
            saved = services.saved_report_create(actor=request.user, **fields)
            obj.pk = saved.pk
            obj._state.adding = False


@admin.register(Comment)
class CommentAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("report", "author", "created_at", "edited_at")
    raw_id_fields = ("report", "author")
    search_fields = ("text",)


@admin.register(Annotation)
class AnnotationAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("start", "end", "scope", "text", "author")
    list_filter = ("scope",)
    raw_id_fields = ("client", "project", "team", "user", "author")
    search_fields = ("text",)


@admin.register(Favourite)
class FavouriteAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("report", "user", "created_at")
    raw_id_fields = ("report", "user")


@admin.register(ReportView)
class ReportViewAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("report", "user", "day", "last_viewed_at")
    raw_id_fields = ("report", "user")
    date_hierarchy = "day"


@admin.register(Notice)
class NoticeAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("recipient", "report", "created_at", "read_at")
    raw_id_fields = ("recipient", "report", "comment")


@admin.register(ShareLink)
class ShareLinkAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Every share link (admins only: no access rule is registered for them). Links are made from a saved report's
    Share page or the API, never here; the token is not stored, so it cannot be shown."""

    list_display = ("report", "created_by", "kind", "created_at", "expires_at", "revoked_at", "views", "last_viewed_at")
    list_filter = ("kind", "members_only", "show_names", "allow_csv", ("revoked_at", admin.EmptyFieldListFilter))
    search_fields = ("report__name", "note", "created_by__username")
    raw_id_fields = ("report", "created_by")
    readonly_fields = (
        "report",
        "created_by",
        "kind",
        "expires_at",
        "has_password",
        "members_only",
        "show_names",
        "allow_csv",
        "note",
        "views",
        "last_viewed_at",
        "created_at",
        "revoked_at",
        "revoked_by",
    )
    fields = readonly_fields
    actions = ["revoke"]

    def has_add_permission(self, request, *args):
        return False

    @admin.display(boolean=True, description="Password")
    def has_password(self, obj):
        return obj.has_password

    @admin.action(description="Revoke the selected links (at once)")
    def revoke(self, request, queryset):
        for link in queryset.filter(revoked_at__isnull=True):
            services.share_link_revoke(actor=request.user, link=link)
        self.message_user(request, "Revoked the selected links.")


class DeliveryInline(admin.TabularInline):
    model = SubscriptionDelivery
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = ("period_key", "status", "attempts", "error", "claimed_at", "finished_at")
    fields = readonly_fields
    ordering = ["-claimed_at"]


@admin.register(Subscription)
class SubscriptionAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Scheduled deliveries of saved reports (admins only). Made by their subscribers (API or the report page); an
    admin may pause one (uncheck Active) or delete it, and sees why the last delivery failed."""

    list_display = ("report", "subscriber", "channel", "target", "frequency", "weekday", "day", "time", "active")
    list_filter = ("channel", "frequency", "active")
    search_fields = ("report__name", "subscriber__username", "target", "last_error")
    list_select_related = ("report", "subscriber")
    readonly_fields = (
        "report",
        "subscriber",
        "channel",
        "target",
        "frequency",
        "weekday",
        "day",
        "time",
        "last_error",
        "last_error_at",
        "created_at",
    )
    fields = (*readonly_fields, "active")
    inlines = [DeliveryInline]

    def has_add_permission(self, request, *args):
        return False


@admin.register(SubscriptionDelivery)
class SubscriptionDeliveryAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """The delivery ledger: one row per subscription and period, claimed before sending (read only)."""

    list_display = ("subscription", "period_key", "status", "attempts", "error", "claimed_at", "finished_at")
    list_filter = ("status",)
    search_fields = ("error", "period_key")
    readonly_fields = ("subscription", "period_key", "status", "attempts", "error", "claimed_at", "finished_at")
    fields = readonly_fields

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False
