"""Serializers of the tracking API: they validate input and shape output; they never save (the services do)."""

from datetime import UTC
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from rest_framework import serializers

from accounts import policy
from accounts.models import Team
from timetracker.errors import NOT_VISIBLE

from ..models import Client, PeriodLock, Project, Source, Tag, Task, TimeEntry, TimesheetState
from ..periods import PRESET_CHOICES
from ..reports import GROUP_BY_CHOICES


class UtcDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC with an offset, whatever TIME_ZONE says; naive input is read as UTC."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("default_timezone", UTC)
        super().__init__(*args, **kwargs)


class ApiModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateTimeField: UtcDateTimeField,
    }


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A related id limited to what the requesting user may see: anything else is "does not exist", in the words
    of the API's 404."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "does_not_exist": NOT_VISIBLE,
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        request = self.context.get("request")
        if request is None:
            return queryset.none()
        return policy.visible(request.user, queryset)


# --- output and input of the catalog ---------------------------------------------------------------------------------


class ClientSerializer(ApiModelSerializer):
    class Meta:
        model = Client
        fields = ("id", "name", "contact", "default_hourly_rate", "archived", "created_at", "updated_at")
        read_only_fields = ("id", "created_at", "updated_at")


class ProjectSerializer(ApiModelSerializer):
    client = VisibleRelatedField(queryset=Client.objects.all(), allow_null=True, required=False)
    teams = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all(), many=True, required=False)
    members = VisibleRelatedField(queryset=get_user_model().objects.all(), many=True, required=False)

    class Meta:
        model = Project
        fields = (
            "id",
            "client",
            "name",
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
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "created_at", "updated_at")
        # Uniqueness is checked by the service's full_clean, with the same message for every interface.
        validators = []


class TaskSerializer(ApiModelSerializer):
    project = VisibleRelatedField(queryset=Project.objects.all())
    assignee = VisibleRelatedField(queryset=get_user_model().objects.all(), allow_null=True, required=False)
    source = serializers.ChoiceField(choices=Source.choices, read_only=True)

    class Meta:
        model = Task
        fields = (
            "id",
            "project",
            "name",
            "description",
            "status",
            "priority",
            "assignee",
            "due_date",
            "source",
            "external_ref",
            "external_url",
            "archived",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "source", "created_at", "updated_at")
        validators = []


class TagSerializer(ApiModelSerializer):
    name = serializers.CharField(max_length=64)

    class Meta:
        model = Tag
        fields = ("id", "name")
        read_only_fields = ("id",)


# --- time entries ----------------------------------------------------------------------------------------------------


class TimeEntrySerializer(ApiModelSerializer):
    """A time entry as the API shows it. `duration_seconds` is 0 while the entry runs."""

    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = TimeEntry
        fields = (
            "id",
            "user",
            "project",
            "task",
            "start",
            "end",
            "duration_seconds",
            "billable",
            "notes",
            "tags",
            "source",
            "external_ref",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


def _utc_text(value) -> str | None:
    """A datetime as UtcDateTimeField writes it: ISO 8601 in UTC, "Z" for +00:00."""
    if not value:
        return None
    value = value.astimezone(UTC) if timezone.is_aware(value) else timezone.make_aware(value, UTC)
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


_SOURCES = {str(value): value for value, _ in Source.choices}


def time_entry_output(entry: TimeEntry, tags: list[str] | None = None) -> dict:
    """TimeEntrySerializer's output for one entry, written without building its fields (~1 ms of CPU each time, as
    much as the timer's own work costs in Python). The entry's tags' names are `tags` when given (by name, as
    selectors.entry_tag_names reads them for a page), else read as the serializer reads them. A test compares it
    with the serializer's output."""
    source = entry.source
    return {
        "id": int(entry.pk),
        "user": entry.user_id,
        "project": entry.project_id,
        "task": entry.task_id,
        "start": _utc_text(entry.start),
        "end": _utc_text(entry.end),
        "duration_seconds": int(entry.duration_seconds),
        "billable": bool(entry.billable),
        "notes": str(entry.notes),
        "tags": tags if tags is not None else [tag.name for tag in entry.tags.all()],
        "source": source if source in ("", None) else _SOURCES.get(str(source), source),
        "external_ref": str(entry.external_ref),
        "created_at": _utc_text(entry.created_at),
        "updated_at": _utc_text(entry.updated_at),
    }


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise serializers.ValidationError("NUL characters are not allowed.")
    return value


class TimeEntryWriteSerializer(serializers.Serializer):
    """Input of POST/PUT/PATCH /time-entries/. Omit `end` for a running entry; tags are names (new ones are created)."""

    user = VisibleRelatedField(
        queryset=get_user_model().objects.all(),
        required=False,
        help_text="Whose time this is (managers for their team members, admins for anyone); default: you. "
        "Only on create.",
    )
    project = VisibleRelatedField(queryset=Project.objects.all())
    task = VisibleRelatedField(queryset=Task.objects.all(), allow_null=True, required=False)
    start = UtcDateTimeField()
    end = UtcDateTimeField(allow_null=True, required=False)
    notes = serializers.CharField(allow_blank=True, required=False, max_length=10000)
    billable = serializers.BooleanField(required=False, help_text="Default: the project's setting.")
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=50)
    external_ref = serializers.CharField(allow_blank=True, required=False, max_length=255)
    override_reason = serializers.CharField(
        allow_blank=True,
        required=False,
        max_length=500,
        write_only=True,
        validators=[_no_nul],
        help_text="Administrators only: the reason for changing time in a locked period or an approved week "
        '("edit anyway"; recorded in the activity log). Ignored for anyone else, who gets 409 period_locked.',
    )

    def validate(self, attrs):
        start = attrs.get("start", getattr(self.instance, "start", None))
        end = attrs.get("end", getattr(self.instance, "end", None)) if "end" in attrs or self.instance else None
        if start is not None and end is not None and end <= start:
            raise serializers.ValidationError({"end": ["The end must be after the start."]})
        if self.instance is not None and "user" in attrs:
            raise serializers.ValidationError({"user": ["An entry cannot be moved to another person."]})
        return attrs


