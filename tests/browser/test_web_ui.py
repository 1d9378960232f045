"""The web UI in a real browser: timer, entries, reports, a phone-sized window."""

import csv
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sam(transactional_db):
    return UserFactory(username="sam", full_name="Sam Member", role=Role.MEMBER, timezone="Europe/Berlin")


def test_timer_ticks_in_the_header_across_pages_and_the_stopped_entry_is_listed(page_for, live_server, sam):
    project = ProjectFactory(name="Website redesign")
    page = page_for(sam)
    page.select_option("#id_project", str(project.pk))
    page.fill("#id_notes", "Navigation")
    page.click("#start-form button[type=submit]")
    elapsed = page.wait_for_selector("#elapsed")
    first = elapsed.text_content()
    page.wait_for_function("t => document.getElementById('elapsed').textContent !== t", arg=first)

    # Pretend the timer has run for 90 minutes, then move around: the header keeps counting on every page.
    entry = TimeEntry.objects.get(user=sam, end=None)
    TimeEntry.objects.filter(pk=entry.pk).update(start=entry.start - timedelta(minutes=90))
    page.click("nav >> text=Projects")
    page.wait_for_selector("h1:has-text('Projects')")
    page.wait_for_function("() => document.getElementById('elapsed').textContent.startsWith('1:30:')")
    assert "Website redesign" in page.text_content("#timerbar")

    page.keyboard.press("s")  # the start/stop shortcut
    page.wait_for_selector("text=No timer running")
    page.click("nav >> text=Entries")
    row = page.locator("table.entries tbody tr[id^=entry-]")
    row.wait_for()
    assert "Website redesign" in row.locator("[role=combobox]").input_value()  # the row's fields, editable in place
    assert row.locator("input[name=duration]").input_value() == "1h 30m"
    assert page.errors == []


def test_manual_entry_then_an_overlapping_one_shows_the_error_next_to_the_start(page_for, live_server, sam):
    project = ProjectFactory(name="Support")
    page = page_for(sam)
    page.goto(live_server.url + "/entries/add/")
    page.select_option("#id_project", str(project.pk))
    page.fill("#id_date", "2026-03-10")
    page.fill("#id_start_time", "09:00")
    page.fill("#id_duration", "1h30")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("table.entries")
    assert "1h 30m" in page.text_content("table.entries")
    assert page.url == live_server.url + "/entries/"  # the address follows the redirect, so a reload re-posts nothing

    page.goto(live_server.url + "/entries/add/")
    page.select_option("#id_project", str(project.pk))
    page.fill("#id_date", "2026-03-10")
    page.fill("#id_start_time", "10:00")
    page.fill("#id_end_time", "11:00")
    page.click("form.stack button[type=submit]")
    error = page.wait_for_selector(".field.has-error:has(#id_start_time) .error")
    assert "overlaps" in error.text_content()
    assert TimeEntry.objects.filter(user=sam).count() == 1


def test_inline_edit_changes_a_row_without_leaving_the_list(page_for, live_server, sam):
    project = ProjectFactory(name="Internal")
    utc = ZoneInfo("UTC")
    TimeEntryFactory(
        user=sam, project=project, start=datetime(2026, 3, 10, 8, tzinfo=utc), end=datetime(2026, 3, 10, 9, tzinfo=utc)
    )
    page = page_for(sam)
    page.goto(live_server.url + "/entries/")
    page.click("table.entries >> text=Edit")
    page.wait_for_selector("tr.editing")
    page.fill("tr.editing #id_end_time", "11:15")
    page.click("tr.editing button[type=submit]")
    page.wait_for_selector("table.entries tbody tr:not(.editing) input[name=duration][value='2h 15m']")
    assert page.url.endswith("/entries/")


def test_report_shows_the_charts_and_the_csv_holds_the_rows_shown(page_for, live_server, sam):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    berlin = ZoneInfo("Europe/Berlin")
    for offset, name in enumerate(["Web", "App", "Ops"]):
        project = ProjectFactory(name=name, client=None)
        start = datetime.combine(monday + timedelta(days=offset), datetime.min.time(), berlin).replace(hour=9)
        TimeEntryFactory(user=sam, project=project, start=start, end=start + timedelta(hours=offset + 1))
    page = page_for(sam)
    page.click("nav >> text=Reports")
    page.click("label:has-text('Last week')")
    page.click("text=Show report")
    page.wait_for_selector("#report-table >> text=Ops")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-time'))")
    assert page.evaluate("() => Chart.getChart(document.getElementById('chart-breakdown')).data.labels.length") == 3
    shown = [cell.text_content().strip() for cell in page.query_selector_all("#report-table tbody tr td:first-child")]
    assert shown == ["App", "Ops", "Web"]

    with page.expect_download() as download:
        page.click("text=⬇ CSV")
    rows = list(csv.reader(download.value.path().read_text(encoding="utf-8").splitlines()))
    assert [r[0] for r in rows[1:-1]] == shown
    assert rows[-1][:3] == ["Total", "", "6h"]
    assert page.errors == []


def test_phone_sized_window_fits_and_opens_the_menu(page_for, live_server, sam):
    ProjectFactory(name="Mobile app", client=None)
    TimeEntryFactory(user=sam, project=ProjectFactory(name="Internal"))
    page = page_for(sam, viewport={"width": 390, "height": 844})
    for path in ("/", "/entries/", "/reports/", "/projects/", "/profile/"):
        page.goto(live_server.url + path)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        wide = page.evaluate(
            "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > "
            "window.innerWidth + 1).slice(0, 3).map(e => e.tagName + '.' + e.className + '#' + e.id)"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone: {wide}"
    assert not page.is_visible("nav >> text=Reports")
    page.click("text=Menu")
    assert page.is_visible("nav >> text=Reports")
    page.goto(live_server.url + "/")
    page.select_option("#id_project", label="Mobile app")
    page.click("#start-form button[type=submit]")
    page.wait_for_selector("#elapsed")
    assert page.errors == []


def test_start_is_keyboard_only(page_for, live_server, sam):
    ProjectFactory(name="Zeta")
    page = page_for(sam)
    page.keyboard.press("s")  # focuses "What are you working on?"
    page.keyboard.press("Tab")  # the project picker
    page.keyboard.type("zet")
    page.keyboard.press("Enter")
    assert page.eval_on_selector("#id_project", "el => el.selectedOptions[0].text").endswith("Zeta")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("s")  # a project is chosen: starts
    page.wait_for_selector("#elapsed")
    assert TimeEntry.objects.get(user=sam, end=None).project.name == "Zeta"
