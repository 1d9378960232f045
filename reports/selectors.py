"""Reads of saved reports, scoped by the access policy: lists with search and ranking, a report's results for a
viewer, annotations in a range, "already exists" matches, popular and recently viewed reports.

`saved_report_results(viewer=, report=)` is the one path from a stored definition to numbers: it always computes
with the *viewer's* visibility (tracking.reports), so whoever opens a report sees only the time they may see.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts import policy
from timetracker.prepared import PreparedRead
from tracking import periods
from tracking.models import Project
from tracking.reports import report_people, report_summary

from .definition import definition_params, match_key
from .models import Annotation, AnnotationScope, Comment, Favourite, Notice, ReportView, SavedReport

POPULAR_DAYS = 30
ORDERINGS = ("popular", "-updated", "name", "recent")
MAX_SEARCH = 200


def _views_since(days: int, since: date | None = None) -> Subquery:
    if since is None:
        since = timezone.now().date() - timedelta(days=days)
    views = (
        ReportView.objects.filter(report=OuterRef("pk"), day__gte=since)
        .order_by()
        .values("report")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(views, output_field=IntegerField()), Value(0))


def saved_report_list(
    *,
    viewer,
    search: str = "",
    tag: str = "",
    owner: int | None = None,
    team: int | None = None,
    verified: bool | None = None,
    favourites: bool = False,
    ordering: str = "popular",
    views_since: date | None = None,
) -> QuerySet:
    """The saved reports `viewer` may see, each with `views_30d` (distinct viewers over 30 days), `is_favourite`,
    `my_last_view` and its owner and tags loaded. Verified reports come first in every ordering. `views_since` is
    the first day `views_30d` counts (by default 30 days before today)."""
    qs = policy.visible(viewer, SavedReport.objects.all())
    search = (search or "").replace("\x00", "").strip()[:MAX_SEARCH]  # PostgreSQL refuses NUL in a query
    tag = (tag or "").replace("\x00", "").strip()
    if search:
        tagged = SavedReport.tags.rel.related_model.objects.filter(name__icontains=search).values("report")
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search) | Q(pk__in=tagged))
    if tag:
        qs = qs.filter(pk__in=SavedReport.tags.rel.related_model.objects.filter(name=tag.lower()).values("report"))
    if owner is not None:
        qs = qs.filter(owner_id=owner)
    if team is not None:
        qs = qs.filter(Q(owner__teams=team) | Q(owner__managed_teams=team)).distinct()
    if verified is not None:
        qs = qs.filter(verified=verified)
    if favourites:
        qs = qs.filter(favourites__user=viewer)
    qs = qs.annotate(
        views_30d=_views_since(POPULAR_DAYS, views_since),
        is_favourite=Exists(Favourite.objects.filter(report=OuterRef("pk"), user=viewer)),
        my_last_view=Subquery(
            ReportView.objects.filter(report=OuterRef("pk"), user=viewer)
            .order_by("-last_viewed_at")
            .values("last_viewed_at")[:1]
        ),
        favourite_count=Coalesce(
            Subquery(
                Favourite.objects.filter(report=OuterRef("pk"))
                .order_by()
                .values("report")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    )
    order = {
        "popular": ["-verified", "-views_30d", "name", "pk"],
        "-updated": ["-verified", "-updated_at", "pk"],
        "name": ["-verified", "name", "pk"],
        "recent": ["-verified", F("my_last_view").desc(nulls_last=True), "pk"],
    }[ordering if ordering in ORDERINGS else "popular"]
    return qs.select_related("owner").prefetch_related("tags").order_by(*order)


def report_owners(*, viewer) -> QuerySet:
    """The people who own a report `viewer` may see (for the owner filter), by name."""
    owner_ids = policy.visible(viewer, SavedReport.objects.all()).values("owner")
    return get_user_model().objects.filter(pk__in=owner_ids).order_by("full_name", "username")


def saved_report_get(*, viewer, pk: int) -> SavedReport:
    """One report `viewer` may see, annotated like the list; SavedReport.DoesNotExist otherwise."""
    return saved_report_list(viewer=viewer).get(pk=pk)


def annotation_list(*, viewer, start: date | None = None, end: date | None = None) -> QuerySet:
    """The annotations `viewer` may see that overlap [start, end] (both optional), oldest first."""
    qs = policy.visible(viewer, Annotation.objects.all())
    if start is not None:
        qs = qs.filter(end__gte=start)
    if end is not None:
        qs = qs.filter(start__lte=end)
    return qs.select_related("author", "client", "project", "team", "user").order_by("start", "pk")


def _as_list(value) -> list:
    """Filter ids as a list: the ad-hoc report gives one id, a saved definition a list."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple | set) else [value]


