"""The outbound HTTP helper every provider client builds on.

`requests` with a **total deadline** per call (settings.OUTBOUND_HTTP_TIMEOUT, 5 s by default): connecting, waiting
for the answer, reading its body and any retries all fit in it, so a provider that accepts connections and never
answers (or trickles its answer) holds a worker for at most that long. Idempotent methods are retried with
exponential backoff on connection errors, timeouts and 502/503/504 while the deadline allows (a POST is never sent
twice). Logs name a token only by its first characters.
"""

from __future__ import annotations

import logging
import time

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.exceptions import HTTPError, ReadTimeoutError
from urllib3.util import Timeout

from .crypto import mask

logger = logging.getLogger(__name__)

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
CHUNK = 64 * 1024


class DeadlineExceeded(requests.Timeout):
    """The provider did not answer within the call's total deadline."""


class ProviderClient:
    """Base of a provider's client: a requests.Session pointed at `base_url` with auth from a token.

    `timeout` is the total deadline of one call in seconds (settings.OUTBOUND_HTTP_TIMEOUT when not given).
    """

    user_agent = "TimeTracker"
    retries = 3
    backoff_factor = 0.5
    retry_statuses = (502, 503, 504)

    def __init__(self, base_url: str, token: str = "", *, timeout: float | None = None):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = float(timeout if timeout is not None else settings.OUTBOUND_HTTP_TIMEOUT)
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=0)  # retries are ours, inside the deadline
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers["User-Agent"] = self.user_agent
        self.session.headers.update(self.auth_headers())

    def auth_headers(self) -> dict:
        return {}

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        total = float(kwargs.pop("timeout", None) or self.timeout)
        deadline = time.monotonic() + total
        url = self.url(path)
        where = url.split("?")[0]
        retry = method.upper() in IDEMPOTENT
        logger.debug("%s %s (token %s)", method, where, mask(self.token) or "none")
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlineExceeded(f"{where}: no answer within {total:g} s")
            try:
                response = self.session.request(method, url, timeout=Timeout(total=remaining), stream=True, **kwargs)
                self._read_body(response, deadline, where, total)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if not (retry and attempt < self.retries and self._pause(attempt, deadline)):
                    if isinstance(exc, requests.Timeout) and not isinstance(exc, DeadlineExceeded):
                        raise DeadlineExceeded(f"{where}: no answer within {total:g} s") from exc
                    raise
                attempt += 1
                continue
            logger.debug("%s %s -> %s", method, where, response.status_code)
            if (
                retry
                and response.status_code in self.retry_statuses
                and attempt < self.retries
                and self._pause(attempt, deadline, response.headers.get("Retry-After"))
            ):
                attempt += 1
                continue
            return response

    def _pause(self, attempt: int, deadline: float, retry_after: str | None = None) -> bool:
        """Sleep before the next attempt; False when that would leave no time for it."""
        pause = self.backoff_factor * (2**attempt)
        if retry_after and retry_after.isdigit():
            pause = max(pause, float(retry_after))
        if time.monotonic() + pause >= deadline:
            return False
        time.sleep(pause)
        return True

    @staticmethod
    def _read_body(response: requests.Response, deadline: float, where: str, total: float) -> None:
        """Read the whole body, giving up at the deadline (a server that trickles bytes does not extend it)."""
        chunks = []
        try:
            while chunk := response.raw.read1(CHUNK, decode_content=True):  # whatever has arrived, not a full CHUNK
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    raise DeadlineExceeded(f"{where}: the answer took longer than {total:g} s")
        except ReadTimeoutError as exc:  # read raw, so in urllib3's words: say it in requests' (callers catch those)
            response.close()
            raise DeadlineExceeded(f"{where}: the answer took longer than {total:g} s") from exc
        except HTTPError as exc:
            response.close()
            raise requests.ConnectionError(f"{where}: the answer broke off ({exc.__class__.__name__})") from exc
        except BaseException:
            response.close()
            raise
        # What requests' own `content` property would have read: the body is kept, as without stream=True.
        response._content = b"".join(chunks)
        response._content_consumed = True

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def close(self) -> None:
        self.session.close()
