"""Middleware of the accounts app."""

from allauth.account.internal.flows.login import get_authentication_records
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from .models import Role

_PASSWORD_METHODS = {"password", "code"}


def needs_second_factor(request) -> bool:
    """An admin signed in with a password, without an authenticator, while MFA_REQUIRED_FOR_ADMINS is on.

    Single sign-on sessions are left to the identity provider, which enforces its own second factor.
    """
    user = getattr(request, "user", None)
    if not getattr(settings, "MFA_REQUIRED_FOR_ADMINS", False) or user is None or not user.is_authenticated:
        return False
    if user.role != Role.ADMIN:
        return False
    methods = {record.get("method") for record in get_authentication_records(request)}
    if methods and not (methods & _PASSWORD_METHODS):
        return False
    authenticator = apps.get_model("mfa", "Authenticator")
    return not authenticator.objects.filter(user=user, type=authenticator.Type.TOTP).exists()


class AdminMfaRequiredMiddleware:
    """Send an admin who must set up two-factor authentication to the set-up page before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request) and not request.path.startswith(("/accounts/", settings.STATIC_URL)):
            messages.warning(request, "Administrators must set up two-factor authentication before continuing.")
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)
