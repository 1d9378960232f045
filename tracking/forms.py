"""Forms of the web UI. They parse and check input; the services decide (and their errors land on the fields)."""

from __future__ import annotations

import calendar
import functools
import re
from datetime import UTC, datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts import policy
from accounts.models import User
from timetracker.errors import NOT_VISIBLE, form_error
from timetracker.prepared import PreparedRead

from . import periods, selectors
from .models import Client, Project, Tag, Task
from .utils import escape_text as _escape
from .utils import format_duration, parse_duration

OPEN = {"archived": False}  # choices offer what is not archived
MAX_OVERNIGHT = timedelta(hours=12)  # 22:00–02:00 ends the next day; 10:00–09:00 is a typo, not 23 hours


EXAMPLE_DATE = "2026-03-31"


def impossible_date_message(raw: str) -> str:
    """Why `raw` is not a date, precisely: "2026-02-30 is not a date: February 2026 has 28 days."."""
    raw = str(raw).strip()
    if match := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", raw):
        year, month, day = (int(part) for part in match.groups())
        if not 1 <= month <= 12:
            return f"{raw} is not a date: there is no month {month}."
        if day < 1 or day > (days := calendar.monthrange(year, month)[1]):
            return f"{raw} is not a date: {calendar.month_name[month]} {year} has {days} days."
    return f"“{raw[:40]}” is not a date. Use the form {EXAMPLE_DATE}."


class DayField(forms.DateField):
    """A date from a date field or a URL; an impossible one is refused with a message that says why."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            raise ValidationError(impossible_date_message(value), code="invalid") from None


def _attrs(attrs: dict) -> str:
    """flatatt's HTML, without its per-attribute format_html (an option of a long list has five)."""
    return "".join(
        f" {key}" if value is True else f' {key}="{_escape(value)}"'
        for key, value in attrs.items()
        if value is not None and value is not False
    )


# Options written from rows, kept by (widget class, row): the same row always makes the same option. Bounded: a
# large organisation's lists (1,000 tasks, 500 people, 200 projects) fill a tenth of it.
ROW_OPTIONS_KEPT = 20_000
_ROW_OPTIONS: dict[tuple, str] = {}


