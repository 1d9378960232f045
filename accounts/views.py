"""Web pages of the accounts app: the data export, the managed-email page, the break-glass sign-in.

The account page itself (/profile/) is in accounts.profile_views."""

import json
import logging

import requests
from allauth.account.views import LoginView
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import services
from .adapters import unreachable_reason

logger = logging.getLogger(__name__)


@login_required
@require_GET
def account_data_export(request):
    """Everything TimeTracker holds about the signed-in person, as a JSON download."""
    data = services.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    filename = f"timetracker-{request.user.username}-{timezone.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def account_email_managed(request):
    """Email addresses are set by an administrator or by single sign-on, never added by the person.

    Replaces allauth's email management page: an address someone could add to their own account would otherwise be
    matched when a colleague with that address first signs in with single sign-on.
    """
    return render(request, "accounts/email_managed.html")


class BreakGlassLoginView(LoginView):
    """The password form for administrators when OIDC_ONLY hides it on the normal sign-in page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["break_glass"] = True
        return context


account_login_local = BreakGlassLoginView.as_view()


def _provider_unreachable(request, provider_id: str):
    logger.warning("single sign-on failed: provider=%s could not be reached", provider_id)
    context = {"reason": unreachable_reason()}
    return render(request, "socialaccount/authentication_error.html", context, status=502)


def oidc_login(request, provider_id):
    """allauth's OpenID Connect sign-in, with a clear page instead of an error when the provider is unreachable."""
    try:
        return oidc_views.login(request, provider_id)
    except requests.RequestException:
        return _provider_unreachable(request, provider_id)


def oidc_callback(request, provider_id):
    try:
        return oidc_views.callback(request, provider_id)
    except requests.RequestException:
        return _provider_unreachable(request, provider_id)
