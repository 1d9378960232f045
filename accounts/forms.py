"""Forms of the profile page."""

import zoneinfo

from django import forms

from .models import User

TIMEZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]

SCOPE_CHOICES = [
    ("read:time_entries", "Read time entries"),
    ("write:time_entries", "Write time entries"),
    ("read:projects", "Read projects"),
    ("write:projects", "Write projects"),
    ("read:clients", "Read clients"),
    ("write:clients", "Write clients"),
    ("read:tasks", "Read tasks"),
    ("write:tasks", "Write tasks"),
    ("read:reports", "Read reports"),
    ("read:users", "Read users"),
]


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(choices=TIMEZONE_CHOICES, help_text="Times are shown and entered in this zone.")

    class Meta:
        model = User
        fields = ["full_name", "timezone", "rounding_mode", "rounding_minutes", "github_username", "slack_user_id"]
        labels = {"github_username": "GitHub username", "slack_user_id": "Slack user id"}
        help_texts = {
            "rounding_mode": "Durations of your new and edited entries are rounded this way.",
            "slack_user_id": "Looks like U012AB3CD (Slack: your profile → ⋯ → Copy member ID).",
        }


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “laptop script”.")
    scopes = forms.MultipleChoiceField(
        choices=SCOPE_CHOICES, widget=forms.CheckboxSelectMultiple, initial=["read:time_entries", "write:time_entries"]
    )
    expires_in_days = forms.IntegerField(
        required=False, min_value=1, max_value=3650, label="Expires after (days)", help_text="Empty: never expires."
    )
