"""The outbound HTTP helper every provider client builds on.

`requests` with a 10 s timeout, retries with exponential backoff for idempotent methods only (a POST is never
sent twice), and logs that name a token only by its first characters.
"""

from __future__ import annotations

import logging

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .crypto import mask

logger = logging.getLogger(__name__)

TIMEOUT = 10
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


class ProviderClient:
    """Base of a provider's client: a requests.Session pointed at `base_url` with auth from a token."""

    user_agent = "TimeTracker"
    retries = 3
    backoff_factor = 0.5
    retry_statuses = (502, 503, 504)

    def __init__(self, base_url: str, token: str = "", *, timeout: float = TIMEOUT):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.session = requests.Session()
        retry = Retry(
            total=self.retries,
            connect=self.retries,
            read=self.retries,
            status=self.retries,
            backoff_factor=self.backoff_factor,
            status_forcelist=self.retry_statuses,
            allowed_methods=IDEMPOTENT,
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers.update(self.auth_headers())

    def auth_headers(self) -> dict:
        return {}

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        url = self.url(path)
        logger.debug("%s %s (token %s)", method, url.split("?")[0], mask(self.token) or "none")
        response = self.session.request(method, url, **kwargs)
        logger.debug("%s %s -> %s", method, url.split("?")[0], response.status_code)
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def close(self) -> None:
        self.session.close()
