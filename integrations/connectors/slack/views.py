"""Slack's request URLs (slash commands, Events API) and the personal Slack preferences page.

The request URLs are CSRF-exempt and authenticated by Slack's signature alone, checked on the raw body before
anything else; an unsigned, forged or stale (older than 5 minutes) request gets 401 and changes nothing.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import commands, services, tasks, verification
from .forms import PreferencesForm

logger = logging.getLogger(__name__)


def _authentic(request) -> bool:
    integration = services.slack_integration()
    secret = (integration.secrets or {}).get("signing_secret", "") if integration else ""
    valid = verification.signature_valid(
        secret,
        request.body,
        request.headers.get("X-Slack-Request-Timestamp"),
        request.headers.get("X-Slack-Signature"),
    )
    if not valid:
        logger.warning("Rejected a Slack request: missing, forged or stale signature, or Slack not configured")
    return valid


def _rejected() -> JsonResponse:
    return JsonResponse({"error": "Invalid, stale or missing Slack signature"}, status=401)


def profile_url() -> str:
    """Where a person links their Slack account: their profile page (which links the Slack preferences)."""
    return settings.SITE_URL + reverse("profile")


def _slash_command(request) -> HttpResponse:
    if request.POST.get("ssl_check"):  # Slack checking the certificate of the request URL
        return HttpResponse(status=200)
    slack_user_id = request.POST.get("user_id", "")
    user = services.user_for_slack_id(slack_user_id)
    if user is None:
        response_url = request.POST.get("response_url", "")
        if slack_user_id and response_url:
            try:  # linking by email asks Slack: in the background, answering through response_url
                tasks.slack_link_from_slack_task.delay(slack_user_id, response_url)
            except Exception:
                logger.exception("Could not queue the Slack account linking")
        return JsonResponse(commands.ephemeral(commands.unlinked_text(profile_url())))
    try:
        answer = commands.run(user=user, text=request.POST.get("text", ""), command=request.POST.get("command", "/tt"))
    except PermissionDenied as exc:
        answer = commands.ephemeral(str(exc))
    return JsonResponse(answer)


@csrf_exempt
@require_POST
def commands_view(request):
    """Slash commands: form-encoded, answered at once with an ephemeral message."""
    if not _authentic(request):
        return _rejected()
    return _slash_command(request)


@csrf_exempt
@require_POST
def events_view(request):
    """The Events API (url_verification; events are acknowledged). Slash commands posted here work too."""
    if not _authentic(request):
        return _rejected()
    if request.content_type == "application/x-www-form-urlencoded" and (
        "command" in request.POST or "ssl_check" in request.POST
    ):
        return _slash_command(request)
    try:
        payload = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "The body is neither JSON nor a slash command"}, status=400)
    if not isinstance(payload, dict):
        return JsonResponse({"error": "The body is not a JSON object"}, status=400)
    if payload.get("type") == "url_verification":
        return JsonResponse({"challenge": str(payload.get("challenge", ""))})
    return JsonResponse({"ok": True})


@login_required
def preferences_view(request):
    """A person's Slack link and notification preferences."""
    user = request.user
    preference = services.preference_get(user)
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
        "slack_configured": services.slack_integration() is not None,
        "timezone": user.timezone,
    }
    return render(request, "integrations/slack/preferences.html", context, status=status)
