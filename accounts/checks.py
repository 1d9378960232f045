"""System checks: a wrong OIDC_ROLE_MAP or OIDC_DEFAULT_ROLE is reported at start-up, not at someone's login."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from . import oidc


@checks.register(checks.Tags.security)
def check_oidc_settings(app_configs, **kwargs):
    errors = []
    for fn in (oidc.role_map, oidc.default_role):
        try:
            fn()
        except ImproperlyConfigured as exc:
            errors.append(checks.Error(str(exc), id="accounts.E001"))
    for app in settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", []):
        if not app.get("client_id") or not app.get("settings", {}).get("server_url"):
            errors.append(
                checks.Error(
                    f"Single sign-on provider “{app.get('provider_id', '?')}” needs a server URL and a client id "
                    "(OIDC_SERVER_URL, OIDC_CLIENT_ID).",
                    id="accounts.E002",
                )
            )
    return errors
