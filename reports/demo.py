"""Demo saved reports, annotations, comments and views for `manage.py quickstart` (after tracking's demo data).

Idempotent: reports are looked up by owner and name, annotations by author and text, before anything is created;
views are upserted per person and day. Everything is written through the services.
"""

from __future__ import annotations

from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tracking.models import Client

from . import services
from .models import Annotation, SavedReport, ShareLink, Subscription

# owner, name, description, tags, visibility, verified, definition
DEMO_REPORTS = [
    (
        "maria",
        "Billable hours by client, last month",
        "What we invoice each client for last month. Rates: see the client pages. "
        "Questions: ask Maria, or read https://example.com/billing-guide",
        ["billing", "monthly"],
        "everyone",
        True,
        {"preset": "last_month", "group_by": "client", "filters": {"billable": True}},
    ),
    (
        "maria",
        "Team hours by person, last 30 days",
        "Who worked how much on what, for the weekly planning.",
        ["planning", "team"],
        "teams",
        False,
        {"preset": "last_30_days", "group_by": "user", "then_by": "project", "filters": {}},
    ),
    (
        "sam",
        "My week by project",
        "",
        ["personal"],
        "private",
        False,
        {"preset": "this_week", "group_by": "project", "filters": {}, "chart": "line"},
    ),
    (
        "admin",
        "Acme by project, this quarter",
        "Acme's projects against their budgets.",
        ["acme", "budget"],
        "everyone",
        False,
        {"preset": "this_quarter", "group_by": "project", "filters": {"client": "Acme Corp"}},
    ),
]


def _definition(definition: dict) -> dict:
    filters = dict(definition.get("filters") or {})
    if isinstance(filters.get("client"), str):
        client = Client.objects.filter(name=filters["client"]).first()
        filters["client"] = [client.pk] if client else []
    return {**definition, "filters": {k: v for k, v in filters.items() if v != []}}


@transaction.atomic
def seed_saved_reports() -> list[SavedReport]:
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["admin", "maria", "sam", "alex", "vera"])
    }
    if len(users) < 5:
        return []
    reports = []
    for owner, name, description, tags, visibility, verified, definition in DEMO_REPORTS:
        report = SavedReport.objects.filter(owner=users[owner], name=name).first()
        if report is None:
            report = services.saved_report_create(
                actor=users[owner],
                definition=_definition(definition),
                name=name,
                description=description,
                tags=tags,
                visibility=visibility,
                verified=verified,
            )
        reports.append(report)

    today = timezone.localdate()
    last_month_mid = today.replace(day=1) - timedelta(days=15)
    notes = [
        (
            "maria",
            last_month_mid,
            last_month_mid + timedelta(days=2),
            "Team offsite: little client work",
            "everyone",
            None,
        ),
        ("maria", today - timedelta(days=6), None, "Release day for Acme's website", "client", "Acme Corp"),
        ("sam", today - timedelta(days=3), None, "Half day off (dentist)", "user", None),
    ]
    for author, start, end, text, scope, target in notes:
        if Annotation.objects.filter(author=users[author], text=text).exists():
            continue
        scope_id = None
        if scope == "client":
            scope_id = Client.objects.filter(name=target).values_list("pk", flat=True).first()
            if scope_id is None:
                continue
        services.annotation_create(actor=users[author], start=start, end=end, text=text, scope=scope, scope_id=scope_id)

    billable, team_hours = reports[0], reports[1]
    if not billable.comments.exists():
        services.comment_create(
            actor=users["alex"], report=billable, text="Is the offsite week billed to anyone? It looks low."
        )
        services.comment_create(
            actor=users["maria"], report=billable, text="No — it is internal time; see the note on the chart."
        )
    for username in ("maria", "sam", "alex", "vera", "admin"):
        services.report_view_record(user=users[username], report=billable)
    for username in ("maria", "sam"):
        services.report_view_record(user=users[username], report=team_hours)
    return reports


DEMO_SHARE_NOTE = "Demo: the monthly numbers for Acme's finance team"
DEMO_SHARE_PASSWORD = "demo-share-password"  # noqa: S105 - demo data, printed by quickstart


@transaction.atomic
def seed_share_link() -> str | None:
    """One demo snapshot link (password DEMO_SHARE_PASSWORD) to Maria's billable report; its path ("/s/<token>/")
    when made now, None when it exists already (the token is never stored, so it cannot be shown again)."""
    maria = get_user_model().objects.filter(username="maria").first()
    report = SavedReport.objects.filter(owner=maria, name=DEMO_REPORTS[0][1]).first() if maria else None
    if report is None or ShareLink.objects.filter(report=report, note=DEMO_SHARE_NOTE).exists():
        return None
    _link, token = services.share_link_create(
        actor=maria, report=report, kind="snapshot", password=DEMO_SHARE_PASSWORD, note=DEMO_SHARE_NOTE
    )
    return f"/s/{token}/"


@transaction.atomic
def seed_subscription() -> bool:
    """Maria gets her billable report by email every Monday at 09:00 (the console backend prints it in development);
    True when made now."""
    maria = get_user_model().objects.filter(username="maria").first()
    report = SavedReport.objects.filter(owner=maria, name=DEMO_REPORTS[0][1]).first() if maria else None
    if report is None or Subscription.objects.filter(report=report, subscriber=maria).exists():
        return False
    if not maria.email:
        return False
    services.subscription_create(
        actor=maria,
        report_id=report.pk,
        channel="email",
        target=None,
        frequency="weekly",
        weekday=0,
        day=None,
        time=time(9, 0),
    )
    return True
