"""The ad-hoc report page's saved-report panel reads its lists compiled once (timetracker.prepared): what it shows
is what the ORM's own read of the same rows (saved_report_list with the team subquery) shows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from reports import selectors
from reports.definition import match_key
from reports.models import ReportView
from reports.tests.factories import SavedReportFactory, panel_reports

pytestmark = pytest.mark.django_db

QUESTION = {"group_by": "project", "filters": {}}


def _orm_lists(viewer, definition, limit=3, days=7):
    """report_page_lists as the ORM built it (the read before it was compiled once)."""
    key = match_key(definition)
    recent_since = timezone.now() - timedelta(days=90)
    rows = list(
        selectors.saved_report_list(viewer=viewer)
        .prefetch_related(None)
        .annotate(team_views=selectors._team_views(viewer, days))
        .filter(Q(match_key=key) | Q(team_views__gt=0) | Q(my_last_view__gte=recent_since))
    )
    return selectors.page_lists_of(rows, key=key, recent_since=recent_since, limit=limit)


def _panel(lists) -> str:
    context = {**lists, "annotations": [], "save_url": "/save"}
    return render_to_string("reports/_report_panel.html", {"panel": context})


def _shown(lists):
    return {
        name: [(r.pk, r.name, r.verified, r.views_30d, r.team_views, r.my_last_view) for r in reports]
        for name, reports in lists.items()
    }


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MANAGER, Role.ADMIN])
def test_the_panel_shows_what_the_orms_read_shows(role, manager, member, other_member, team):
    viewer = {Role.MEMBER: member, Role.MANAGER: manager, Role.ADMIN: UserFactory(role=Role.ADMIN)}[role]
    now = timezone.now()
    today = now.date()
    key = match_key(QUESTION)
    other_key = match_key({"group_by": "user", "filters": {}})
    reports = panel_reports(manager=manager, member=member, other_member=other_member)
    for i, report in enumerate(reports):
        report.match_key = key if i % 2 == 0 else other_key
        report.save(update_fields=["match_key"])
    viewers = [[manager], [manager, member], [other_member], [member, other_member], [member], [], [manager]]
    for report, people in zip(reports, viewers, strict=True):
        for person in people:
            ReportView.objects.create(report=report, user=person, day=today, last_viewed_at=now)
    for days, report in ((2, reports[2]), (20, reports[3]), (40, reports[5]), (100, reports[1])):
        ReportView.objects.create(
            report=report, user=viewer, day=today - timedelta(days=days), last_viewed_at=now - timedelta(days=days)
        )

    lists = selectors.report_page_lists(viewer=viewer, definition=QUESTION)
    expected = _orm_lists(viewer, QUESTION)

    assert _shown(lists) == _shown(expected)
    assert lists["matches"] and lists["popular"] and lists["recent"], "the case must fill each list"
    assert _panel(lists) == _panel(expected)


def test_the_panel_reads_follow_the_viewer_the_question_and_the_day(manager, member, team):
    report = SavedReportFactory(owner=manager, name="Team hours", visibility="teams")
    report.match_key = match_key(QUESTION)
    report.save(update_fields=["match_key"])
    ReportView.objects.create(report=report, user=manager, day=timezone.now().date(), last_viewed_at=timezone.now())
    stranger = UserFactory(role=Role.MEMBER)
    lists = selectors.report_page_lists(viewer=member, definition=QUESTION)
    assert [r.name for r in lists["matches"]] == [r.name for r in lists["popular"]] == ["Team hours"]
    assert lists["matches"][0].views_30d == 1
    nothing = {"matches": [], "popular": [], "recent": []}
    assert selectors.report_page_lists(viewer=stranger, definition=QUESTION) == nothing  # same shape, another viewer
    other = selectors.report_page_lists(viewer=member, definition={"group_by": "user", "filters": {}})
    assert other["matches"] == [] and [r.name for r in other["popular"]] == ["Team hours"]
    ReportView.objects.update(day=timezone.now().date() - timedelta(days=8))
    lists = selectors.report_page_lists(viewer=member, definition=QUESTION)
    assert lists["popular"] == [] and lists["matches"][0].views_30d == 1  # older than the week, within 30 days


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads are prepared on PostgreSQL only")
def test_the_compiled_read_sends_the_sql_and_parameters_of_a_fresh_build():
    now = timezone.now()
    today = now.date()
    for role, viewer_id in ((Role.MEMBER, 41), (Role.MANAGER, 7), (Role.ADMIN, 3)):
        values = {
            "viewer_id": viewer_id,
            "key": match_key(QUESTION),
            "views_since": today - timedelta(days=30),
            "team_since": today - timedelta(days=7),
            "recent_since": now - timedelta(days=90),
        }
        selectors._page_lists_read.rows((role,), **values)
        sql, params = selectors._page_lists_read.build(role, **values).query.sql_with_params()
        assert selectors._page_lists_read.sql_with_params((role,), **values) == (sql, list(params)), role
