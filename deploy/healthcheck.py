"""Container health probe: GET the liveness URL of the local web process; exit 0 when it answers 200.

Standard library only and no Django start-up, so it is cheap to run every 30 seconds. The request carries the
first ALLOWED_HOSTS name as its Host (Django refuses unknown hosts) and goes to HEALTHCHECK_URL, by default
http://127.0.0.1:8000/healthz (exempt from the HTTPS redirect).
"""

import os
import sys
import urllib.error
import urllib.request


def host_header() -> str:
    for name in os.environ.get("ALLOWED_HOSTS", "").split(","):
        name = name.strip().lstrip(".")
        if name and "*" not in name:
            return name
    return "localhost"


def main() -> int:
    url = os.environ.get("HEALTHCHECK_URL", "").strip() or "http://127.0.0.1:8000/healthz"
    if not url.startswith(("http://", "https://")):
        print(f"unhealthy: HEALTHCHECK_URL must be an http(s) URL, not {url!r}")
        return 1
    headers = {"Host": host_header(), "User-Agent": "timetracker-healthcheck"}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - scheme checked above
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        print(f"unhealthy: {url}: {exc}")
        return 1
    if status != 200:
        print(f"unhealthy: {url} answered {status}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
