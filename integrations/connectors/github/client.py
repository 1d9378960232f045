"""GitHub's REST API, through the shared ProviderClient (a total deadline per call, retries for idempotent calls).

The base URL is settings.GITHUB_API_URL (`https://api.github.com`, or `https://HOST/api/v3` for GitHub
Enterprise Server).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import requests
from django.conf import settings

from ...http import ProviderClient


class RateLimited(requests.RequestException):
    """GitHub's rate limit is used up until `reset_at` (a Unix time), further away than we are willing to wait."""

    def __init__(self, reset_at: int | None):
        self.reset_at = reset_at
        super().__init__("GitHub rate limit reached")


class GitHubClient(ProviderClient):
    user_agent = "TimeTracker-GitHub-connector"

    def __init__(self, token: str = "", *, base_url: str | None = None):
        super().__init__(base_url or settings.GITHUB_API_URL, token)

    def auth_headers(self) -> dict:
        headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def repository(self, full_name: str) -> dict:
        response = self.get(f"repos/{full_name}")
        self._raise_for(response)
        return response.json()

    def open_issues(self, full_name: str, *, per_page: int = 100) -> Iterator[list[dict]]:
        """Yield the repository's open issues page by page, following the `Link: rel="next"` header to the end.

        Pull requests come too (GitHub lists them as issues); the caller skips them.
        """
        url = f"repos/{full_name}/issues"
        params: dict | None = {"state": "open", "per_page": per_page}
        while url:
            response = self.get(url, params=params)
            self._raise_for(response)
            yield response.json()
            next_url = response.links.get("next", {}).get("url")
            if next_url:
                self._wait_for_rate_limit(response)
            url, params = next_url, None  # the next link carries its own query

    # -- rate limits -----------------------------------------------------------------------------------------------
    def _raise_for(self, response: requests.Response) -> None:
        if response.status_code in (403, 429) and (
            response.headers.get("X-RateLimit-Remaining") == "0" or "Retry-After" in response.headers
        ):
            raise RateLimited(self._reset_at(response))
        response.raise_for_status()

    @staticmethod
    def _reset_at(response: requests.Response) -> int | None:
        if "Retry-After" in response.headers:
            try:
                return int(time.time()) + int(response.headers["Retry-After"])
            except ValueError:
                return None
        try:
            return int(response.headers["X-RateLimit-Reset"])
        except (KeyError, ValueError):
            return None

    def _wait_for_rate_limit(self, response: requests.Response) -> None:
        """When the quota is used up, wait for its reset if that is soon, else stop with RateLimited."""
        if response.headers.get("X-RateLimit-Remaining") != "0":
            return
        reset_at = self._reset_at(response)
        wait = (reset_at - time.time()) if reset_at else None
        if wait is None or wait > settings.GITHUB_RATE_LIMIT_MAX_WAIT:
            raise RateLimited(reset_at)
        if wait > 0:
            time.sleep(wait)
