"""DRF authentication with personal API tokens: `Authorization: Bearer tt_...` (or `Token tt_...`).

Listed first in REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] so a request without credentials gets a 401 with
`WWW-Authenticate: Bearer`; session authentication follows for the browsable API. Other apps (integrations) may
use ApiTokenAuthentication on their own views.

Failed attempts are counted per client address (throttling.FailedAuthenticationThrottle): an address that keeps
guessing gets 429 with Retry-After instead of an answer, whatever token it sends next.
"""

from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from accounts.services import api_token_authenticate

from .throttling import FailedAuthenticationThrottle

KEYWORDS = ("bearer", "token")


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() not in KEYWORDS:
            return None
        throttle = FailedAuthenticationThrottle()
        throttle.check(request)
        if len(parts) != 2:
            throttle.record_failure(request)
            raise exceptions.AuthenticationFailed(
                "Malformed Authorization header: send “Authorization: Bearer tt_…”.", code="invalid_token"
            )
        try:
            raw = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raw = ""
        token = api_token_authenticate(raw)
        if token is None:
            throttle.record_failure(request)
            raise exceptions.AuthenticationFailed("The API token is invalid, expired or revoked.", code="invalid_token")
        return token.owner, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'
