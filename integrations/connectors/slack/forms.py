"""The Slack preferences form (validation only; saving goes through the Slack services)."""

from __future__ import annotations

from django import forms

from .models import Delivery


class PreferencesForm(forms.Form):
    slack_user_id = forms.CharField(
        label="Slack member ID",
        required=False,
        max_length=32,
        help_text="In Slack: your profile → ⋮ → Copy member ID (e.g. U012AB3CD). Empty unlinks.",
    )
    notify_on_start = forms.ChoiceField(label="When my timer starts", choices=Delivery.choices)
    notify_on_stop = forms.ChoiceField(label="When my timer stops", choices=Delivery.choices)
    daily_summary = forms.BooleanField(label="Send me a daily summary", required=False)
    notify_on_comment = forms.BooleanField(
        label="Tell me when someone comments on a saved report I own", required=False
    )
    summary_time = forms.TimeField(
        label="At (HH:MM, my time zone)",
        input_formats=["%H:%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time"}),
    )

    @staticmethod
    def initial_for(user, preference) -> dict:
        return {
            "slack_user_id": user.slack_user_id,
            "notify_on_start": preference.notify_on_start,
            "notify_on_stop": preference.notify_on_stop,
            "daily_summary": preference.daily_summary,
            "notify_on_comment": preference.notify_on_comment,
            "summary_time": preference.summary_time,
        }
