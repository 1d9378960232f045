"""The dashboard's saved-report panel reads its reports and notices compiled once (timetracker.prepared): what it
shows is what the ORM's own reads of the same rows show."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from reports import selectors
from reports.models import Comment, Notice, ReportView, SavedReport
from reports.tests.factories import SavedReportFactory, panel_reports

pytestmark = pytest.mark.django_db


def _orm_popular(viewer, days=7, limit=5):
    """popular_in_teams as the ORM builds it (the read before it was compiled once)."""
    qs = selectors.policy.visible(viewer, SavedReport.objects.all()).annotate(
        team_views=selectors._team_views(viewer, days)
    )
    return list(qs.filter(team_views__gt=0).order_by("-verified", "-team_views", "name", "pk")[:limit])


def _panel(popular, notices) -> str:
    return render_to_string("reports/_popular_panel.html", {"panel": {"popular": popular, "notices": notices}})


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MANAGER, Role.ADMIN])
def test_the_panel_shows_what_the_orms_reads_show(role, manager, member, other_member, team):
    viewer = {Role.MEMBER: member, Role.MANAGER: manager, Role.ADMIN: UserFactory(role=Role.ADMIN)}[role]
    today = timezone.now().date()
    reports = panel_reports(manager=manager, member=member, other_member=other_member)
    viewers = [[manager], [manager, member], [other_member], [member], [member], [], [manager]]
    for report, people in zip(reports, viewers, strict=True):
        for person in people:
            ReportView.objects.create(report=report, user=person, day=today, last_viewed_at=timezone.now())
    # The viewer's own view counts; a private report of someone else shows to an admin alone.
    ReportView.objects.create(report=reports[2], user=viewer, day=today, last_viewed_at=timezone.now())
    last_week = today - timedelta(days=8)
    ReportView.objects.create(report=reports[5], user=member, day=last_week, last_viewed_at=timezone.now())
    authors = [UserFactory(first_name="Ann", last_name="O'Neil"), UserFactory(first_name="", last_name=""), member]
    for i in range(7):  # more than the panel shows; one already read
        comment = Comment.objects.create(report=reports[i % 2], author=authors[i % 3], text=f"note {i}")
        Notice.objects.create(
            recipient=viewer, report=comment.report, comment=comment, read_at=timezone.now() if i == 3 else None
        )

    popular = selectors.popular_in_teams(viewer=viewer)
    notices = selectors.unread_notice_links(user=viewer, limit=5)

    expected = _orm_popular(viewer)
    assert [(r.pk, r.name, r.verified) for r in popular] == [(r.pk, r.name, r.verified) for r in expected]
    assert popular, "the case must show some reports"
    orm_notices = list(selectors.unread_notices(user=viewer)[:5])
    assert len(notices) == 5
    assert _panel(popular, notices) == _panel(expected, orm_notices)


def test_the_panel_reads_follow_the_viewer_and_the_day(manager, member, team):
    report = SavedReportFactory(owner=manager, name="Team hours", visibility="teams")
    ReportView.objects.create(report=report, user=manager, day=timezone.now().date(), last_viewed_at=timezone.now())
    stranger = UserFactory(role=Role.MEMBER)
    assert [r.name for r in selectors.popular_in_teams(viewer=member)] == ["Team hours"]
    assert selectors.popular_in_teams(viewer=stranger) == []  # same shape (a member), another viewer
    ReportView.objects.update(day=timezone.now().date() - timedelta(days=8))
    assert selectors.popular_in_teams(viewer=member) == []  # older than the week


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads are prepared on PostgreSQL only")
def test_the_compiled_reads_send_the_sql_and_parameters_of_a_fresh_build():
    today = timezone.now().date()
    cases = [
        (selectors._popular_read, (Role.MEMBER, 5), {"viewer_id": 41, "since": today}),
        (selectors._popular_read, (Role.MANAGER, 5), {"viewer_id": 7, "since": today - timedelta(days=3)}),
        (selectors._popular_read, (Role.ADMIN, 5), {"viewer_id": 3, "since": today}),
        (selectors._unread_notices_read, (5,), {"user_id": 12}),
    ]
    for read, shape, values in cases:
        read.rows(shape, **values)
        sql, params = read.build(*shape, **values).query.sql_with_params()
        assert read.sql_with_params(shape, **values) == (sql, list(params)), shape
