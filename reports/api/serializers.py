"""Serializers of the saved reports API: they validate the shape of input and shape output; the services check the
rules (ids the owner may see, who may change or verify) and write."""

from __future__ import annotations

from datetime import time as dt_time

from rest_framework import serializers

from tracking import periods
from tracking.api.serializers import ReportSummarySerializer, UtcDateTimeField
from tracking.reports import GROUP_BY_CHOICES

from ..definition import FILTERS, KEYS, MAX_IDS
from ..models import (
    ANNOTATION_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    NOTE_MAX,
    TAG_MAX,
    TAGS_MAX,
    AnnotationScope,
    ChartType,
    ShareKind,
    SubscriptionChannel,
    SubscriptionFrequency,
    Visibility,
)

MAX_ID = 2**63 - 1


def _ids(help_text: str) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=MAX_IDS,
        required=False,
        help_text=help_text,
    )


class _Strict(serializers.Serializer):
    """Refuses keys it does not know, so a typo in a filter is an error, not a report about everything."""

    known: tuple[str, ...] = ()

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(k)[:40] for k in set(data) - set(self.known))
            if unknown:
                raise serializers.ValidationError({k: ["Unknown field."] for k in unknown})
        return super().to_internal_value(data)


class DefinitionFiltersSerializer(_Strict):
    known = FILTERS
    client = _ids("Client ids.")
    project = _ids("Project ids.")
    task = _ids("Task ids.")
    user = _ids("User ids.")
    team = _ids("Team ids (their members' and managers' time).")
    tag = _ids("Tag ids.")
    billable = serializers.BooleanField(required=False, allow_null=True)


class DefinitionSerializer(_Strict):
    known = KEYS
    preset = serializers.ChoiceField(
        choices=list(periods.PRESETS),
        required=False,
        allow_null=True,
        help_text="A period that stays relative (seen from the viewer's today); or null with start and end.",
    )
    start = serializers.DateField(required=False, allow_null=True)
    end = serializers.DateField(required=False, allow_null=True)
    group_by = serializers.ChoiceField(choices=GROUP_BY_CHOICES)
    then_by = serializers.ChoiceField(choices=GROUP_BY_CHOICES, required=False, allow_null=True)
    filters = DefinitionFiltersSerializer(required=False)
    chart = serializers.ChoiceField(choices=ChartType.values, required=False, default=ChartType.BAR)


class SavedReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    tags = serializers.SerializerMethodField()
    visibility = serializers.ChoiceField(choices=Visibility.values, read_only=True)
    definition = serializers.JSONField(read_only=True, help_text="As given, with defaults filled in.")
    owner = serializers.IntegerField(source="owner_id", read_only=True, help_text="User id.")
    verified = serializers.BooleanField(read_only=True)
    favourite = serializers.BooleanField(source="is_favourite", read_only=True, help_text="In your favourites.")
    views_30d = serializers.IntegerField(read_only=True, help_text="Distinct people who opened it in 30 days.")
    created_by = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)
    created_at = UtcDateTimeField(read_only=True)
    updated_by = serializers.IntegerField(source="updated_by_id", read_only=True, allow_null=True)
    updated_at = UtcDateTimeField(read_only=True)

    def get_tags(self, obj) -> list[str]:
        return [t.name for t in obj.tags.all()]


class SavedReportWriteSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=NAME_MAX, required=False, allow_blank=True, help_text="Omit for the suggested name."
    )
    description = serializers.CharField(max_length=DESCRIPTION_MAX, required=False, allow_blank=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=TAG_MAX), max_length=TAGS_MAX, required=False)
    visibility = serializers.ChoiceField(choices=Visibility.values, required=False)
    definition = DefinitionSerializer(required=True)
    verified = serializers.BooleanField(required=False, help_text="Managers and admins only.")

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "definition" in values:  # back to JSON types: the service checks and stores the definition as data
            definition = dict(values["definition"])
            for name in ("start", "end"):
                if definition.get(name) is not None:
                    definition[name] = definition[name].isoformat()
            definition["filters"] = dict(definition.get("filters") or {})
            values["definition"] = definition
        return values


class AnnotationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    start = serializers.DateField()
    end = serializers.DateField(required=False, allow_null=True, help_text="Omit for one day.")
    text = serializers.CharField(max_length=ANNOTATION_MAX)
    scope = serializers.ChoiceField(choices=AnnotationScope.values, default=AnnotationScope.EVERYONE)
    scope_id = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True, help_text="The client, project, team or user."
    )


class CommentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    author = serializers.IntegerField(source="author_id", read_only=True, help_text="User id.")
    text = serializers.CharField(max_length=COMMENT_MAX)
    created_at = UtcDateTimeField(read_only=True)
    edited_at = UtcDateTimeField(read_only=True, allow_null=True)


class SavedReportResultsSerializer(ReportSummarySerializer):
    annotations = AnnotationSerializer(many=True, help_text="Notes in the period that you may see.")
    visible_people = serializers.IntegerField(
        required=False, help_text="Present when you see fewer people than the report covers: how many you see."
    )
    total_people = serializers.IntegerField(
        required=False, help_text="Present with visible_people: how many people have time in the report."
    )


class FavouriteSerializer(serializers.Serializer):
    favourite = serializers.BooleanField()


class ShareLinkWriteSerializer(_Strict):
    known = ("kind", "expires_at", "password", "members_only", "show_names", "allow_csv", "note")
    kind = serializers.ChoiceField(choices=ShareKind.values, default=ShareKind.LIVE)
    expires_at = UtcDateTimeField(
        required=False, allow_null=True, default=None, help_text="In the future; null: the installation's default."
    )
    password = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, default=None, max_length=128, trim_whitespace=False
    )
    members_only = serializers.BooleanField(default=False)
    show_names = serializers.BooleanField(default=False, help_text="Otherwise people are “Person 1…n”.")
    allow_csv = serializers.BooleanField(default=False)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX)


class ShareLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    report = serializers.IntegerField(source="report_id", read_only=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    kind = serializers.CharField()
    expires_at = UtcDateTimeField(allow_null=True)
    has_password = serializers.BooleanField()
    members_only = serializers.BooleanField()
    show_names = serializers.BooleanField()
    allow_csv = serializers.BooleanField()
    note = serializers.CharField()
    views = serializers.IntegerField()
    last_viewed_at = UtcDateTimeField(allow_null=True)
    created_at = UtcDateTimeField()
    revoked_at = UtcDateTimeField(allow_null=True)


class ShareLinkCreatedSerializer(ShareLinkSerializer):
    url = serializers.URLField(help_text="Absolute, ending in /s/<token>/: the token is shown only in this answer.")


class SubscriptionWriteSerializer(_Strict):
    known = ("saved_report", "channel", "target", "frequency", "weekday", "day", "time")
    saved_report = serializers.IntegerField(min_value=1, max_value=2**62)
    channel = serializers.ChoiceField(choices=SubscriptionChannel.values)
    target = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        max_length=254,
        help_text="A Slack channel id (C…) or an email address; null: you (your Slack DM or your own email).",
    )
    frequency = serializers.ChoiceField(choices=SubscriptionFrequency.values)
    weekday = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=0, max_value=6, help_text="Weekly: 0 = Monday."
    )
    day = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=28, help_text="Monthly: 1-28."
    )
    time = serializers.RegexField(
        r"^([01]\d|2[0-3]):[0-5]\d$",
        max_length=5,
        error_messages={"invalid": "Enter a time as HH:MM (00:00-23:59)."},
        help_text="HH:MM in your time zone at delivery.",
    )

    def validate_time(self, value):
        return dt_time(int(value[:2]), int(value[3:]))

    def validate(self, attrs):
        if attrs["frequency"] == SubscriptionFrequency.WEEKLY and attrs.get("weekday") is None:
            raise serializers.ValidationError({"weekday": ["Required for a weekly subscription (0 = Monday)."]})
        if attrs["frequency"] == SubscriptionFrequency.MONTHLY and attrs.get("day") is None:
            raise serializers.ValidationError({"day": ["Required for a monthly subscription (1-28)."]})
        return attrs


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    saved_report = serializers.IntegerField(source="report_id", read_only=True)
    saved_report_name = serializers.CharField(source="report.name", read_only=True)
    channel = serializers.CharField()
    target = serializers.CharField(allow_null=True, help_text="null: you.")
    frequency = serializers.CharField()
    weekday = serializers.IntegerField(allow_null=True)
    day = serializers.IntegerField(allow_null=True)
    time = serializers.TimeField(format="%H:%M")
    active = serializers.BooleanField()
    last_error = serializers.CharField(help_text="Why the last delivery failed; empty once one succeeds.")
    last_error_at = UtcDateTimeField(allow_null=True)
    check_status = serializers.CharField(
        help_text="pending: the target is being checked with its provider (Slack); ok; failed: see check_error."
    )
    check_error = serializers.CharField(help_text="Why the target cannot be used (when check_status is failed).")
    created_at = UtcDateTimeField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["target"] = data["target"] or None
        return data
