"""Forms of the profile page."""

import zoneinfo

from django import forms

from .models import SCOPE_ADMIN, SCOPES, User

TIMEZONE_CHOICES = [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]

# The `admin` scope is left out here: administrators create such tokens with `manage.py create_api_token`.
SCOPE_CHOICES = [(scope, scope) for scope in SCOPES if scope != SCOPE_ADMIN]


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
