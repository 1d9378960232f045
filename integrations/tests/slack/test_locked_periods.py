"""Slack's /tt against locked time: the same message as every other interface (issue 18)."""

import pytest

from tracking import services as tracking
from tracking.models import TimeEntry
from tracking.periods import local_today
from tracking.tests.factories import ProjectFactory


@pytest.fixture
def website(db):
    return ProjectFactory(name="Website", code="WEB")


def test_start_on_a_locked_day_answers_with_the_lock_message(tt, linked, website, admin_user):
    tracking.period_lock_create(actor=admin_user, until=local_today(linked), label="Finance")
    text = tt("start web")
    assert "is locked by Finance; ask an admin to reopen." in text
    assert not TimeEntry.objects.filter(user=linked).exists()


def test_a_timer_running_when_the_day_is_locked_is_stopped_at_the_boundary(tt, linked, website, admin_user):
    tt("start web")
    tracking.period_lock_create(actor=admin_user, until=local_today(linked), label="Finance")
    entry = TimeEntry.objects.get(user=linked)
    assert entry.end is not None
    assert "No timer is running" in tt("stop")