class ListSelect(forms.Select):
    """A select whose options are written in Python: the same HTML as Django's template per option, which costs
    ~0.3 ms an option — a page offering a large organisation's 1,000 tasks and 500 people spent most of its time
    there. Django's option dictionaries (`optgroups`) are skipped too: each option is one string."""

    # The columns a model field's options are read from (the primary key first), when its options are written from
    # rows rather than model instances (`option_from_row`); None reads instances. A filter offering a thousand
    # tasks spent more on making the instances than on writing the options.
    columns: tuple[str, ...] | None = None
    # Rows of `columns` already read (`rows_from`), written instead of reading the field's queryset again.
    rows: list[tuple] | None = None
    # What reads the rows of `columns` instead of the field's queryset, when given (the entry filter's, compiled once).
    read_rows = None

    def option_rows(self, queryset):
        """Rows of `columns`: those given, else `read_rows`', else the queryset's."""
        if self.rows is not None:
            return self.rows
        if self.read_rows is not None:
            return self.read_rows()
        return queryset.values_list(*self.columns)

    def option_attrs(self, value) -> dict:
        """Extra attributes of the option for `value` (a ModelChoiceIteratorValue for a model's choices)."""
        return {}

    def option_from_row(self, row: tuple) -> tuple:
        """(value, label, extra attributes) of the option for a row of `columns`: by default the label's column."""
        return row[0], row[1], None

    def _option(self, value, label, selected: bool, extra: dict | None = None) -> str:
        if extra is None:
            extra = self.option_attrs(value)
        attrs = _attrs(extra) if extra else ""
        return f'<option value="{_escape(value)}"{" selected" if selected else ""}{attrs}>{_escape(label)}</option>'

    def _row_options(self, rows, wanted: set[str], option) -> list[str]:
        """The options of rows of `columns`: each not-selected one written once per process and kept by its row
        (the option's HTML depends on nothing else), so a long list costs a dictionary lookup an option. A row
        whose id is `wanted` goes through `option`, which selects the first option wanted."""
        kind = type(self)
        pure = kind.option_attrs is ListSelect.option_attrs or kind.option_attrs is ProjectSelect.option_attrs
        found = False
        out = []
        for row in rows:
            if not found and wanted and str(row[0]) in wanted:
                found = True
                out.append(option(*self.option_from_row(row)))
                continue
            key = (kind, row)
            text = _ROW_OPTIONS.get(key)
            if text is None:
                value, label, extra = self.option_from_row(row)
                if extra is None and not pure:  # attributes from the widget's own state: not kept
                    out.append(option(value, label))
                    continue
                text = self._option(value, label, False, extra)
                if len(_ROW_OPTIONS) >= ROW_OPTIONS_KEPT:
                    _ROW_OPTIONS.clear()
                _ROW_OPTIONS[key] = text
            out.append(text)
        return out

    def _option_choices(self):
        """The choices (of a model field without `columns`: rows are written by `_row_options`); a model field's
        read in one fetch (its iterator would use a server-side cursor on PostgreSQL: three round trips instead of
        one)."""
        choices = self.choices
        if not isinstance(choices, forms.models.ModelChoiceIterator):
            return choices
        empty = [("", choices.field.empty_label)] if choices.field.empty_label is not None else []
        return empty + [choices.choice(obj) for obj in choices.queryset]

    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        wanted = {str(v) for v in self.format_value(value)}
        found = False
        html = [format_html("<select{}>", flatatt({"name": widget["name"], **widget["attrs"]}))]

        def option(value, label, extra=None):
            nonlocal found
            selected = not found and str(value) in wanted
            found = found or selected
            return self._option(value, label, selected, extra)

        choices = self.choices
        if self.columns and isinstance(choices, forms.models.ModelChoiceIterator):
            if choices.field.empty_label is not None:
                html.append(option("", choices.field.empty_label))
            rows = self.option_rows(choices.queryset)
            html.extend(self._row_options(rows, wanted - {""}, option))
            html.append("</select>")
            return mark_safe("\n".join(html))  # noqa: S308 - every part was escaped

        plain = type(self).option_attrs is ListSelect.option_attrs  # no extra attributes but a row's
        for group_value, group_label, *extra in self._option_choices():
            if isinstance(group_label, (list, tuple)):
                html.append(format_html('<optgroup label="{}">', group_value))
                html.extend(option(value, label) for value, label in group_label)
                html.append("</optgroup>")
            elif plain and found and (not extra or not extra[0]):
                # The common option of a long list (a name, nothing selected after the selected one): written
                # here, as _option writes it, without its calls.
                html.append(f'<option value="{_escape(group_value)}">{_escape(group_label)}</option>')
            else:
                html.append(option(group_value, group_label, *extra))
        html.append("</select>")
        return mark_safe("\n".join(html))  # noqa: S308 - every part was escaped


def _open_projects(viewer):
    return selectors.project_list(viewer=viewer, filters=OPEN).order_by(*selectors.PROJECTS_BY_CLIENT)


def _utc(day, clock, tz) -> datetime:
    """A local day and time of day as a UTC datetime, so sums and differences count real time across a clock change."""
    return timezone.make_aware(datetime.combine(day, clock), tz).astimezone(UTC)


def tag_names(text: str) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


# The entry forms ask for a start and end time of day where the services speak of `start` and `end`.
_FIELD_ALIASES = {"start": "start_time", "end": "end_time"}


def add_service_error(form: forms.Form, error: Exception) -> None:
    """Put a service error next to the field it belongs to (or on top of the form), via the one translator."""
    form_error(form, error, aliases={k: v for k, v in _FIELD_ALIASES.items() if v in form.fields})


class ProjectSelect(ListSelect):
    """A project <select> whose options say whether the project is billable (the entry form's default follows it)."""

    def option_attrs(self, value) -> dict:
        project = getattr(value, "instance", None)
        if project is None:
            return {}
        client = project.client.name if project.client_id else None
        return _project_attrs(project.billable, project.color, project.name, client, project.code)


def _project_attrs(billable: bool, color: str, name: str, client: str | None, code: str) -> dict:
    """The data attributes of a project's option: what the combobox shows and the billable default follows."""
    return {
        "data-billable": "1" if billable else "0",
        "data-color": color,
        "data-name": name,
        "data-client": client or "",
        "data-code": code,
    }


class NameSelect(ListSelect):
    """A model's options read as (pk, name) rows: for models whose label is their name (clients, tasks, tags)."""

    columns = ("pk", "name")


class PersonSelect(ListSelect):
    """People's options read as rows; the label is the person's (User.__str__: the full name, else the login)."""

    columns = ("pk", "full_name", "username")

    def option_from_row(self, row: tuple) -> tuple:
        return row[0], row[1] or row[2], None