class TimerStateSerializer(serializers.Serializer):
    running = serializers.BooleanField()
    entry = TimeEntrySerializer(allow_null=True)


class TimerStartSerializer(serializers.Serializer):
    project = VisibleRelatedField(queryset=Project.objects.all())
    task = VisibleRelatedField(queryset=Task.objects.all(), allow_null=True, required=False)
    notes = serializers.CharField(allow_blank=True, required=False, max_length=10000)
    billable = serializers.BooleanField(required=False, help_text="Default: the project's setting.")
    tags = serializers.ListField(child=serializers.CharField(max_length=64), required=False, max_length=50)


# --- reports ---------------------------------------------------------------------------------------------------------


class ReportQuerySerializer(serializers.Serializer):
    """The summary's query parameters, parsed; the report's rules (one period, the five-year limit, two different
    levels) are checked by tracking.reports.report_params, as on the web."""

    preset = serializers.ChoiceField(
        choices=PRESET_CHOICES, required=False, help_text="A named period in your time zone; or give start and end."
    )
    start = serializers.DateField(required=False, help_text="First day (YYYY-MM-DD), in your time zone.")
    end = serializers.DateField(required=False, help_text="Last day (YYYY-MM-DD), inclusive.")
    group_by = serializers.ChoiceField(choices=GROUP_BY_CHOICES)
    then_by = serializers.ChoiceField(choices=GROUP_BY_CHOICES, required=False)
    user = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    project = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    client = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    task = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    tag = serializers.CharField(required=False, max_length=64, trim_whitespace=False, help_text="A tag name.")
    billable = serializers.BooleanField(required=False, allow_null=True, default=None)
    source = serializers.ChoiceField(choices=Source.choices, required=False)


class ReportTotalsSerializer(serializers.Serializer):
    seconds = serializers.IntegerField()
    billable_seconds = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, help_text="Billable seconds × rate / 3600.")


def _group_fields():
    return {
        "key": serializers.JSONField(
            help_text="The group's id (project, client, user, task, tag; null for none) or ISO date (day, week)."
        ),
        "label": serializers.CharField(),
        "seconds": serializers.IntegerField(),
        "billable_seconds": serializers.IntegerField(),
        "amount": serializers.DecimalField(
            max_digits=20, decimal_places=2, help_text="Billable seconds × the project's hourly rate / 3600."
        ),
    }


_CENT = Decimal("0.01")


def _cents(amount) -> str:
    """An amount as DecimalField(decimal_places=2) writes it (report amounts arrive rounded to cents already;
    quantizing one that is, is exact)."""
    if type(amount) is not Decimal:
        amount = Decimal(amount)
    return str(amount.quantize(_CENT))  # as DecimalField does: the context's rounding


def _group_output(self, group: dict) -> dict:
    """A group as the declared fields would write it, without a field object per value: a month by person then
    day has some 10,000 groups, and field-by-field serialisation cost more than the database's aggregate."""
    return {
        "key": group["key"],
        "label": str(group["label"]),
        "seconds": int(group["seconds"]),
        "billable_seconds": int(group["billable_seconds"]),
        "amount": _cents(group["amount"]),
        "children": [_group_output(self, child) for child in group["children"]] if group["children"] else [],
    }


ReportChildSerializer = type(
    "ReportChildSerializer",
    (serializers.Serializer,),
    {
        **_group_fields(),
        "children": serializers.ListField(child=serializers.DictField(), help_text="Always empty."),
        "to_representation": _group_output,
    },
)
ReportGroupSerializer = type(
    "ReportGroupSerializer",
    (serializers.Serializer,),
    {**_group_fields(), "children": ReportChildSerializer(many=True), "to_representation": _group_output},
)


