"""Fixtures shared by every app's tests."""

import pytest

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from tracking.tests.factories import ProjectFactory


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