def annotations_for(*, viewer, params) -> list[Annotation]:
    """The annotations in a report's range and in the viewer's scope; with client or project filters, those about
    other clients and projects are left out."""
    qs = annotation_list(viewer=viewer, start=params.start, end=params.end)
    clients, projects = _as_list(params.filters.get("client")), _as_list(params.filters.get("project"))
    if clients or projects:
        client_ids = list(clients)
        project_ids = list(projects)
        if clients:
            project_ids += list(Project.objects.filter(client__in=client_ids).values_list("pk", flat=True))
        if projects:
            client_ids += [c for c in Project.objects.filter(pk__in=projects).values_list("client", flat=True) if c]
        qs = qs.exclude(Q(scope=AnnotationScope.CLIENT) & ~Q(client__in=client_ids)).exclude(
            Q(scope=AnnotationScope.PROJECT) & ~Q(project__in=project_ids)
        )
    return list(qs[:200])


def annotation_scope_label(annotation: Annotation) -> str:
    target = {
        AnnotationScope.CLIENT: annotation.client,
        AnnotationScope.PROJECT: annotation.project,
        AnnotationScope.TEAM: annotation.team,
        AnnotationScope.USER: annotation.user,
    }.get(annotation.scope)
    return "Everyone" if target is None else str(target)


def saved_report_results(*, viewer, report: SavedReport, now: datetime | None = None, chart: bool = False) -> dict:
    """The report's answer for `viewer`: tracking.reports.report_summary of the stored question (presets relative
    to the viewer's today, entries the viewer may see), plus the annotations in range and scope, and the number of
    people the viewer sees out of those with time in the report ("visible_people" / "total_people"). With `chart`
    the summary carries its time chart's series too, summed from the same aggregate (report_summary's `series`)."""
    now = now or timezone.now()
    params = definition_params(report.definition, viewer=viewer, now=now)
    summary = report_summary(viewer=viewer, params=params, now=now, series=params.chart_level if chart else None)
    people = report_people(viewer=viewer, params=params)
    return {
        **summary,
        "params": params,
        "annotations": annotations_for(viewer=viewer, params=params),
        "visible_people": people["visible"],
        "total_people": people["total"],
        "partial": people["visible"] < people["total"],
    }


def matching_reports(*, viewer, definition: dict, exclude: int | None = None) -> QuerySet:
    """Saved reports `viewer` may see that ask the same question (grouping and filters; any period), verified and
    most viewed first."""
    qs = saved_report_list(viewer=viewer).filter(match_key=match_key(definition))
    return qs.exclude(pk=exclude) if exclude else qs


