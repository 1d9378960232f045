"""Forms of the saved reports pages: they parse input; the services decide (their errors land on the fields)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model

from accounts import policy
from accounts.models import Team
from tracking.models import Client, Project
from tracking.views.reports import ReportForm

from .definition import ID_FILTERS, definition_from_question
from .models import (
    ANNOTATION_MAX,
    COMMENT_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    NOTE_MAX,
    AnnotationScope,
    ChartType,
    ShareKind,
    SubscriptionChannel,
    SubscriptionFrequency,
    Visibility,
)


class SavedReportForm(ReportForm):
    """The report's question (the ad-hoc report's fields) and what a saved report adds: name, description, tags,
    visibility, chart."""

    name = forms.CharField(max_length=NAME_MAX, required=False, help_text="Leave empty for the suggested name.")
    description = forms.CharField(
        max_length=DESCRIPTION_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the report answers and what to know when reading it. Links are shown as links.",
    )
    tags_text = forms.CharField(label="Tags", max_length=600, required=False, help_text="Comma separated")
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PRIVATE)
    chart = forms.ChoiceField(label="Chart", choices=ChartType.choices, initial=ChartType.BAR)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="All teams")
    save_anyway = forms.BooleanField(required=False, widget=forms.HiddenInput)

    field_order = ["name", "description", "tags_text", "visibility", "preset", "start", "end", "group_by", "then_by"]

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, viewer=viewer, **kwargs)
        self.fields["team"].queryset = policy.visible(viewer, Team.objects.all())
        if viewer.role == "viewer":
            self.fields["visibility"].choices = [(Visibility.PRIVATE, Visibility.PRIVATE.label)]

    def definition(self, keep: dict | None = None) -> dict:
        """The definition the form describes; filters with several values in `keep` (set through the API) stay
        unless the form sets that filter."""
        question = self.question()
        if self.cleaned_data.get("team") is not None:
            question["filters"]["team"] = self.cleaned_data["team"].pk
        definition = definition_from_question(question)
        for name in ID_FILTERS:
            previous = ((keep or {}).get("filters") or {}).get(name) or []
            if name not in definition["filters"] and len(previous) > 1:
                definition["filters"][name] = previous
        definition["chart"] = self.cleaned_data.get("chart") or ChartType.BAR
        return definition

    def tags(self) -> list[str]:
        return [t.strip() for t in (self.cleaned_data.get("tags_text") or "").split(",") if t.strip()]


class CommentForm(forms.Form):
    text = forms.CharField(label="Comment", max_length=COMMENT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class AnnotationForm(forms.Form):
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(
        required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To", help_text="Empty: one day"
    )
    text = forms.CharField(label="Note", max_length=ANNOTATION_MAX)
    scope = forms.ChoiceField(choices=AnnotationScope.choices, initial=AnnotationScope.EVERYONE, label="About")
    client = forms.ModelChoiceField(queryset=Client.objects.none(), required=False, empty_label="—")
    project = forms.ModelChoiceField(queryset=Project.objects.none(), required=False, empty_label="—")
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False, empty_label="—")
    user = forms.ModelChoiceField(queryset=None, required=False, empty_label="—", label="Person")

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = policy.visible(viewer, Client.objects.filter(archived=False))
        self.fields["project"].queryset = policy.visible(viewer, Project.objects.filter(archived=False))
        self.fields["team"].queryset = policy.visible(viewer, Team.objects.all())
        self.fields["user"].queryset = policy.visible(viewer, get_user_model().objects.filter(is_active=True))
        if viewer.role in ("member", "viewer"):
            self.fields["scope"].choices = [(AnnotationScope.USER, "My own time")]
            self.fields["scope"].initial = AnnotationScope.USER
            for name in ("client", "project", "team", "user"):
                del self.fields[name]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        scope = data["scope"]
        target = data.get(scope) if scope in ("client", "project", "team", "user") else None
        return {
            "start": data["start"],
            "end": data.get("end"),
            "text": data["text"],
            "scope": scope,
            "scope_id": target.pk if target is not None else None,
        }


class ShareLinkForm(forms.Form):
    """Share a saved report outside the app: the options of a link (reports.services.share_link_create decides)."""

    kind = forms.ChoiceField(
        label="Kind",
        choices=ShareKind.choices,
        initial=ShareKind.SNAPSHOT,
        widget=forms.RadioSelect,
        help_text="Live: recomputed at each view with what you may see then. Snapshot: the numbers as they are now.",
    )
    expires_on = forms.DateField(
        label="Expires on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The link stops working at the end of that day. Empty: the installation's default.",
    )
    password = forms.CharField(
        label="Password (optional)",
        required=False,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters; send it separately from the link.",
    )
    members_only = forms.BooleanField(label="Organisation members only (sign-in required)", required=False)
    show_names = forms.BooleanField(
        label="Show people's names", required=False, help_text="Otherwise people are “Person 1…n”."
    )
    allow_csv = forms.BooleanField(label="Allow downloading the table as CSV", required=False)
    note = forms.CharField(
        label="Note (for you)", required=False, max_length=NOTE_MAX, help_text="Where and why you shared it."
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer = viewer

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        day = data.pop("expires_on")
        expires_at = None
        if day is not None:
            end_of_day = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.viewer.tzinfo)
            expires_at = end_of_day
        return {**data, "expires_at": expires_at, "password": data["password"] or None}


WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]


class SubscriptionForm(forms.Form):
    """Subscribe to a saved report (reports.services.subscription_create checks the target and the schedule)."""

    channel = forms.ChoiceField(label="Deliver by", choices=sorted(SubscriptionChannel.choices))  # email first
    target = forms.CharField(
        label="To (optional)",
        required=False,
        max_length=254,
        help_text="Empty: you (your email, or a Slack direct message). Or an email address, or a Slack channel id "
        "(C0123ABCD) the bot is in.",
    )
    frequency = forms.ChoiceField(label="How often", choices=SubscriptionFrequency.choices)
    weekday = forms.TypedChoiceField(
        label="Weekday (weekly)", choices=[("", "—"), *WEEKDAYS], coerce=int, empty_value=None, required=False
    )
    day = forms.TypedChoiceField(
        label="Day of the month (monthly)",
        choices=[("", "—"), *((d, str(d)) for d in range(1, 29))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    time = forms.TimeField(
        label="Time",
        initial="09:00",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In your time zone.",
    )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        frequency = data["frequency"]
        return {
            "channel": data["channel"],
            "target": data.get("target") or None,
            "frequency": frequency,
            "weekday": data.get("weekday") if frequency == SubscriptionFrequency.WEEKLY else None,
            "day": data.get("day") if frequency == SubscriptionFrequency.MONTHLY else None,
            "time": data["time"].replace(second=0, microsecond=0),
        }
