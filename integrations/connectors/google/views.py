"""The OAuth pages: connect (to Google's consent screen), callback (back from it) and disconnect.

Each ends on the Integrations page with a message on the Google Calendar card; nothing here renders its own page.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.policy import PolicyDenied

from ...models import Integration
from . import oauth, store

MESSAGE_TAG = "google-calendar"


def _back_to_card():
    return redirect(f"{reverse('integrations:index')}#card-google-personal")


@login_required
@require_GET
def connect(request):
    try:
        url = oauth.begin(request)
    except PolicyDenied as exc:  # viewers have no Google card to show a message on
        return HttpResponseForbidden(str(exc))
    except oauth.OAuthFlowError as exc:
        messages.error(request, str(exc), extra_tags=MESSAGE_TAG)
        return _back_to_card()
    return redirect(url)


@login_required
@require_GET
def callback(request):
    try:
        message = oauth.finish(request)
    except PolicyDenied as exc:
        return HttpResponseForbidden(str(exc))
    except oauth.OAuthFlowError as exc:
        messages.error(request, str(exc), extra_tags=MESSAGE_TAG)
    else:
        messages.success(request, message, extra_tags=MESSAGE_TAG)
    return _back_to_card()


@login_required
@require_POST
def disconnect(request):
    integration = Integration.objects.filter(provider=store.PROVIDER, owner=request.user).first()
    if integration is None or not store.is_connected(integration) and not integration.is_active:
        messages.info(request, "Google Calendar is not connected.", extra_tags=MESSAGE_TAG)
        return _back_to_card()
    try:
        result = store.google_disconnect(actor=request.user, integration=integration)
    except PolicyDenied as exc:
        return HttpResponseForbidden(str(exc))
    messages.success(request, result["message"], extra_tags=MESSAGE_TAG)
    return _back_to_card()