def _team_views(viewer, days: int, since: date | None = None) -> Coalesce:
    """Distinct people among `viewer` and their teams who opened the report over the last `days` (a subquery), or
    since the day `since`."""
    if since is None:
        since = timezone.now().date() - timedelta(days=days)
    teams = policy.own_teams(viewer).values("pk")
    views = (
        ReportView.objects.filter(report=OuterRef("pk"), day__gte=since)
        .filter(Q(user=viewer) | Q(user__teams__in=teams) | Q(user__managed_teams__in=teams))
        .order_by()
        .values("report")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    return Coalesce(Subquery(views, output_field=IntegerField()), Value(0))


_POPULAR_FIELDS = ("id", "name", "verified")


def _build_popular(role: str, limit: int, *, viewer_id: int, since: date) -> QuerySet:
    # The access rule and the team subquery read the viewer's id and role alone.
    viewer = policy.rule_viewer(viewer_id, role)
    qs = policy.visible(viewer, SavedReport.objects.all()).annotate(team_views=_team_views(viewer, 0, since))
    qs = qs.filter(team_views__gt=0).order_by("-verified", "-team_views", "name", "pk")
    return qs.values(*_POPULAR_FIELDS)[:limit]


# Compiled once per process and role (timetracker.prepared): building it (the visibility rule and the team subquery,
# built four times) took ~6 ms of CPU on every dashboard, the answer well under 1 ms.
_popular_read = PreparedRead(_build_popular)


def popular_in_teams(*, viewer, days: int = 7, limit: int = 5) -> list[SavedReport]:
    """The reports most opened over the last `days` by the people of `viewer`'s teams (and `viewer`). One query.

    Only what their links show (name, verified badge), as reports with those fields alone: the list's other
    annotations (views over 30 days, favourites, the viewer's last view) cost more to build than this query takes to
    run, on every dashboard."""
    if not policy.is_active(viewer):
        return []
    since = timezone.now().date() - timedelta(days=days)
    rows = _popular_read.rows((viewer.role, limit), viewer_id=viewer.pk, since=since)
    db = SavedReport.objects.db
    return [SavedReport.from_db(db, _POPULAR_FIELDS, [row[name] for name in _POPULAR_FIELDS]) for row in rows]


_PAGE_LIST_FIELDS = ("id", "name", "match_key", "verified")  # in the model's order, as from_db takes them


def _build_page_lists(role: str, *, viewer_id: int, key: str, views_since: date, team_since: date, recent_since):
    # As for popular_in_teams: the access rule and the subqueries read the viewer's id and role alone.
    viewer = policy.rule_viewer(viewer_id, role)
    qs = (
        saved_report_list(viewer=viewer, views_since=views_since)
        .prefetch_related(None)
        .annotate(team_views=_team_views(viewer, 0, team_since))
        .filter(Q(match_key=key) | Q(team_views__gt=0) | Q(my_last_view__gte=recent_since))
    )
    return qs.values(*_PAGE_LIST_FIELDS, "views_30d", "team_views", "my_last_view")


# Compiled once per process and role (timetracker.prepared): building it (the visibility rule, the list's
# subqueries and the team subquery) took ~10 ms of CPU on every report page, the answer a few ms.
_page_lists_read = PreparedRead(_build_page_lists)


def report_page_lists(*, viewer, definition: dict, limit: int = 3, days: int = 7) -> dict[str, list]:
    """For the ad-hoc report page, in one query: the saved reports asking the same question ("matches"), the
    popular ones in the viewer's teams this week ("popular") and those the viewer opened lately ("recent").

    Reports with only what the panel shows (name, verified badge, views over 30 days) and what sorts them
    (`team_views`, `my_last_view`)."""
    if not policy.is_active(viewer):
        return {"matches": [], "popular": [], "recent": []}
    key = match_key(definition)
    now = timezone.now()
    recent_since = now - timedelta(days=90)
    found = _page_lists_read.rows(
        (viewer.role,),
        viewer_id=viewer.pk,
        key=key,
        views_since=now.date() - timedelta(days=POPULAR_DAYS),
        team_since=now.date() - timedelta(days=days),
        recent_since=recent_since,
    )
    db = SavedReport.objects.db
    rows = []
    for row in found:
        report = SavedReport.from_db(db, _PAGE_LIST_FIELDS, [row[name] for name in _PAGE_LIST_FIELDS])
        report.views_30d, report.team_views, report.my_last_view = (
            row["views_30d"],
            row["team_views"],
            row["my_last_view"],
        )
        rows.append(report)
    return page_lists_of(rows, key=key, recent_since=recent_since, limit=limit)


def page_lists_of(rows: list[SavedReport], *, key: str, recent_since, limit: int) -> dict[str, list]:
    """report_page_lists's three lists from its rows (each with views_30d, team_views and my_last_view)."""
    return {
        "matches": sorted(
            (r for r in rows if r.match_key == key), key=lambda r: (not r.verified, -r.views_30d, r.name, r.pk)
        )[:limit],
        "popular": sorted(
            (r for r in rows if r.team_views), key=lambda r: (not r.verified, -r.team_views, r.name, r.pk)
        )[:limit],
        "recent": sorted(
            (r for r in rows if r.my_last_view and r.my_last_view >= recent_since),
            key=lambda r: r.my_last_view,
            reverse=True,
        )[:limit],
    }


def recently_viewed(*, viewer, limit: int = 5) -> list[SavedReport]:
    return list(saved_report_list(viewer=viewer, ordering="recent").filter(my_last_view__isnull=False)[:limit])


def comment_list(*, viewer, report: SavedReport) -> QuerySet:
    return policy.visible(viewer, Comment.objects.filter(report=report)).select_related("author")


def unread_notices(*, user) -> QuerySet:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).select_related("report", "comment__author")


