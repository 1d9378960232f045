"""Fixtures shared by every app's tests."""

import pytest

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from timetracker.celery import app as celery_app
from tracking.tests.factories import ProjectFactory

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
