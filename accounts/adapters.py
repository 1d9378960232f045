"""allauth adapters: who may sign up, how single sign-on provisions users and maps their role at every login.

Local sign-up is closed unless ACCOUNT_ALLOW_SIGNUP is set (admins create accounts). Single sign-on provisions a
user on first login from the claims (email, name, preferred_username) and, at every login, gives them the role
that OIDC_ROLE_MAP assigns to their groups (accounts.oidc). Role changes go through accounts.services so they are
recorded and announced like an admin's. Two-factor secrets are encrypted at rest (MFAAdapter, accounts.mfa).
"""

from __future__ import annotations

import logging

import requests
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from django.conf import settings
from django.shortcuts import render

from . import mfa, oidc, services

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return bool(getattr(settings, "ACCOUNT_ALLOW_SIGNUP", False))


def _claims(sociallogin) -> dict:
    return oidc.claims_of(sociallogin.account.extra_data or {})


def unreachable_reason() -> str:
    return (
        "The identity provider could not be reached or answered with an error. "
        "Check OIDC_SERVER_URL and that TimeTracker can reach it."
    )


def _failure_reason(error, exception) -> str:
    """A sentence an admin can act on. Never includes a secret: only the error kind and the provider's error code."""
    text = str(exception or "")
    if error == AuthError.DENIED:
        return "The identity provider refused the sign-in (access denied)."
    if isinstance(exception, requests.RequestException):
        return unreachable_reason()
    if isinstance(exception, OAuth2Error):
        if "invalid_client" in text or "401" in text:
            return (
                "The identity provider did not accept TimeTracker's client credentials (invalid_client). "
                "Check OIDC_CLIENT_ID and OIDC_CLIENT_SECRET."
            )
        if "id_token" in text:
            return (
                "The identity provider's ID token could not be verified: its issuer, audience or signature does not "
                "match. Check that OIDC_SERVER_URL is exactly the provider's issuer and OIDC_CLIENT_ID its client."
            )
        if "access token" in text.lower():
            return "The identity provider refused to issue an access token. Check the client settings."
    if exception is not None and "state" in text.lower():
        return "The sign-in took too long or was started in another browser; please try again."
    return "The sign-in with the identity provider failed. Please try again, or ask your administrator."


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return bool(getattr(settings, "OIDC_AUTO_PROVISION", True))

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        claims = _claims(sociallogin)
        user.full_name = (claims.get("name") or " ".join(filter(None, [user.first_name, user.last_name])))[:200]
        mapped = oidc.role_for_groups(oidc.groups_from_claims(claims))
        user.role = mapped or oidc.default_role()
        return user

    def pre_social_login(self, request, sociallogin) -> None:
        # New users got their role in populate_user; existing ones get the one their groups map to, every login.
        if not sociallogin.is_existing:
            return
        mapped = oidc.role_for_groups(oidc.groups_from_claims(_claims(sociallogin)))
        if mapped is not None and mapped != sociallogin.user.role:
            services.user_role_set(actor=None, user=sociallogin.user, role=mapped)

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        reason = _failure_reason(error, exception)
        provider_id = getattr(getattr(provider, "app", None), "provider_id", None) or getattr(provider, "id", "?")
        logger.warning(
            "single sign-on failed: provider=%s error=%s exception=%s",
            provider_id,
            error,
            type(exception).__name__ if exception else None,
        )
        context = {
            "auth_error": {"provider": provider, "code": error, "exception": exception},
            "reason": reason,
            **(extra_context or {}),
        }
        raise ImmediateHttpResponse(render(request, "socialaccount/authentication_error.html", context, status=400))


class MFAAdapter(DefaultMFAAdapter):
    """Two-factor secrets (TOTP secret, recovery-code seed) encrypted at rest with the project's keys: accounts.mfa."""

    def encrypt(self, text: str) -> str:
        return mfa.seal(text)

    def decrypt(self, encrypted_text: str) -> str:
        return mfa.unseal(encrypted_text)
