"""Approvals in a real browser (issue 18): a member submits last week, the manager rejects it from the overview's
review link, the member resubmits, the manager bulk-approves; both pages pass axe at desktop and phone widths."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from tests.axe import assert_accessible
from tracking.models import Timesheet
from tracking.periods import local_today, week_start
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(transactional_db, settings):
    settings.APPROVALS_ENABLED = True
    sam = UserFactory(username="sam", full_name="Sam Member", role=Role.MEMBER, timezone="Europe/Berlin")
    maria = UserFactory(username="maria", full_name="Maria Manager", role=Role.MANAGER, timezone="Europe/Berlin")
    TeamFactory(name="Product team", managers=[maria], members=[sam])
    monday = week_start(local_today(sam)) - timedelta(days=7)
    TimeEntryFactory(
        user=sam,
        project=ProjectFactory(name="Website redesign"),
        start=datetime(monday.year, monday.month, monday.day, 8, tzinfo=UTC) + timedelta(days=1),
    )
    return sam, maria, monday


def test_submit_reject_resubmit_and_bulk_approve(page_for, live_server, people):
    sam, maria, monday = people
    week_url = f"{live_server.url}/entries/week/?week={monday:%Y-%m-%d}"

    member = page_for(sam)
    member.goto(week_url)
    member.click("text=Submit this week for approval")
    member.wait_for_selector(".msg-success")
    assert "Submitted" in member.text_content(".approval")
    assert_accessible(member, label="week page, submitted")

    manager = page_for(maria)
    manager.goto(live_server.url + "/team/")
    manager.wait_for_selector("text=1 week waiting for a decision")
    assert_accessible(manager, label="team overview")
    manager.click("a.btn:has-text('Review')")
    manager.fill("#reject-comment", "Add the ticket number to Tuesday")
    manager.click("button:has-text('Reject with comment')")
    manager.wait_for_selector(".msg-success")

    member.goto(week_url)
    assert "Add the ticket number to Tuesday" in member.text_content(".approval-comment")
    member.click("text=Submit again")
    member.wait_for_selector(".msg-success")

    manager.goto(live_server.url + "/team/")
    manager.check("input[name=week_of]")
    manager.click("text=Approve the chosen weeks")
    manager.wait_for_selector("text=Approved 1 week")
    assert Timesheet.objects.get(user=sam, week=monday).state == "approved"
    member.goto(week_url)
    assert "Its entries are locked" in member.text_content(".approval")
    assert_accessible(member, label="week page, approved")
    assert member.errors == [] and manager.errors == []
