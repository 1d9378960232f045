"""Pseudonymous ids and the before_send safety net.

The rule is that analytics code only ever builds properties from ids, counts, codes and enums. `before_send` is
the net under that rule: it drops any property whose key or value looks personal before the SDK queues it.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import re
from functools import lru_cache
from typing import Any

from .events import Prop

logger = logging.getLogger(__name__)

# Keys that name personal data or secrets. Matched on the key in lower case, with "$" and separators kept.
PERSONAL_KEY = re.compile(
    r"(e-?mail|user_?name|login_?name|full_?name|first_?name|last_?name|display_?name|nick_?name|"
    r"^\$?name$|_name$|^notes?$|_notes?$|^notes?_|description|comment|phone|address|"
    r"token|secret|password|passwd|api_?key|authorization|cookie|credential|"
    r"^\$?ip$|_ip$|^ip_|remote_addr|forwarded)"
)
EMAIL = re.compile(r"[^@\s/]+@[^@\s/]+\.[A-Za-z]{2,}")
TOKEN_PREFIX = re.compile(r"(^|\s)(bearer\s|basic\s|phc_|phx_|ghp_|gho_|ghs_|github_pat_|xox[abpr]-|sk_|tt_)", re.I)
IP_IN_TEXT = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
UUID_OR_HEX = re.compile(r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]+)$", re.I)
SECRET_LIKE = re.compile(r"^[A-Za-z0-9_\-+=.]{24,}$")

# Containers whose members are checked one by one rather than dropped whole.
NESTED = {Prop.SET, Prop.SET_ONCE, "$group_set", Prop.GROUPS, Prop.COUNTS}
# SDK and telemetry keys that are known to be safe although a pattern could match them.
ALLOWED_KEYS = {"$lib", "$lib_version", "$geoip_disable", "$is_server", "$group_type", "$group_key"}


def distinct_id_for(user_id: int, secret: str) -> str:
    """The stable pseudonymous id of a user: HMAC-SHA256(installation secret, primary key), 32 hex digits."""
    return hmac.new(secret.encode(), f"user:{user_id}".encode(), hashlib.sha256).hexdigest()[:32]


def _looks_like_ip(value: str) -> bool:
    candidate = value.strip().strip("[]")
    try:
        ipaddress.ip_address(candidate)
        return True
    except ValueError:
        pass
    return bool(IP_IN_TEXT.search(value))


def _secret_like(text: str) -> bool:
    if not SECRET_LIKE.match(text) or UUID_OR_HEX.match(text):
        return False
    return any(c.isdigit() for c in text) and any(c.isalpha() for c in text)


def value_looks_personal(value: Any) -> bool:
    if isinstance(value, str):
        if EMAIL.search(value) or TOKEN_PREFIX.search(value) or _looks_like_ip(value):
            return True
        # Long opaque strings with letters and digits mixed read as keys or tokens (checked per path segment, so
        # a path like /projects/12/entries/345/ stays while /hooks/<token>/ goes).
        return any(_secret_like(segment) for segment in value.split("/"))
    if isinstance(value, (list, tuple)):
        return any(value_looks_personal(v) for v in value)
    if isinstance(value, dict):
        return any(key_looks_personal(str(k)) or value_looks_personal(v) for k, v in value.items())
    return False


@lru_cache(maxsize=512)
def key_looks_personal(key: str) -> bool:
    return key not in ALLOWED_KEYS and bool(PERSONAL_KEY.search(key.lower()))


def scrub(properties: dict, *, path: str = "") -> dict:
    """A copy of `properties` without the keys or values that look personal (recursing into $set and friends)."""
    clean = {}
    for key, value in properties.items():
        key_str = str(key)
        if key_str in NESTED and isinstance(value, dict):
            clean[key] = scrub(value, path=f"{path}{key_str}.")
            continue
        if key_looks_personal(key_str) or value_looks_personal(value):
            # The key only: the value may be the very thing that must not be written anywhere.
            logger.debug("analytics: dropped property %s%s that looked personal", path, key_str)
            continue
        clean[key] = value
    return clean


def before_send(msg: dict) -> dict:
    """The SDK's before_send hook: restore the visitor's OS, then drop anything that looks personal."""
    properties = dict(msg.get("properties") or {})
    ua_os = properties.pop(Prop.UA_OS, None)
    # The SDK stamps the server's OS on every event; the OS that matters is the visitor's, from the User-Agent.
    for key in ("$os", "$os_version", "$os_distro"):
        properties.pop(key, None)
    if ua_os:
        properties[Prop.OS] = ua_os
    msg["properties"] = scrub(properties)
    for container in (Prop.SET, Prop.SET_ONCE):
        if isinstance(msg.get(container), dict):
            msg[container] = scrub(msg[container], path=f"{container}.")
    return msg
