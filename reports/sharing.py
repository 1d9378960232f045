"""Reads of share links: tokens (made, hashed, found in constant time), the links a person may see, and the public
payload of a link — what /s/<token>/ and its data.json show, and what a snapshot freezes.

The payload holds aggregates only: the report's name, description and period, the groups and totals (the summary
report's shape), the chart's series and the annotations' dates and text. Never an entry, a note, an author or an
id of a person; when the report groups by person and the link does not show names, people are "Person 1…n"
(numbered by hours, most first) and their ids are left out.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils import timezone

from accounts import policy
from accounts.models import Role
from tracking.views.reports import chart_data, chart_index

from . import selectors
from .definition import period_label
from .models import AnnotationScope, SavedReport, ShareKind, ShareLink

TOKEN_BYTES = 32  # 256 bits, 43 characters in URL-safe base64
TOKEN_MAX = 128


def token_new() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def share_link_find(token: str) -> ShareLink | None:
    """The link a token opens, whatever its state (revoked, expired: the caller decides), or None.

    Only the hash is looked up, and the stored hash is compared again in constant time, so neither the database
    index nor the comparison tells a guesser how close a token came."""
    if not isinstance(token, str) or not token or len(token) > TOKEN_MAX or "\x00" in token:
        return None
    digest = token_hash(token)
    link = ShareLink.objects.select_related("report", "created_by").filter(token_hash=digest).first()
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        return None
    return link


def share_link_is_open(link: ShareLink, *, now: datetime | None = None) -> bool:
    """Not revoked and not expired."""
    now = now or timezone.now()
    return link.revoked_at is None and (link.expires_at is None or link.expires_at > now)


def share_link_list(*, viewer, report: SavedReport | None = None) -> QuerySet:
    """The links `viewer` may see and revoke: their own; an admin's, everyone's."""
    qs = ShareLink.objects.select_related("report", "created_by", "revoked_by")
    if viewer.role != Role.ADMIN:
        qs = qs.filter(created_by=viewer)
    if report is not None:
        qs = qs.filter(report=report)
    return qs.order_by("-created_at", "-pk")


def sharer_may_see(link: ShareLink) -> bool:
    """Whether the person who shared the link is active and may still see the report (else it shows nothing)."""
    sharer = link.created_by
    if not sharer.is_active:
        return False
    return policy.visible(sharer, SavedReport.objects.filter(pk=link.report_id)).exists()


def _pseudonyms(groups: list[dict], levels: list[str]) -> dict:
    """user key -> "Person n", numbered by hours (most first) over every level that groups by person."""
    seconds: dict = {}

    def walk(items, depth):
        for group in items:
            if levels[depth] == "user":
                seconds[group["key"]] = seconds.get(group["key"], 0) + group["seconds"]
            if depth + 1 < len(levels):
                walk(group["children"], depth + 1)

    walk(groups, 0)
    ranked = sorted(seconds, key=lambda key: (-seconds[key], str(key)))
    return {key: f"Person {n}" for n, key in enumerate(ranked, start=1)}


def _anonymise(groups: list[dict], levels: list[str], names: dict, depth: int = 0) -> list[dict]:
    out = []
    for group in groups:
        group = dict(group)
        if levels[depth] == "user":
            group["label"] = names[group["key"]]
            group["key"] = None
        if depth + 1 < len(levels):
            group["children"] = _anonymise(group["children"], levels, names, depth + 1)
        out.append(group)
    if levels[depth] == "user":
        out.sort(key=lambda g: int(g["label"].split()[-1]))
    return out


def _jsonable(value):
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def share_payload(*, link: ShareLink, now: datetime | None = None) -> dict:
    """The public payload of `link`, computed now with its sharer's visibility (JSON-safe: dates as ISO text,
    amounts as decimal text)."""
    report, sharer = link.report, link.created_by
    results = selectors.saved_report_results(viewer=sharer, report=report, now=now, chart=True)
    params = results["params"]
    chart = chart_data(sharer, params, results) if results["groups"] else None
    levels = [params.group_by] + ([params.then_by] if params.then_by else [])
    groups = results["groups"]
    annotations = results["annotations"]
    if "user" in levels and not link.show_names:
        names = _pseudonyms(groups, levels)
        if chart and params.group_by == "user":  # the breakdown follows the groups' new names and order
            colors = dict(zip((g["key"] for g in groups), chart["breakdown"]["colors"], strict=True))
            ranked = sorted(groups, key=lambda g: int(names[g["key"]].split()[-1]))
            chart["breakdown"] = {
                "labels": [names[g["key"]] for g in ranked],
                "hours": [round(g["seconds"] / 3600, 2) for g in ranked],
                "colors": [colors[g["key"]] for g in ranked],
            }
        groups = _anonymise(groups, levels, names)
    if not link.show_names:  # a note about one person would name them
        annotations = [a for a in annotations if a.scope != AnnotationScope.USER]
    if chart:
        chart["kind"] = report.chart
        chart["markers"] = []
        for a in annotations:
            index = chart_index(params, max(a.start, params.start))
            if index is not None:
                chart["markers"].append({"index": index, "text": f"{a.start}: {a.text}"})
    return _jsonable(
        {
            "kind": link.kind,
            "start": results["start"],
            "end": results["end"],
            "period": period_label(report.definition),
            "group_by": params.group_by,
            "then_by": params.then_by,
            "groups": groups,
            "total": results["total"],
            "running_seconds": results["running_seconds"],
            "as_of": results["as_of"],
            "annotations": [{"start": a.start, "end": a.end, "text": a.text} for a in annotations],
            "chart": chart,
        }
    )


def share_view_payload(link: ShareLink, *, now: datetime | None = None) -> dict | None:
    """What the link shows now: its snapshot, or the live payload — None when a live link's sharer is deactivated
    or may no longer see the report."""
    if link.kind == ShareKind.SNAPSHOT:
        return link.snapshot
    if not sharer_may_see(link):
        return None
    return share_payload(link=link, now=now)
