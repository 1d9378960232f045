"""Forms of the web UI. They parse and check input; the services decide (and their errors land on the fields)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from timetracker.errors import form_error

from . import periods, selectors
from .models import Client, Project, Task
from .utils import parse_duration

OPEN = {"archived": False}  # choices offer what is not archived


class ListSelect(forms.Select):
    """A select whose options are written in Python: the same HTML as Django's template per option, which costs
    ~0.3 ms an option — a page offering a large organisation's 1,000 tasks and 500 people spent most of its time
    there."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        html = [format_html("<select{}>", flatatt({"name": widget["name"], **widget["attrs"]}))]
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                html.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                html.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        str(option["value"]),
                        flatatt(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                html.append("</optgroup>")
        html.append("</select>")
        return mark_safe("\n".join(html))  # noqa: S308 - every part went through format_html


def _open_projects(viewer):
    return selectors.project_list(viewer=viewer, filters=OPEN).order_by("client__name", "name")


def tag_names(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


# The entry forms ask for a start and end time of day where the services speak of `start` and `end`.
_FIELD_ALIASES = {"start": "start_time", "end": "end_time"}


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Put a service error next to the field it belongs to (or on top of the form), via the one translator."""
    form_error(form, error, aliases={k: v for k, v in _FIELD_ALIASES.items() if v in form.fields})


class _TrackingChoices(forms.Form):
    """Project and task choices limited to what the user may track on."""

    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), empty_label="Choose a project…", widget=ListSelect
    )
    task = forms.ModelChoiceField(queryset=Task.objects.none(), required=False, empty_label="No task")
    notes = forms.CharField(required=False, max_length=2000, widget=forms.TextInput)
    tags = forms.CharField(required=False, max_length=500, help_text="Comma separated, e.g. meeting, review")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].queryset = selectors.trackable_projects(user=user)
        self.fields["task"].queryset = selectors.trackable_tasks(user=user)
        self.tag_choices = selectors.tag_list(viewer=user)

    def clean(self):
        data = super().clean()
        project, task = data.get("project"), data.get("task")
        if project and task and task.project_id != project.pk:
            self.add_error("task", f"The task “{task}” belongs to another project.")
        return data


class TimerStartForm(_TrackingChoices):
    pass


class EntryForm(_TrackingChoices):
    """A manual entry: a date with start and end times, or a date with a start (optional) and a duration."""

    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(required=False, label="Start", widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(required=False, label="End", widget=forms.TimeInput(attrs={"type": "time"}))
    duration = forms.CharField(
        required=False, max_length=20, help_text="Instead of an end: 1h30, 90m or 1:30", label="Duration"
    )
    billable = forms.BooleanField(required=False, initial=True)

    field_order = ["project", "task", "date", "start_time", "end_time", "duration", "notes", "tags", "billable"]

    def __init__(self, *args, user, entry=None, **kwargs):
        self.entry = entry
        if entry is not None and "initial" not in kwargs:
            tz = timezone.get_current_timezone()
            start = timezone.localtime(entry.start, tz)
            end = timezone.localtime(entry.end, tz) if entry.end else None
            kwargs["initial"] = {
                "project": entry.project_id,
                "task": entry.task_id,
                "date": start.date(),
                "start_time": start.time().replace(second=0, microsecond=0),
                "end_time": end.time().replace(second=0, microsecond=0) if end else None,
                "notes": entry.notes,
                "tags": ", ".join(t.name for t in entry.tags.all()),
                "billable": entry.billable,
            }
        super().__init__(*args, user=user, **kwargs)
        if entry is not None:
            # Keep the entry's own project selectable even when it is no longer open for new time.
            self.fields["project"].queryset = (
                self.fields["project"].queryset | Project.objects.filter(pk=entry.project_id)
            ).distinct()
            if entry.task_id:
                self.fields["task"].queryset = (
                    self.fields["task"].queryset | Task.objects.filter(pk=entry.task_id)
                ).distinct()

    def clean_duration(self):
        text = self.cleaned_data.get("duration", "")
        if not text:
            return None
        try:
            return parse_duration(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        day, start_t, end_t, seconds = (data.get(k) for k in ("date", "start_time", "end_time", "duration"))
        if day is None or "duration" in self.errors:
            return data
        tz = timezone.get_current_timezone()
        if end_t is None and seconds is None:
            self.add_error("end_time", "Give an end time or a duration.")
            return data
        if start_t is None:
            if seconds is None:
                self.add_error("start_time", "Give a start time.")
                return data
            start = selectors.next_free_start(user=self.entry.user if self.entry else self.user, day=day, tz=tz)
        else:
            start = timezone.make_aware(datetime.combine(day, start_t), tz)
        if seconds is not None and end_t is not None:
            self.add_error("duration", "Give either an end time or a duration, not both.")
            return data
        if seconds is not None:
            end = start + timedelta(seconds=seconds)
        else:
            end = timezone.make_aware(datetime.combine(day, end_t), tz)
            if end <= start:
                if end_t == time(0, 0):
                    end += timedelta(days=1)  # 22:00–00:00 ends at midnight
                else:
                    self.add_error("end_time", "The end must be after the start.")
                    return data
        data["start"], data["end"] = start, end
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "project": data["project"],
            "task": data.get("task"),
            "start": data["start"],
            "end": data["end"],
            "notes": data.get("notes", ""),
            "billable": data.get("billable", False),
        }


class BulkForm(forms.Form):
    ACTIONS = [
        ("delete", "Delete"),
        ("set_project", "Set project"),
        ("billable", "Set billable"),
        ("nonbillable", "Set non-billable"),
    ]

    action = forms.ChoiceField(choices=ACTIONS)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=())
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False, widget=ListSelect)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = selectors.trackable_projects(user=user)
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        self.fields["ids"].choices = [(v, v) for v in raw if str(v).isdigit()]

    def clean(self):
        data = super().clean()
        if data.get("action") == "set_project" and not data.get("project"):
            self.add_error("project", "Choose the project to move the entries to.")
        return data


class EntryFilterForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(), required=False, empty_label="All projects", widget=ListSelect
    )
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(), required=False, empty_label="All clients", widget=ListSelect
    )
    task = forms.ModelChoiceField(
        queryset=Task.objects.none(), required=False, empty_label="All tasks", widget=ListSelect
    )
    tag = forms.ModelChoiceField(queryset=None, required=False, empty_label="All tags", widget=ListSelect)
    billable = forms.TypedChoiceField(
        choices=[("", "Billable or not"), ("1", "Billable"), ("0", "Non-billable")],
        required=False,
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    user = forms.ModelChoiceField(queryset=None, required=False, empty_label="Everyone I can see", widget=ListSelect)

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = selectors.project_list(viewer=viewer, filters=OPEN).order_by(
            "client__name", "name"
        )
        self.fields["client"].queryset = selectors.client_list(viewer=viewer, filters=OPEN)
        self.fields["task"].queryset = selectors.task_list(viewer=viewer, filters=OPEN)
        self.fields["tag"].queryset = selectors.tag_list(viewer=viewer)
        users = selectors.user_choices(viewer=viewer)
        self.fields["user"].queryset = users
        self.show_user = viewer.role != "member"
        if not self.show_user:
            del self.fields["user"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end date must not be before the start date.")
        return data

    def selector_filters(self, tz) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        filters = {}
        if data.get("start"):
            filters["start_after"] = periods.day_bounds(data["start"], tz)[0]
        if data.get("end"):
            filters["start_before"] = periods.day_bounds(data["end"], tz)[1]
        for key in ("project", "client", "task", "tag", "user"):
            if data.get(key) is not None:
                filters[key] = data[key].pk
        if data.get("billable") is not None:
            filters["billable"] = data["billable"]
        return filters


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "contact", "default_hourly_rate"]
        widgets = {"contact": forms.Textarea(attrs={"rows": 3})}


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = [
            "name",
            "client",
            "code",
            "color",
            "billable",
            "hourly_rate",
            "budget_hours",
            "budget_amount",
            "is_public",
        ]
        widgets = {"color": forms.TextInput(attrs={"type": "color"})}

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = selectors.client_list(viewer=viewer, filters=OPEN)


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["name", "project", "status", "priority", "assignee", "due_date", "description"]
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = selectors.project_list(viewer=viewer, filters=OPEN).order_by(
            "client__name", "name"
        )
        self.fields["assignee"].queryset = selectors.user_choices(viewer=viewer)
