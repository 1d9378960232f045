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
from .models import Annotation, Comment, Favourite, Notice, ReportView, SavedReport, SavedReportTag


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
