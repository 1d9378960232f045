"""Django admin for the tracking domain. Permissions come from accounts.policy; writes go through services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.admin import PolicyAdminMixin
from timetracker.errors import form_error

from . import services
from .models import Client, Project, Source, Tag, Task, TimeEntry
from .services.catalog import CLIENT_FIELDS, PROJECT_FIELDS, TASK_FIELDS
from .services.entries import check_trackable, time_entry_validate
from .utils import format_duration


class ServiceSaveMixin:
    """Route admin saves through the catalog services so rules and signals apply."""

    service_create = None
    service_update = None
    service_fields: tuple[str, ...] = ()
    instance_kwarg = ""

    def _service_values(self, form):
        return {f: form.cleaned_data[f] for f in self.service_fields if f in form.cleaned_data}

    def save_model(self, request, obj, form, change):
        values = self._service_values(form)
        if change:
            saved = type(self).service_update(actor=request.user, **{self.instance_kwarg: obj}, **values)
        else:
            saved = type(self).service_create(actor=request.user, **values)
        obj.pk = saved.pk
        obj._state.adding = False


@admin.register(Client)
class ClientAdmin(PolicyAdminMixin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = ("name", "default_hourly_rate", "archived", "created_at")
    list_filter = ("archived",)
    search_fields = ("name", "contact")
    service_create = services.client_create
    service_update = services.client_update
    service_fields = CLIENT_FIELDS
    instance_kwarg = "client"


@admin.register(Project)
class ProjectAdmin(PolicyAdminMixin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = ("name", "code", "client", "billable", "hourly_rate", "budget_hours", "is_public", "archived")
    list_filter = ("archived", "billable", "is_public", "client")
    search_fields = ("name", "code", "client__name")
    autocomplete_fields = ("client",)
    filter_horizontal = ("teams", "members")
    list_select_related = ("client",)
    service_create = services.project_create
    service_update = services.project_update
    service_fields = PROJECT_FIELDS
    instance_kwarg = "project"


@admin.register(Task)
class TaskAdmin(PolicyAdminMixin, ServiceSaveMixin, admin.ModelAdmin):
    list_display = ("name", "project", "status", "priority", "assignee", "due_date", "source", "external_ref")
    list_filter = ("status", "priority", "source", "archived", "project")
    search_fields = ("name", "description", "external_ref", "project__name")
    autocomplete_fields = ("project", "assignee")
    list_select_related = ("project", "project__client", "assignee")
    service_create = services.task_create
    service_update = services.task_update
    service_fields = TASK_FIELDS
    instance_kwarg = "task"


@admin.register(Tag)
class TagAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


class TimeEntryAdminForm(forms.ModelForm):
    class Meta:
        model = TimeEntry
        fields = ("user", "project", "task", "start", "end", "notes", "tags", "billable", "source", "external_ref")

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if not self.instance.pk:
            self.fields["source"].initial = Source.ADMIN
            if actor is not None and "user" in self.fields:
                self.fields["user"].initial = actor.pk
        self.fields["billable"].help_text = "New entries default to the project's setting."

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        candidate = TimeEntry(
            pk=self.instance.pk,
            user=cleaned.get("user") or self.instance.user,
            project=cleaned["project"],
            task=cleaned.get("task"),
            start=cleaned["start"],
            end=cleaned.get("end"),
            notes=cleaned.get("notes", ""),
            billable=cleaned.get("billable", True),
            source=cleaned.get("source") or Source.ADMIN,
        )
        try:
            if self.instance.pk is None or "project" in self.changed_data or "task" in self.changed_data:
                check_trackable(candidate.user, candidate.project, candidate.task)
            time_entry_validate(candidate, reader=self.actor)
        except (ValidationError, PermissionDenied) as exc:
            form_error(self, exc, denied_field="project")
        return cleaned


@admin.register(TimeEntry)
class TimeEntryAdmin(PolicyAdminMixin, admin.ModelAdmin):
    form = TimeEntryAdminForm
    list_display = ("start", "end", "duration", "user", "project", "task", "billable", "source", "short_notes")
    list_filter = ("billable", "source", ("end", admin.EmptyFieldListFilter), "project__client", "project")
    search_fields = ("notes", "project__name", "task__name", "user__username", "user__email", "external_ref")
    date_hierarchy = "start"
    autocomplete_fields = ("user", "project", "task", "tags")
    list_select_related = ("user", "project", "project__client", "task")
    readonly_fields = ("duration", "created_at", "updated_at")
    ordering = ("-start",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class BoundForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, actor=actor, **kw)

        return BoundForm

    @admin.display(description="Duration", ordering="duration_seconds")
    def duration(self, obj):
        return format_duration(obj.duration_seconds) if obj.end else "running"

    @admin.display(description="Notes")
    def short_notes(self, obj):
        return (obj.notes[:60] + "…") if len(obj.notes) > 60 else obj.notes

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        values = {
            "project": data["project"],
            "task": data.get("task"),
            "start": data["start"],
            "end": data.get("end"),
            "notes": data.get("notes", ""),
            "billable": data.get("billable"),
            "external_ref": data.get("external_ref", ""),
        }
        tags = list(data.get("tags") or [])
        if change:
            saved = services.time_entry_update(actor=request.user, entry=obj, tags=tags, **values)
        else:
            saved = services.time_entry_create(
                actor=request.user, user=data["user"], tags=tags, source=data.get("source") or Source.ADMIN, **values
            )
        obj.pk = saved.pk
        obj.duration_seconds = saved.duration_seconds
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        # Tags were set by the service; the inline formsets (none today) still save normally.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.time_entry_delete(actor=request.user, entry=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for entry in queryset:
            services.time_entry_delete(actor=request.user, entry=entry)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("user")  # moving time to another person is a delete and a new entry
        return fields