_NOTICE_AUTHOR = ("id", "username", "first_name", "last_name", "full_name")
_NOTICE_FIELDS = ("id", "recipient_id", "report_id", "comment_id", "report__name", "comment__author_id") + tuple(
    f"comment__author__{name}" for name in _NOTICE_AUTHOR[1:]
)


def _build_unread_notices(limit: int, *, user_id: int) -> QuerySet:
    notices = Notice.objects.filter(recipient=user_id, read_at__isnull=True).order_by("-created_at")
    return notices.values(*_NOTICE_FIELDS)[:limit]


# Compiled once per process (timetracker.prepared): the dashboard's panel, on every dashboard.
_unread_notices_read = PreparedRead(_build_unread_notices)


def unread_notice_links(*, user, limit: int = 5) -> list[Notice]:
    """The newest of `unread_notices`, each with its report's name and its comment's author (what a link to it
    shows): notices with those fields alone, their report, comment and author loaded with them."""
    db = Notice.objects.db
    user_model = get_user_model()
    notices = []
    for row in _unread_notices_read.rows((limit,), user_id=user.pk):
        notice = Notice.from_db(
            db,
            ("id", "recipient_id", "report_id", "comment_id"),
            [row["id"], row["recipient_id"], row["report_id"], row["comment_id"]],
        )
        notice.report = SavedReport.from_db(db, ("id", "name"), [row["report_id"], row["report__name"]])
        author = user_model.from_db(
            db, _NOTICE_AUTHOR, [row["comment__author_id"], *(row[f"comment__author__{n}"] for n in _NOTICE_AUTHOR[1:])]
        )
        notice.comment = Comment.from_db(db, ("id", "author_id"), [row["comment_id"], author.pk])
        notice.comment.author = author
        notices.append(notice)
    return notices


def people_count_label(results: dict, viewer) -> str:
    """“Showing your own time: 1 of 12 people” when the viewer sees fewer people than the report covers."""
    if not results.get("partial"):
        return ""
    shown, total = results["visible_people"], results["total_people"]
    own = policy.visible_user_ids(viewer) == {viewer.pk}
    lead = "Showing your own time" if own else "Showing the time you may see"
    return f"{lead}: {shown} of {total} {'person' if total == 1 else 'people'}."


def period_of(report: SavedReport, viewer) -> periods.Period:
    return definition_params(report.definition, viewer=viewer).period
