"""Django admin for the tracking domain. Permissions come from accounts.policy; writes go through services."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import policy
from accounts.admin import PolicyAdminMixin
from timetracker.errors import admin_message, form_error

from . import services
from .models import ApprovalSettings, Client, PeriodLock, Project, Source, Tag, Task, TimeEntry, Timesheet
from .services.catalog import CLIENT_FIELDS, PROJECT_FIELDS, TASK_FIELDS
from .services.entries import check_trackable, time_entry_validate
from .services.locks import check_unlocked, lock_reason
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


class ActorFormMixin:
    """Give the admin's form the acting user (`actor=`), so its clean() checks what the services will."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        actor = request.user

        class BoundForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, actor=actor, **kw)

        return BoundForm


class TimeEntryAdminForm(forms.ModelForm):
    class Meta:
        model = TimeEntry
        fields = ("user", "project", "task", "start", "end", "notes", "tags", "billable", "source", "external_ref")

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        if policy.is_admin(actor):
            self.fields["override_reason"] = forms.CharField(
                required=False,
                max_length=500,
                label="Edit anyway: reason",
                help_text="Only to correct time in a locked period or an approved week. Recorded in the activity log "
                "with your name.",
            )
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
            check_unlocked(
                actor=self.actor,
                user=candidate.user,
                starts=[self.instance.start if self.instance.pk else None, candidate.start],
                override_reason=cleaned.get("override_reason", ""),
            )
            if self.instance.pk is None or "project" in self.changed_data or "task" in self.changed_data:
                check_trackable(candidate.user, candidate.project, candidate.task)
            time_entry_validate(candidate, reader=self.actor)
        except (ValidationError, PermissionDenied) as exc:
            form_error(self, exc, denied_field="project")
        return cleaned


@admin.register(TimeEntry)
class TimeEntryAdmin(ActorFormMixin, PolicyAdminMixin, admin.ModelAdmin):
    form = TimeEntryAdminForm
    list_display = ("start", "end", "duration", "user", "project", "task", "billable", "source", "short_notes")
    list_filter = ("billable", "source", ("end", admin.EmptyFieldListFilter), "project__client", "project")
    search_fields = ("notes", "project__name", "task__name", "user__username", "user__email", "external_ref")
    date_hierarchy = "start"
    autocomplete_fields = ("user", "project", "task", "tags")
    list_select_related = ("user", "project", "project__client", "task")
    readonly_fields = ("duration", "created_at", "updated_at")
    ordering = ("-start",)

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
        reason = data.get("override_reason", "")
        if change:
            saved = services.time_entry_update(
                actor=request.user, entry=obj, tags=tags, override_reason=reason, **values
            )
        else:
            saved = services.time_entry_create(
                actor=request.user,
                user=data["user"],
                tags=tags,
                source=data.get("source") or Source.ADMIN,
                override_reason=reason,
                **values,
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

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            try:
                with transaction.atomic():
                    services.time_entry_delete(actor=request.user, entry=entry)
            except (ValidationError, PermissionDenied) as exc:  # locked time stays
                self.message_user(request, f"#{entry.pk} was kept: {admin_message(exc)}", messages.ERROR)

    def has_delete_permission(self, request, obj=None):
        # Locked time is not deleted from here; an admin corrects it with "Edit anyway" or reopens the period.
        if obj is not None and obj.pk and lock_reason(obj.user, obj.start) is not None:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("user")  # moving time to another person is a delete and a new entry
        return fields


# --- approvals and locked periods ----------------------------------------------------------------------------------


@admin.register(Timesheet)
class TimesheetAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Read-only here: weeks are submitted and decided on the week page, the team overview or the API."""

    list_display = ("week", "user", "state", "decided_by", "decided_at", "submitted_at")
    list_filter = ("state", "week")
    search_fields = ("user__username", "user__full_name")
    list_select_related = ("user", "decided_by")
    date_hierarchy = "week"

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PeriodLockAdminForm(forms.ModelForm):
    reopen_reason = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reopen: reason",
        help_text="Filling this in reopens the period (the lock stops applying; it stays listed with your reason).",
    )

    class Meta:
        model = PeriodLock
        fields = ("until", "team", "locked_by_label")

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                services.period_lock_validate(
                    actor=self.actor, until=cleaned["until"], label=cleaned.get("locked_by_label", "")
                )
            except (ValidationError, PermissionDenied) as exc:
                form_error(self, exc)
        elif self.instance.pk is not None and "\x00" in (cleaned.get("reopen_reason") or ""):
            self.add_error("reopen_reason", "NUL characters are not allowed.")
        return cleaned


@admin.register(PeriodLock)
class PeriodLockAdmin(ActorFormMixin, PolicyAdminMixin, admin.ModelAdmin):
    form = PeriodLockAdminForm
    list_display = ("until", "team", "locked_by_label", "created_by", "created_at", "reopened_at", "reopened_by")
    list_filter = (("reopened_at", admin.EmptyFieldListFilter), "team")
    list_select_related = ("team", "created_by", "reopened_by")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("until", "team", "locked_by_label")
        return ("until", "team", "locked_by_label", "created_by", "created_at", "reopened_at", "reopened_by") + (
            ("reopen_reason",) if obj.is_active else ()
        )

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        fields = ["until", "team", "locked_by_label", "created_by", "created_at", "reopened_at", "reopened_by"]
        return fields if obj.is_active else [*fields, "reopen_reason"]

    def has_delete_permission(self, request, obj=None):
        return False  # reopening keeps the row, with its reason

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:  # checked by the form's clean through period_lock_validate
            saved = services.period_lock_create(
                actor=request.user, until=data["until"], team=data.get("team"), label=data.get("locked_by_label", "")
            )
            obj.pk = saved.pk
            return
        if (data.get("reopen_reason") or "").strip():
            try:
                services.period_lock_reopen(actor=request.user, lock=obj, reason=data["reopen_reason"])
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(request, admin_message(exc), messages.ERROR)

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(ApprovalSettings)
class ApprovalSettingsAdmin(PolicyAdminMixin, admin.ModelAdmin):
    fields = ("enabled", "required_teams", "reminders_enabled", "reminder_weekday", "reminder_hour")
    filter_horizontal = ("required_teams",)

    def has_add_permission(self, request, *args):
        return policy.is_admin(request.user) and not ApprovalSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        services.approval_settings_update(
            actor=request.user,
            enabled=data.get("enabled"),
            reminders_enabled=data.get("reminders_enabled", False),
            reminder_weekday=data.get("reminder_weekday", 0),
            reminder_hour=data.get("reminder_hour", 10),
        )
        obj.pk = 1

    def save_related(self, request, form, formsets, change):
        services.approval_settings_update(
            actor=request.user, required_teams=form.cleaned_data.get("required_teams", [])
        )
