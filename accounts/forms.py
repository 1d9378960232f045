"""Forms of the accounts app."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.conf import settings

from .models import Role

BREAK_GLASS_URL_NAME = "accounts_login_local"


class LoginForm(AllauthLoginForm):
    """allauth's login form; with OIDC_ONLY, passwords are accepted only for admins on the break-glass page."""

    def clean(self):
        cleaned = super().clean()
        if not getattr(settings, "OIDC_ONLY", False) or self.errors or self.user is None:
            return cleaned
        match = getattr(self.request, "resolver_match", None)
        from_break_glass = match is not None and match.url_name == BREAK_GLASS_URL_NAME
        if not from_break_glass or self.user.role != Role.ADMIN:
            self.user = None
            raise forms.ValidationError(
                "Password sign-in is turned off: use the single sign-on button. "
                "(Administrators have a separate emergency sign-in page.)",
                code="password_login_disabled",
            )
        return cleaned
