"""Request rate limits of the API.

- `ApiRateThrottle`: requests per API token (or signed-in user), from settings.API_THROTTLE_RATE ("600/minute").
- `FailedAuthenticationThrottle`: failed token authentications per client address, from
  settings.API_AUTH_FAILURE_RATE ("60/minute"). Past it, every token request from that address answers 429 with
  Retry-After, even with a good token, until the window has room again. The client address is REMOTE_ADDR; behind
  TRUSTED_PROXY_COUNT reverse proxies it is the address that many entries from the right of X-Forwarded-For (the
  one the nearest trusted proxy saw), so a client cannot pick its own address by sending the header.

Rates are read on every request, so they follow the settings (and tests can change them). The counters live in the
cache; when it is unavailable the throttles fail open and log a warning: an outage of Redis never refuses a request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import ApiToken

logger = logging.getLogger(__name__)


class FailOpenThrottle(SimpleRateThrottle):
    """A throttle whose counter store failing lets the request through, with a warning in the log."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception as exc:
            logger.warning("Throttle %s not enforced: %s", self.scope, exc.__class__.__name__)
            return True


class ApiRateThrottle(FailOpenThrottle):
    scope = "api"

    def get_rate(self):
        return getattr(settings, "API_THROTTLE_RATE", None) or None

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"anon:{self.get_ident(request)}"
        return f"throttle_api_{ident}"


class FailedAuthenticationThrottle(SimpleRateThrottle):
    """Counts failed authentications per client address; `check` refuses an address that has used up its rate."""

    scope = "auth_failure"

    def get_rate(self):
        return getattr(settings, "API_AUTH_FAILURE_RATE", None) or None

    def get_cache_key(self, request, view=None):
        return f"throttle_auth_failure_{self.get_ident(request)}"

    def check(self, request) -> None:
        """Raise Throttled (429 with Retry-After) when the client's address has failed too often lately."""
        if self.rate is None:
            return
        try:
            self.key = self.get_cache_key(request)
            self.history = self.cache.get(self.key, [])
            self.now = self.timer()
            while self.history and self.history[-1] <= self.now - self.duration:
                self.history.pop()
            blocked = len(self.history) >= self.num_requests
        except Exception as exc:
            logger.warning("Throttle %s not enforced: %s", self.scope, exc.__class__.__name__)
            return
        if blocked:
            raise exceptions.Throttled(wait=self.wait(), detail="Too many failed authentications from your address.")

    def record_failure(self, request) -> None:
        if self.rate is None:
            return
        try:
            key = self.get_cache_key(request)
            now = self.timer()
            history = [t for t in self.cache.get(key, []) if t > now - self.duration]
            history.insert(0, now)
            self.cache.set(key, history[: self.num_requests + 1], self.duration)
        except Exception as exc:
            logger.warning("Throttle %s not recorded: %s", self.scope, exc.__class__.__name__)
