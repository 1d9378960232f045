"""Timesheet mode: typing hours into the week grid, with the keyboard, including an overlap refused in the cell."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.axe import assert_accessible
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 3, 2)


def at(day, hour, minute=0):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def test_typing_hours_into_the_week_creates_and_adjusts_entries(page_for, live_server):
    sam = UserFactory(username="sam", role=Role.MEMBER, timezone="Europe/Berlin")
    website = ProjectFactory(name="Website", client=None)
    support = ProjectFactory(name="Support", client=None)
    TimeEntryFactory(user=sam, project=website, start=at(MONDAY, 9), end=at(MONDAY, 10))
    TimeEntryFactory(user=sam, project=support, start=at(MONDAY, 10), end=at(MONDAY, 11))
    page = page_for(sam)
    page.goto(live_server.url + f"/entries/week/?week={MONDAY.isoformat()}")
    assert_accessible(page, label="the week, editable")
    page.set_viewport_size({"width": 1280, "height": 860})

    tuesday = page.get_by_label("Website, Tuesday 3 March")
    tuesday.focus()
    page.keyboard.type("2h30")
    with page.expect_response(lambda response: "/entries/week/cell/" in response.url):
        page.keyboard.press("Tab")  # leaving the cell saves it
    page.wait_for_selector("tfoot >> text=4h 30m")  # the week's total follows
    added = TimeEntry.objects.get(user=sam, start__date=MONDAY + timedelta(days=1))
    assert (added.project, added.duration_seconds, added.start) == (website, 9000, at(MONDAY + timedelta(days=1), 9))

    monday = page.get_by_label("Website, Monday 2 March")
    monday.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("30m")
    with page.expect_response(lambda response: "/entries/week/cell/" in response.url):
        page.keyboard.press("Enter")
    page.wait_for_selector("tfoot >> text=4h")
    shortened = TimeEntry.objects.get(user=sam, project=website, start=at(MONDAY, 9))
    assert shortened.end == at(MONDAY, 9, 30)

    # Support sits at 10:00–11:00 on Monday; 2 more hours of it would go after 11:00: fine. A running timer that
    # started at 11:30 makes the new time overlap it, and the cell says so.
    TimeEntryFactory(user=sam, project=website, start=at(MONDAY, 11, 30), end=None, duration_seconds=0)
    support_monday = page.get_by_label("Support, Monday 2 March")
    support_monday.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("3h")
    with page.expect_response(lambda response: "/entries/week/cell/" in response.url):
        page.keyboard.press("Tab")
    error = page.wait_for_selector("td.has-error .error")
    assert "overlaps" in error.text_content()
    assert page.get_by_label("Support, Monday 2 March").get_attribute("aria-invalid") == "true"
    assert TimeEntry.objects.filter(user=sam, project=support).count() == 1
    assert_accessible(page, label="the week with a refused cell")
    assert page.errors == [] or all("400" in e for e in page.errors)


def test_a_row_is_added_for_a_project_and_its_week_typed_in(page_for, live_server):
    sam = UserFactory(username="sam", role=Role.MEMBER, timezone="Europe/Berlin")
    ProjectFactory(name="Research", client=None)
    page = page_for(sam)
    page.goto(live_server.url + f"/entries/week/?week={MONDAY.isoformat()}")
    picker = page.locator(".week-add [role=combobox]")
    picker.focus()
    page.keyboard.type("resea")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Add row
    cell = page.get_by_label("Research, Wednesday 4 March")
    cell.focus()
    page.keyboard.type("1:15")
    with page.expect_response(lambda response: "/entries/week/cell/" in response.url):
        page.keyboard.press("Tab")
    page.wait_for_selector("tfoot >> text=1h 15m")
    assert TimeEntry.objects.get(user=sam).duration_seconds == 4500
    assert page.errors == []
