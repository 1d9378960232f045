"""Fixing a mistake on the entries list, with the keyboard only: the description, the project (arrow keys in the
picker), the end and the duration are changed on the row; an overlap is refused next to the field; the day's total
follows. Saves `inline-edit.png` for the guide when SCREENSHOT_DIR is set."""

import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.axe import assert_accessible
from tracking.models import TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 10)


def at(hour, minute=0):
    return datetime(DAY.year, DAY.month, DAY.day, hour, minute, tzinfo=BERLIN)


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id")


def _tab_to(page, selector: str, *, back: bool = False, limit: int = 40) -> None:
    """Press Tab (or Shift+Tab) until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"Tab never reached {selector}")


def saving(page):
    return page.expect_response(lambda response: "/inline/" in response.url)


def test_a_mistake_is_fixed_on_its_row_with_the_keyboard_only(page_for, live_server):
    sam = UserFactory(username="sam", role=Role.MEMBER, timezone="Europe/Berlin")
    website = ProjectFactory(name="Website", client=ClientFactory(name="Acme"), color="#dc2626")
    internal = ProjectFactory(name="Internal", client=None, color="#16a34a")
    ProjectFactory(name="Research", client=None)
    first = TimeEntryFactory(user=sam, project=website, start=at(9), end=at(10), notes="Navigatoin")
    TimeEntryFactory(user=sam, project=website, start=at(10, 30), end=at(11, 30), notes="Tickets")
    page = page_for(sam)
    page.goto(live_server.url + "/entries/")
    total = page.locator("#day-2026-03-10 .day-total")
    assert total.text_content() == "2h"
    assert_accessible(page, label="entries, editable on their rows")
    page.set_viewport_size({"width": 1280, "height": 860})
    pk = first.pk

    # The description: typed over, saved by leaving it with Tab; the focus goes on to the next field.
    _tab_to(page, f"#entry-{pk}-notes")
    page.keyboard.press("Control+A")
    page.keyboard.type("Navigation menu")
    with saving(page):
        page.keyboard.press("Tab")
    page.wait_for_selector("#inline-status >> text=Saved.")
    assert TimeEntry.objects.get(pk=pk).notes == "Navigation menu"
    assert focused(page) == f"entry-{pk}-duration"

    # The project: back to the picker, arrow keys through the list, Enter picks and saves.
    _tab_to(page, f"#entry-{pk} .inline-project [role=combobox]", back=True)
    combo = page.locator(f"#entry-{pk} .inline-project [role=combobox]")
    page.keyboard.press("ArrowDown")  # opens the list
    assert combo.get_attribute("aria-expanded") == "true"
    page.keyboard.type("in")  # Internal (and nothing else)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    assert page.locator(f"#entry-{pk} [role=option][aria-selected=true]").text_content() == "Internal"
    with saving(page):
        page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.querySelector('#entry-{pk} [role=combobox]').value === 'Internal'")
    assert TimeEntry.objects.get(pk=pk).project == internal
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "combobox"

    # The end: typed, Enter saves; the duration and the day's total follow.
    _tab_to(page, f"#entry-{pk}-end", back=True)
    page.keyboard.type("10:15")
    with saving(page):
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#day-2026-03-10 .day-total').textContent === '2h 15m'")
    assert page.locator(f"#entry-{pk}-duration").input_value() == "1h 15m"
    assert TimeEntry.objects.get(pk=pk).end == at(10, 15)
    assert focused(page) == f"entry-{pk}-end"

    # The duration moves the end.
    _tab_to(page, f"#entry-{pk}-duration")
    page.keyboard.type("1h30")
    with saving(page):
        page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#day-2026-03-10 .day-total').textContent === '2h 30m'")
    assert page.locator(f"#entry-{pk}-end").input_value() == "10:30"
    assert page.locator("#entries-summary").text_content().startswith("2 entries · 2h 30m")

    # Two hours would overlap the next entry: refused next to the field, the typed value kept, nothing saved.
    page.keyboard.press("Control+A")
    page.keyboard.type("2h")
    with saving(page) as refused:
        page.keyboard.press("Enter")
    assert refused.value.status == 400
    error = page.wait_for_selector(f"#entry-{pk}-duration-error")
    assert error.get_attribute("role") == "alert"
    assert "overlaps your entry" in error.text_content() and "10:30–11:30" in error.text_content()
    duration = page.locator(f"#entry-{pk}-duration")
    assert duration.get_attribute("aria-invalid") == "true"
    assert duration.get_attribute("aria-describedby") == f"entry-{pk}-duration-error"
    assert duration.input_value() == "2h" and focused(page) == f"entry-{pk}-duration"
    assert total.text_content() == "2h 30m"
    assert TimeEntry.objects.get(pk=pk).end == at(10, 30)
    if os.environ.get("SCREENSHOT_DIR"):
        folder = Path(os.environ["SCREENSHOT_DIR"])
        folder.mkdir(parents=True, exist_ok=True)
        page.locator("main").screenshot(path=str(folder / "inline-edit.png"))
    assert_accessible(page, label="entries with a refused change on a row")
    page.set_viewport_size({"width": 1280, "height": 860})

    # Escape puts the saved value back.
    duration.focus()
    page.keyboard.press("Escape")
    assert duration.input_value() == "1h 30m"
    assert page.locator(f"#entry-{pk}-duration-error").count() == 0
    assert duration.get_attribute("aria-invalid") is None
    assert all("400" in e for e in page.errors), page.errors


def test_the_full_form_and_the_bulk_actions_stay_beside_the_row_fields(page_for, live_server):
    sam = UserFactory(username="sam", role=Role.MEMBER, timezone="Europe/Berlin")
    website = ProjectFactory(name="Website", client=None)
    entry = TimeEntryFactory(user=sam, project=website, start=at(9), end=at(10), billable=True)
    page = page_for(sam)
    page.goto(live_server.url + "/entries/")
    page.check(f"#entry-{entry.pk} input[name=ids]")
    page.select_option("#bulk-action", "nonbillable")
    page.click("#bulk-form button[type=submit]")
    page.wait_for_selector(".msg >> text=1 entry")
    assert TimeEntry.objects.get(pk=entry.pk).billable is False
    page.click(f"#entry-{entry.pk} >> text=Edit")  # the whole entry, in place of the row
    page.wait_for_selector(f"#entry-{entry.pk}.editing input[name=tags]")
    assert page.errors == []


def test_a_recent_entry_is_fixed_on_the_dashboard_with_the_keyboard(page_for, live_server):
    sam = UserFactory(username="sam", role=Role.MEMBER, timezone="Europe/Berlin")
    website = ProjectFactory(name="Website", client=None)
    entry = TimeEntryFactory(user=sam, project=website, start=at(9), end=at(10), notes="Revew")
    page = page_for(sam)
    assert_accessible(page, label="dashboard with recent entries editable in place")
    page.set_viewport_size({"width": 1280, "height": 860})
    _tab_to(page, f"#entry-{entry.pk}-notes")
    page.keyboard.press("Control+A")
    page.keyboard.type("Review")
    with saving(page):
        page.keyboard.press("Tab")
    page.wait_for_selector("#inline-status >> text=Saved.")
    assert TimeEntry.objects.get(pk=entry.pk).notes == "Review"
    _tab_to(page, f"#entry-{entry.pk}-duration")
    page.keyboard.type("abc")
    with saving(page):
        page.keyboard.press("Enter")
    error = page.wait_for_selector(f"#entry-{entry.pk}-duration-error")
    assert "is not a duration" in error.text_content()
    page.keyboard.press("Control+A")
    page.keyboard.type("45m")
    with saving(page):
        page.keyboard.press("Enter")
    page.wait_for_function(f"() => document.getElementById('entry-{entry.pk}-duration').defaultValue === '45m'")
    assert page.locator(f"#entry-{entry.pk}-duration-error").count() == 0
    assert TimeEntry.objects.get(pk=entry.pk).end == at(9, 45)
    assert focused(page) == f"entry-{entry.pk}-duration"
    assert all("400" in e for e in page.errors), page.errors
