"""Template context about sign-in, for the login page and the layout."""

from django.conf import settings


def sign_in(request):
    return {"oidc_only": getattr(settings, "OIDC_ONLY", False)}
