"""The public side of share links: /s/<token>/ (the page, or its password form), /s/<token>/data.json and
/s/<token>/data.csv. No sign-in (unless the link is for members only), no app navigation, aggregates only.

Unknown, expired and revoked tokens, and live links whose sharer may no longer see the report, all answer the same
neutral page with 404. Every answer says noindex, no-referrer and no-store; the site-wide strict CSP applies.
Misses per address and wrong passwords per link and address are counted in the cache (which fails open).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.throttling import BaseThrottle

from tracking.exports import csv_bytes, with_currency

from . import services, sharing
from .models import ShareLink

WINDOW_SECONDS = 15 * 60
COOKIE_NAME = "tt_share"


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def _address(request) -> str:
    return BaseThrottle().get_ident(request) or "unknown"


def _count(key: str) -> int:
    cache.add(key, 0, WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr, or the cache forgot it (an outage fails open)
        return 0


def _over(key: str, limit: int) -> bool:
    return (cache.get(key) or 0) >= limit


def _gone(request, *, status: int = 404) -> HttpResponse:
    """The one neutral answer: no hint whether the link never existed, expired or was revoked."""
    if request.path.endswith(".json"):
        return _private(JsonResponse({"detail": "Not found."}, status=status))
    return _private(render(request, "reports/share/gone.html", {"throttled": status == 429}, status=status))


def _cookie_salt(link: ShareLink) -> str:
    return f"reports.share.{link.token_hash}"


def _unlocked(request, link: ShareLink) -> bool:
    if not link.password_hash:
        return True
    try:
        value = request.get_signed_cookie(
            COOKIE_NAME, salt=_cookie_salt(link), max_age=settings.SHARE_LINK_PASSWORD_SECONDS
        )
    except (KeyError, signing.BadSignature):
        return False
    return value == str(link.pk)


def _open_link(request, token: str):
    """(link, None) when the token opens a link now, else (None, the neutral answer)."""
    miss_key = f"share:miss:{_address(request)}"
    if _over(miss_key, settings.SHARE_LINK_MAX_MISSES):
        return None, _gone(request, status=429)
    link = sharing.share_link_find(token)
    if link is None or not sharing.share_link_is_open(link):
        _count(miss_key)
        return None, _gone(request)
    return link, None


def _members_only(link: ShareLink) -> bool:
    return link.members_only or not settings.SHARE_LINKS_PUBLIC


def _signed_in(request) -> bool:
    return request.user.is_authenticated and request.user.is_active


def _revive(payload: dict) -> dict:
    """The payload's text back into what the report templates format: dates, a moment, decimal amounts."""

    def amounts(groups):
        return [{**g, "amount": Decimal(g["amount"]), "children": amounts(g.get("children") or [])} for g in groups]

    return {
        **payload,
        "start": date.fromisoformat(payload["start"]),
        "end": date.fromisoformat(payload["end"]),
        "as_of": parse_datetime(payload["as_of"]),
        "groups": amounts(payload["groups"]),
        "total": {**payload["total"], "amount": Decimal(payload["total"]["amount"])},
        "annotations": [
            {**a, "start": date.fromisoformat(a["start"]), "end": date.fromisoformat(a["end"])}
            for a in payload["annotations"]
        ],
    }


# No CSRF check: the only form is the link's password, which changes nothing but a cookie for that link (a forged
# post could at most open a link with a password the forger already knows), and with Referrer-Policy: no-referrer
# browsers send "Origin: null", which Django's origin check refuses.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def share_page(request, token):
    link, gone = _open_link(request, token)
    if gone:
        return gone
    if _members_only(link) and not _signed_in(request):
        return _private(redirect_to_login(request.get_full_path()))
    if request.method == "POST":
        return _password_post(request, link)
    if not _unlocked(request, link):
        return _private(render(request, "reports/share/password.html", {"error": ""}, status=401))
    payload = sharing.share_view_payload(link)
    if payload is None:
        return _gone(request)
    services.share_link_view_record(link=link)
    summary = _revive(payload)
    context = {
        "link": link,
        "report": link.report,
        "summary": summary,
        "params": SimpleNamespace(
            start=summary["start"], end=summary["end"], group_by=summary["group_by"], then_by=summary["then_by"]
        ),
        "chart": payload["chart"],
        "snapshot": link.kind == "snapshot",
        "as_of": summary["as_of"] if isinstance(summary["as_of"], datetime) else None,
    }
    return _private(render(request, "reports/share/page.html", context))


def _password_post(request, link: ShareLink) -> HttpResponse:
    if not link.password_hash:
        return _private(_see_other(request.path))
    link_key = f"share:pw:{link.pk}"
    address_key = f"{link_key}:{_address(request)}"
    limit = settings.SHARE_LINK_MAX_ATTEMPTS
    if _over(address_key, limit) or _over(link_key, limit * 10):
        context = {"error": "Too many wrong passwords. Try again in 15 minutes."}
        return _private(render(request, "reports/share/password.html", context, status=429))
    password = request.POST.get("password", "")
    if not isinstance(password, str) or len(password) > services.PASSWORD_MAX or "\x00" in password:
        password = ""
    if not check_password(password, link.password_hash):
        _count(address_key)
        _count(link_key)
        context = {"error": "That password is not right."}
        return _private(render(request, "reports/share/password.html", context, status=401))
    response = _see_other(request.path)
    response.set_signed_cookie(
        COOKIE_NAME,
        str(link.pk),
        salt=_cookie_salt(link),
        max_age=settings.SHARE_LINK_PASSWORD_SECONDS,
        path=request.path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return _private(response)


def _see_other(location: str) -> HttpResponse:
    response = HttpResponse(status=303)
    response["Location"] = location
    return response


def _data(request, token):
    """(link, payload, None) when the data may be given, else (None, None, the answer)."""
    link, gone = _open_link(request, token)
    if gone:
        return None, None, gone
    if _members_only(link) and not _signed_in(request):
        return None, None, _private(JsonResponse({"detail": "Sign in to see this report."}, status=401))
    if not _unlocked(request, link):
        return None, None, _private(JsonResponse({"detail": "This link needs its password."}, status=401))
    payload = sharing.share_view_payload(link)
    if payload is None:
        return None, None, _gone(request)
    services.share_link_view_record(link=link)
    return link, payload, None


@require_http_methods(["GET", "HEAD"])
def share_data(request, token):
    link, payload, answer = _data(request, token)
    if answer:
        return answer
    body = {"name": link.report.name, "description": link.report.description, **payload}
    body.pop("chart", None)
    return _private(JsonResponse(body))


@require_http_methods(["GET", "HEAD"])
def share_csv(request, token):
    link, payload, answer = _data(request, token)
    if answer:
        return answer
    if not link.allow_csv:
        return _gone(request)
    then_by = payload["then_by"]
    header = [payload["group_by"].title()] + ([then_by.title()] if then_by else []) + ["Hours", "Billable h", "Amount"]
    rows = []
    for group in payload["groups"]:
        rows.append([group["label"]] + ([""] if then_by else []) + _figures(group))
        for child in group.get("children") or []:
            rows.append([group["label"], child["label"]] + _figures(child))
    rows.append(["Total"] + ([""] if then_by else []) + _figures(payload["total"]))
    response = HttpResponse(csv_bytes(with_currency(header), rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="shared-report.csv"'
    return _private(response)


def _figures(group: dict) -> list:
    return [f"{group['seconds'] / 3600:.2f}", f"{group['billable_seconds'] / 3600:.2f}", group["amount"]]
