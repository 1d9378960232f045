"""Fixtures shared by every app's tests."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from timetracker.celery import app as celery_app
from tracking.periods import local_today, week_start
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

# Celery snapshots Django's settings the first time its configuration is read. Read it now, from the real
# settings, so a test that overrides CELERY_* settings cannot leave its values behind for the rest of the run.
celery_app.conf.task_always_eager  # noqa: B018


@pytest.fixture
def member(db):
    return UserFactory(role=Role.MEMBER)


@pytest.fixture
def other_member(db):
    return UserFactory(role=Role.MEMBER)


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.MANAGER)


@pytest.fixture
def admin_user(db):
    return UserFactory(role=Role.ADMIN)


@pytest.fixture
def viewer(db):
    return UserFactory(role=Role.VIEWER)


@pytest.fixture
def team(db, manager, member, viewer):
    """A team managed by `manager` with `member` and `viewer` in it (other_member stays outside)."""
    return TeamFactory(managers=[manager], members=[member, viewer])


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture(autouse=True)
def _no_failed_authentication_throttle(settings):
    """Every test sends its bad tokens from 127.0.0.1: the failure throttle is tested on its own, with a clean count."""
    settings.API_AUTH_FAILURE_RATE = None


@pytest.fixture
def approvals_on(settings):
    """Timesheet approvals turned on (APPROVALS_ENABLED), as an installation that uses them."""
    settings.APPROVALS_ENABLED = True


@pytest.fixture
def last_monday(member):
    """The Monday of `member`'s last week."""
    return week_start(local_today(member)) - timedelta(days=7)


@pytest.fixture
def last_week_entry(member, project, last_monday):
    """A one-hour entry of `member` on Tuesday of last week, 09:00 UTC."""
    start = datetime(last_monday.year, last_monday.month, last_monday.day, 9, tzinfo=UTC) + timedelta(days=1)
    return TimeEntryFactory(user=member, project=project, start=start)
