from django import forms
from django.utils.translation import gettext_lazy as _

from tracking import periods

from .models import Verb


class ActivityFilterForm(forms.Form):
    user = forms.ModelChoiceField(queryset=None, required=False, empty_label=_("Everyone"))
    verb = forms.ChoiceField(choices=[("", _("Any action")), *Verb.choices], required=False, label=_("Action"))
    date_from = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            problem = data.get(name) and periods.outside_window(data[name], field="date")
            if problem:
                self.add_error(name, problem)
                return data
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return data


class AnalyticsPreferenceForm(forms.Form):
    opted_out = forms.BooleanField(
        required=False,
        label=_("Opt out of product analytics"),
        help_text=_(
            "When ticked, nothing about you is sent to the product analytics service: no events, no profile, "
            "no feature flag requests. The local activity log is not affected."
        ),
    )