def _group_output_in_place(group: dict) -> dict:
    """_group_output's answer made of `group` itself: its amount written as text, nothing else copied. Its
    children without children of their own (~10,000 in a month by person then day) are written in this loop."""
    group["amount"] = _cents(group["amount"])
    if type(group["seconds"]) is not int or type(group["billable_seconds"]) is not int:
        group["seconds"], group["billable_seconds"] = int(group["seconds"]), int(group["billable_seconds"])
    for child in group["children"]:
        if child["children"] or type(child["seconds"]) is not int or type(child["billable_seconds"]) is not int:
            _group_output_in_place(child)
        else:
            child["amount"] = _cents(child["amount"])
    return group


def _ints_in_place(group: dict) -> None:
    """_group_output_in_place for a group whose amounts are text already: only its seconds made integers."""
    if type(group["seconds"]) is not int or type(group["billable_seconds"]) is not int:
        group["seconds"], group["billable_seconds"] = int(group["seconds"]), int(group["billable_seconds"])
    for child in group["children"]:
        if child["children"] or type(child["seconds"]) is not int or type(child["billable_seconds"]) is not int:
            _ints_in_place(child)


def report_summary_output(report: dict) -> dict:
    """ReportSummarySerializer's output for a report_summary answer the caller hands over (its groups become the
    output's, their amounts written as text): ~10,000 groups are not copied. A test compares it with the fields'.
    A report asked with amount_text=True has its amounts written already, as DecimalField writes them."""
    groups = report["groups"]
    written = type(report["total"]["amount"]) is str  # report_summary writes every amount as text, or none
    for group in groups:
        if written:
            _ints_in_place(group)
        else:
            _group_output_in_place(group)
    return {**ReportSummarySerializer().to_representation({**report, "groups": []}), "groups": groups}  # in place


class ReportSummarySerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    preset = serializers.CharField(allow_null=True, help_text="The preset asked for; null for start and end.")
    group_by = serializers.CharField()
    then_by = serializers.CharField(allow_null=True)
    groups = ReportGroupSerializer(many=True)
    total = ReportTotalsSerializer()
    running_seconds = serializers.IntegerField(
        help_text="How many of the total's seconds are running timers, each counted from its start up to as_of."
    )
    as_of = UtcDateTimeField(help_text="The moment running timers were counted up to.")


# --- timesheets (approvals) and locked periods ---------------------------------------------------------------------


class TimesheetSerializer(serializers.Serializer):
    """One person-week: the person's ISO week (Monday, in their time zone), its hours and approval state."""

    user = serializers.IntegerField(source="user.pk")
    week = serializers.DateField(help_text="The Monday of the ISO week.")
    state = serializers.ChoiceField(choices=TimesheetState.choices)
    seconds = serializers.IntegerField(help_text="Tracked in the week; a running timer counts up to now.")
    running = serializers.BooleanField(help_text="Whether a running timer is part of `seconds`.")
    comment = serializers.CharField(help_text="The last decision's comment (a rejection's reason).")
    decided_by = serializers.IntegerField(source="decided_by.pk", allow_null=True, default=None)
    decided_at = UtcDateTimeField(allow_null=True)
    submitted_at = UtcDateTimeField(allow_null=True)

    class Meta:
        ref_name = "Timesheet"


class TimesheetQuerySerializer(serializers.Serializer):
    week = serializers.DateField(required=False, help_text="Any day of the week (YYYY-MM-DD); default: this week.")
    user = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text="A person's id.")
    team = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, help_text="A team's id.")


class TimesheetSubmitSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="Any day of your week to submit (YYYY-MM-DD).")


class TimesheetDecisionSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    week = serializers.DateField(help_text="Any day of the week (YYYY-MM-DD).")
    comment = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=2000, validators=[_no_nul], trim_whitespace=True
    )


class PeriodLockSerializer(ApiModelSerializer):
    team = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    created_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    reopened_by = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = PeriodLock
        fields = (
            "id",
            "until",
            "team",
            "locked_by_label",
            "active",
            "created_by",
            "created_at",
            "reopened_at",
            "reopened_by",
            "reopen_reason",
        )
        read_only_fields = fields


class PeriodLockCreateSerializer(serializers.Serializer):
    until = serializers.DateField(help_text="The last locked day, inclusive (YYYY-MM-DD).")
    team = serializers.PrimaryKeyRelatedField(
        queryset=Team.objects.all(), allow_null=True, required=False, default=None, help_text="null: everyone."
    )
    locked_by_label = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=60, validators=[_no_nul]
    )


class PeriodLockReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, validators=[_no_nul], help_text="Why the period is reopened.")
