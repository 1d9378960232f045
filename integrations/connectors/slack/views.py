"""The personal Slack preferences page. Slack's own request URLs go through the framework (see connector.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import render

from . import selectors, services
from .forms import PreferencesForm


@login_required
def preferences_view(request):
    """A person's Slack link and notification preferences."""
    user = request.user
    preference = selectors.preference_get(user)
    message, error, status = "", "", 200
    if request.method == "POST" and request.POST.get("action") == "link_by_email":
        form = PreferencesForm(initial=PreferencesForm.initial_for(user, preference))
        try:
            slack_user_id = services.slack_user_link_by_email(actor=user, user=user)
            message = f"Linked to the Slack member {slack_user_id}."
            form = PreferencesForm(initial=PreferencesForm.initial_for(user, preference))
        except ValidationError as exc:
            error, status = " ".join(exc.messages), 400
    elif request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    if data["slack_user_id"].upper() != user.slack_user_id:
                        services.slack_user_link(actor=user, user=user, slack_user_id=data["slack_user_id"])
                    preference = services.preference_update(
                        actor=user,
                        user=user,
                        notify_on_start=data["notify_on_start"],
                        notify_on_stop=data["notify_on_stop"],
                        daily_summary=data["daily_summary"],
                        notify_on_comment=data["notify_on_comment"],
                        summary_time=data["summary_time"],
                    )
                message = "Saved."
            except ValidationError as exc:
                by_field = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
                for field, errors in by_field.items():
                    form.add_error(field if field in form.fields else None, [m for e in errors for m in e.messages])
        if form.errors:
            status = 400
    else:
        form = PreferencesForm(initial=PreferencesForm.initial_for(user, preference))
    context = {
        "form": form,
        "message": message,
        "error": error,
        "slack_configured": selectors.slack_integration() is not None,
        "timezone": user.timezone,
    }
    return render(request, "integrations/slack/preferences.html", context, status=status)