class ProjectRowSelect(ProjectSelect):
    """ProjectSelect's options read as rows, not projects with their clients (the entry list's project filter)."""

    columns = ("pk", "name", "client_id", "client__name", "billable", "color", "code")

    def option_from_row(self, row: tuple) -> tuple:
        pk, name, client_id, client, billable, color, code = row
        client = client if client_id else None
        return pk, Project.label_of(name, client), _project_attrs(billable, color, name, client, code)


def _task_option(row: tuple, selected: bool) -> str:
    """A task's option of the tracking forms' task select, from a (pk, project_id, name) row."""
    pk, project_id, name = row
    return f'<option value="{pk}" data-project="{project_id}"{" selected" if selected else ""}>{_escape(name)}</option>'


class _ReadOnceIterator(forms.models.ModelChoiceIterator):
    """Options from the field's queryset itself (not a fresh .iterator() query), so a page that lists the options
    and then asks whether there are any (`{% if not form.fields.project.queryset %}`) reads the projects once."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _ProjectChoiceField(forms.ModelChoiceField):
    iterator = _ReadOnceIterator


class _TrackingChoices(forms.Form):
    """Project and task choices limited to what the user may track on."""

    project = _ProjectChoiceField(
        queryset=Project.objects.none(),
        empty_label="Choose a project…",
        widget=ProjectSelect(attrs={"data-combobox": "", "data-placeholder": "Project…"}),
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

    def project_rows(self) -> list[tuple]:
        """The project options as rows (ProjectRowSelect's), read once and written by the project select from then
        on: a page that shows the options and the projects again (the dashboard's rows' pickers) reads no project
        objects. For an unbound form: a bound one hands its projects to the services."""
        field = self.fields["project"]
        widget = ProjectRowSelect(attrs=field.widget.attrs)
        widget.is_required, widget.is_localized = field.widget.is_required, field.widget.is_localized
        widget.choices = field.choices
        widget.rows = list(field.queryset.values_list(*ProjectRowSelect.columns))
        field.widget = widget
        return widget.rows

    @property
    def has_projects(self) -> bool:
        """Whether any project is offered (from the rows when read, else the queryset the options were read from)."""
        rows = getattr(self.fields["project"].widget, "rows", None)
        return bool(rows) if rows is not None else bool(self.fields["project"].queryset)

    def task_options(self) -> str:
        """The task <option>s, each saying its project (the task list follows the chosen project): written here,
        not by a template loop, since a large organisation offers ~1,000 tasks."""
        chosen = str(self["task"].value())
        rows = self.fields["task"].queryset.values_list("pk", "project_id", "name")
        out = []
        for row in rows:
            if str(row[0]) == chosen:
                out.append(_task_option(row, selected=True))
                continue
            key = (_task_option, row)  # not selected: the same row always writes the same option, kept per process
            text = _ROW_OPTIONS.get(key)
            if text is None:
                text = _task_option(row, selected=False)
                if len(_ROW_OPTIONS) >= ROW_OPTIONS_KEPT:
                    _ROW_OPTIONS.clear()
                _ROW_OPTIONS[key] = text
            out.append(text)
        return mark_safe("".join(out))  # noqa: S308 - the name is escaped, the rest are integers

    def clean(self):
        data = super().clean()
        project, task = data.get("project"), data.get("task")
        if project and task and task.project_id != project.pk:
            self.add_error("task", f"The task “{task}” belongs to another project.")
        return data


class TimerStartForm(_TrackingChoices):
    """The one-line timer bar: what, project, task, tags, billable (empty: the project's default)."""

    notes = forms.CharField(
        required=False,
        max_length=2000,
        label="What are you working on?",
        widget=forms.TextInput(attrs={"placeholder": "What are you working on?", "autocomplete": "off"}),
    )
    billable = forms.TypedChoiceField(
        choices=[("", "As the project"), ("1", "Billable"), ("0", "Not billable")],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, recent_projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].widget.attrs["data-recent"] = ",".join(str(pk) for pk in recent_projects)


class TimerEditForm(forms.Form):
    """The running timer, edited in place in the bar: its description, project and start time (today or its day)."""

    notes = forms.CharField(required=False, max_length=2000, label="Description")
    project = forms.ModelChoiceField(queryset=Project.objects.none(), widget=ProjectSelect(attrs={"data-combobox": ""}))
    start_time = forms.TimeField(label="Started at", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))

    def __init__(self, *args, user, entry, **kwargs):
        tz = timezone.get_current_timezone()
        start = timezone.localtime(entry.start, tz)
        kwargs.setdefault(
            "initial", {"notes": entry.notes, "project": entry.project_id, "start_time": start.strftime("%H:%M")}
        )
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.day = start.date()
        self.tz = tz
        projects = selectors.trackable_projects(user=user) | Project.objects.filter(pk=entry.project_id)
        self.fields["project"].queryset = projects.distinct().select_related("client")

    def changes(self) -> dict:
        data = self.cleaned_data
        changes = {"notes": data.get("notes", "")}
        # The field shows whole minutes: an untouched start keeps its seconds, so a timer started in the minute the
        # previous entry ended is not moved back onto it (and refused as an overlap) when only its description changes.
        if data["start_time"].strftime("%H:%M") != self.initial.get("start_time"):
            changes["start"] = _utc(self.day, data["start_time"], self.tz)
        if data["project"].pk != self.entry.project_id:
            changes.update(project=data["project"], task=None)
        return changes


class EntryForm(_TrackingChoices):
    """A manual entry: a date with start and end times, or a date with a start (optional) and a duration."""

    date = DayField()
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
        if entry is None:  # a new entry's Billable follows the chosen project until the person changes it
            self.fields["billable"].widget.attrs["data-billable-follows"] = self["project"].id_for_label
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
        problem = periods.outside_window(day, field="date")
        if problem:  # the services refuse it too; checked here before any arithmetic on the day
            self.add_error("date", problem)
            return data
        tz = timezone.get_current_timezone()
        if end_t is None and seconds is None:
            self.add_error("end_time", "Give an end time or a duration.")
            return data
        if seconds is not None and end_t is not None:
            self.add_error("duration", "Give either an end time or a duration, not both.")
            return data
        if start_t is None:
            if seconds is None:
                self.add_error("start_time", "Give a start time.")
                return data
            slot = selectors.duration_slot(
                user=self.entry.user if self.entry else self.user,
                day=day,
                tz=tz,
                seconds=seconds,
                exclude=self.entry.pk if self.entry else None,
            )
            if slot is None:
                self.add_error(
                    "duration",
                    f"There is no free {format_duration(seconds)} before now on this day. Give a start time, "
                    "or a shorter duration.",
                )
                return data
            data["start"], data["end"] = slot
            return data
        start = _utc(day, start_t, tz)
        if seconds is not None:
            end = start + timedelta(seconds=seconds)
        else:
            end = _utc(day, end_t, tz)
            if end <= start:
                # An end earlier than the start is the next day (22:00–02:00, 22:00–00:00), for a night's work.
                end = _utc(day + timedelta(days=1), end_t, tz)
                if end - start > MAX_OVERNIGHT:
                    self.add_error(
                        "end_time",
                        "The end must be after the start (an earlier end means the next day, for up to "
                        f"{MAX_OVERNIGHT.seconds // 3600} hours).",
                    )
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


_CLOCK = re.compile(r"([01]?\d|2[0-3])(?::|\.|h)?([0-5]\d)?")


def parse_clock(text: str) -> time:
    """A time of day from what people type in a row: 9, 09, 930, 9:30, 09.30, 17h30."""
    match = _CLOCK.fullmatch((text or "").strip().lower())
    if not match:
        raise ValidationError(f"“{text.strip()[:20]}” is not a time of day. Use hours and minutes, such as 09:30.")
    return time(int(match[1]), int(match[2] or 0))


class EntryFieldForm(forms.Form):
    """One field of an entry changed in place on its row: the description, the project, the start or end time of
    day (on the entry's own day), or the duration (which moves the end). `changes()` is what the service is given."""

    FIELDS = ("notes", "project", "start", "end", "duration")

    field = forms.ChoiceField(choices=[(name, name) for name in FIELDS])
    value = forms.CharField(required=False, max_length=2000, strip=False)

    def __init__(self, *args, entry, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = entry
        self.tz = timezone.get_current_timezone()
        self.day = timezone.localtime(entry.start, self.tz).date()

    def clean(self):
        data = super().clean()
        field, value = data.get("field"), data.get("value")
        if field is None or value is None:
            return data
        if field != "notes" and len(value) > 50:
            self.add_error("value", "That is too long for this field.")
            return data
        try:
            data["changes"] = getattr(self, f"_{field}")(value.strip())
        except ValidationError as exc:
            self.add_error("value", exc)
        return data

    def changes(self) -> dict:
        return self.cleaned_data["changes"]

    def _notes(self, value):
        return {"notes": value}

    def _project(self, value):
        entry = self.entry
        if not value.isdigit():
            raise ValidationError("Choose a project from the list.")
        if int(value) == entry.project_id:
            return {}
        projects = selectors.trackable_projects(user=entry.user)
        project = projects.filter(pk=int(value)).first()
        if project is None:  # one answer for unknown, private and closed projects: nothing tells which ids exist
            raise ValidationError("Choose a project from the list: that one is not open for this entry.")
        return {"project": project, "task": None}

    def _start(self, value):
        start = _utc(self.day, parse_clock(value), self.tz)
        if self.entry.end is not None and start >= self.entry.end:
            end = timezone.localtime(self.entry.end, self.tz).strftime("%H:%M")
            raise ValidationError(f"The start must be before the end ({end}); change the end first.")
        return {"start": start}

    def _end(self, value):
        end_t = parse_clock(value)
        start = self.entry.start
        end = _utc(self.day, end_t, self.tz)
        if end <= start:  # an earlier end means the next day, for a night's work (as in the entry form)
            end = _utc(self.day + timedelta(days=1), end_t, self.tz)
            if end - start > MAX_OVERNIGHT:
                raise ValidationError(
                    "The end must be after the start (an earlier end means the next day, for up to "
                    f"{MAX_OVERNIGHT.seconds // 3600} hours)."
                )
        return {"end": end}

    def _duration(self, value):
        try:
            seconds = parse_duration(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc
        return {"end": self.entry.start + timedelta(seconds=seconds)}


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
    start = DayField(required=False, label="From")
    end = DayField(required=False, label="To")
    project = forms.ModelChoiceField(
        queryset=Project.objects.none(),
        required=False,
        empty_label="All projects",
        widget=ProjectRowSelect(attrs={"data-combobox": "", "data-placeholder": "All projects"}),
    )
    client = forms.ModelChoiceField(
        queryset=Client.objects.none(), required=False, empty_label="All clients", widget=NameSelect
    )
    task = forms.ModelChoiceField(
        queryset=Task.objects.none(), required=False, empty_label="All tasks", widget=NameSelect
    )
    tag = forms.ModelChoiceField(queryset=None, required=False, empty_label="All tags", widget=NameSelect)
    billable = forms.TypedChoiceField(
        choices=[("", "Billable or not"), ("1", "Billable"), ("0", "Non-billable")],
        required=False,
        coerce=lambda v: v == "1",
        empty_value=None,
    )
    user = forms.ModelChoiceField(queryset=None, required=False, empty_label="Everyone I can see", widget=PersonSelect)

    # An unbound form (the list's default page) writes its options from rows read by `_filter_options_read`, and
    # builds no queryset: building the five permission-filtered querysets cost ~5 ms of CPU on every list, more
    # than reading them. A subclass that changes the querysets (the report form) builds them.
    options_compiled_once = True

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_user = viewer.role != "member"
        if not self.show_user:
            del self.fields["user"]
        if not self.is_bound and self.options_compiled_once and policy.is_active(viewer):
            for name, model in _FILTER_MODELS.items():
                if name in self.fields:
                    self.fields[name].queryset = model.objects.none()  # nothing to validate: never read
                    self.fields[name].widget.read_rows = functools.partial(_filter_option_rows, name, viewer)
        else:
            for name, queryset in filter_option_querysets(viewer).items():
                self.fields[name].queryset = queryset
        for name in ("project", "client", "task", "tag", "user"):
            if name in self.fields:  # an id the viewer may not see is answered like one that does not exist
                self.fields[name].error_messages["invalid_choice"] = f"{name.capitalize()}: {NOT_VISIBLE}"

    def clean(self):
        data = super().clean()
        for name in ("start", "end"):
            problem = data.get(name) and periods.outside_window(data[name], field="date")
            if problem:
                self.add_error(name, problem)
                return data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The end date must not be before the start date.")
        return data

    def project_rows(self) -> list[tuple]:
        """The project filter's rows (ProjectRowSelect.columns), read once: its options are written from them, and
        the entry list's bulk select and rows' picker take them too (`trackable_project_rows`)."""
        widget = self.fields["project"].widget
        if widget.rows is None:
            widget.rows = widget.option_rows(self.fields["project"].queryset)
        return widget.rows

    def trackable_project_rows(self) -> list[tuple]:
        """Rows of tracking.rows.PROJECT_COLUMNS of the projects the viewer may track on, for one who writes: the
        same projects as the filter's, the open ones they see (tracking.rules.visible_projects: a member the open
        projects open to them, a manager or admin every open one; a test holds the two equal), so no second read."""
        return [
            (pk, name, client_id, client, color, code)
            for pk, name, client_id, client, _, color, code in self.project_rows()
        ]

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


_FILTER_MODELS = {"project": Project, "client": Client, "task": Task, "tag": Tag, "user": User}


def filter_option_querysets(viewer) -> dict:
    """The entry filter's choices, by field. They read only what an option shows: a large organisation has 1,000
    tasks and 500 people, and whole rows (a task's project, client and assignee; a person's every column) cost more
    than the list itself."""
    querysets = {
        "project": (
            selectors.project_list(viewer=viewer, filters=OPEN)
            .prefetch_related(None)
            .select_related("client")
            .order_by(*selectors.PROJECTS_BY_CLIENT)
        ),
        "client": selectors.client_list(viewer=viewer, filters=OPEN).only("pk", "name"),
        "task": selectors.task_list(viewer=viewer, filters=OPEN).select_related(None).only("pk", "name"),
        "tag": selectors.tag_list(viewer=viewer),
    }
    if viewer.role != "member":
        querysets["user"] = selectors.user_choices(viewer=viewer).only("pk", "username", "full_name")
    return querysets


def _build_filter_options(name: str, role: str, *, viewer_id: int):
    # The access rules read the viewer's id and role alone (an inactive viewer is not asked here).
    viewer = policy.rule_viewer(viewer_id, role)
    widget = EntryFilterForm.base_fields[name].widget
    return filter_option_querysets(viewer)[name].values(*widget.columns)


# Compiled once per process, field and role (timetracker.prepared); the viewer's id only where the role's rule reads it.
_filter_options_read = PreparedRead(_build_filter_options, unused_values=True)


def _filter_option_rows(name: str, viewer) -> list[tuple]:
    """Rows of the widget's `columns` of the filter `name`'s choices for `viewer`, as values_list would read them."""
    columns = EntryFilterForm.base_fields[name].widget.columns
    found = _filter_options_read.rows((name, viewer.role), viewer_id=viewer.pk)
    return [tuple(row[column] for column in columns) for row in found]


class ClientForm(forms.ModelForm):
    class Meta:
        model = Client
        fields = ["name", "contact", "default_hourly_rate", "archived"]
        widgets = {"contact": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["archived"]  # a new client is open


class ProjectForm(forms.ModelForm):
    """A project with who may track on it: everyone (public), or the chosen teams and people."""

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
            "archived",
            "is_public",
            "teams",
            "members",
        ]
        labels = {"is_public": "Open to everyone", "teams": "Teams who may track", "members": "People who may track"}
        widgets = {
            "color": forms.TextInput(attrs={"type": "color"}),
            "teams": forms.CheckboxSelectMultiple,
            "members": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        project = self.instance
        clients = selectors.client_list(viewer=viewer, filters=OPEN)
        teams = selectors.team_choices(viewer=viewer)
        people = selectors.user_choices(viewer=viewer)
        if project.pk is None:
            del self.fields["archived"]
        else:
            # What the project has keeps its place, even where the editor would not otherwise see or pick it.
            clients = clients | Client.objects.filter(projects=project)
            teams = teams | project.teams.all()
            people = people | project.members.filter(is_active=True)
        self.fields["client"].queryset = clients.distinct().order_by("name")
        self.fields["teams"].queryset = teams.distinct().order_by("name")
        self.fields["members"].queryset = people.distinct().order_by("username")
        self.fields["members"].label_from_instance = lambda user: user.display_name
        for name in ("teams", "members"):
            self.fields[name].help_text = "Used when the project is not open to everyone."

    def clean_code(self):
        code = self.cleaned_data.get("code", "")
        taken = Project.objects.filter(code=code).exclude(pk=self.instance.pk).first() if code else None
        if taken is not None:
            raise ValidationError(f"The code {code} is already used by another project. Choose another.")
        return code


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
            *selectors.PROJECTS_BY_CLIENT
        )
        self.fields["assignee"].queryset = selectors.user_choices(viewer=viewer)
