"""What a new user does in the first days, in the browser, with the keyboard only: a whole day tracked from the
one-line timer bar, and last week's timesheet typed into the week grid. Each page touched passes the accessibility
audit at desktop and phone widths."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.axe import DESKTOP, assert_accessible
from tracking import periods
from tracking.models import TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory
from tracking.utils import format_date, format_duration

pytestmark = pytest.mark.django_db(transaction=True)


def evening_zone() -> str:
    """A time zone where it is early evening now, so a day that began at 09:00 lies behind the person."""
    offset = (18 - timezone.now().astimezone(UTC).hour) % 24
    offset = offset - 24 if offset > 14 else offset  # Etc/GMT-N is N hours ahead of UTC (the sign is POSIX's)
    return "UTC" if offset == 0 else f"Etc/GMT{-offset:+d}"


def focused(page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return e ? (e.id || e.name || e.textContent.trim()) : ''; }"
    )


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user does."""
    for _ in range(limit):
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector} (focus on {focused(page)!r})")


def start_from_the_bar(page, description: str, project_typed: str) -> None:
    """'s', the description, Tab, the project picked with the arrow keys, Enter to start."""
    page.keyboard.press("s")
    assert page.evaluate("() => document.activeElement.name") == "notes"
    page.keyboard.type(description)
    page.keyboard.press("Tab")
    page.keyboard.type(project_typed)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")  # picks the highlighted project
    page.keyboard.press("Enter")  # starts
    page.wait_for_selector("#timer-notes")


def stop_from_the_bar(page) -> None:
    tab_to(page, ".btn-stop")
    page.keyboard.press("Enter")
    page.wait_for_selector("#start-form")


def test_a_whole_day_from_the_one_line_bar_with_the_keyboard_only(page_for, live_server):
    zone = evening_zone()
    sam = UserFactory(username="sam", full_name="Sam Member", role=Role.MEMBER, timezone=zone)
    website = ProjectFactory(name="Website", client=ClientFactory(name="Acme"), billable=True)
    internal = ProjectFactory(name="Internal", client=None, billable=False)
    page = page_for(sam)
    assert_accessible(page, label="the timer bar, idle")
    page.set_viewport_size(DESKTOP)

    # The morning: started late, so the start is moved back to 09:00 in the bar while it runs.
    start_from_the_bar(page, "Emails and planning", "intern")
    tab_to(page, "#id_start_time")
    page.keyboard.type("0900AM")
    with page.expect_response(lambda response: "/timer/edit/" in response.url):
        page.keyboard.press("Enter")
    page.wait_for_selector("#timer-notes")
    morning = TimeEntry.objects.get(user=sam, end=None)
    assert morning.project == internal
    assert morning.start.astimezone(sam.tzinfo).strftime("%H:%M") == "09:00"
    stop_from_the_bar(page)

    # The afternoon: a task on the client's project, its description corrected while it runs.
    start_from_the_bar(page, "Navigation menu", "acme")
    assert_accessible(page, label="the timer bar, running")
    page.set_viewport_size(DESKTOP)
    tab_to(page, "#timer-notes")
    page.keyboard.press("Control+A")
    page.keyboard.type("Navigation menu and footer")
    with page.expect_response(lambda response: "/timer/edit/" in response.url):
        page.keyboard.press("Enter")
    page.wait_for_selector("#timer-notes")
    page.wait_for_timeout(1200)
    stop_from_the_bar(page)

    # The last call of the day, on the same project.
    start_from_the_bar(page, "Call with Acme", "webs")
    page.wait_for_timeout(1200)
    stop_from_the_bar(page)

    entries = list(TimeEntry.objects.filter(user=sam).order_by("start"))
    assert [(e.notes, e.project) for e in entries] == [
        ("Emails and planning", internal),
        ("Navigation menu and footer", website),
        ("Call with Acme", website),
    ]
    assert all(e.end is not None for e in entries)
    assert all(a.end <= b.start for a, b in zip(entries, entries[1:], strict=False))
    assert [e.billable for e in entries] == [False, True, True]  # billable followed each project

    page.goto(live_server.url + "/entries/")
    group = page.locator(
        "tbody.day", has=page.locator(f"th:text-is('{format_date(periods.local_today(sam), 'long')}')")
    )
    assert group.locator("tr[id^=entry-]").count() == 3
    total = format_duration(sum(e.duration_seconds for e in entries))
    assert group.locator(".day-total").text_content().strip() == total
    assert total.startswith(f"{(entries[-1].end.astimezone(sam.tzinfo).hour - 9)}h")  # the day since 09:00
    assert_accessible(page, label="the day's entries")
    assert page.errors == []


def test_last_weeks_timesheet_typed_into_the_week_grid(page_for, live_server):
    sam = UserFactory(username="sam", role=Role.MEMBER, timezone="Europe/Berlin")
    website = ProjectFactory(name="Website", client=None)
    support = ProjectFactory(name="Support", client=None)
    this_monday = periods.week_start(timezone.localdate(timezone=sam.tzinfo))
    monday = this_monday - timedelta(days=7)
    internal = ProjectFactory(name="Internal", client=None)
    # Last Monday afternoon is partly tracked already (Website 13:00-14:00, an Internal meeting 14:00-15:00), and a
    # night deploy ran from 00:30 to 01:30 on Tuesday.
    afternoon = datetime.combine(monday, datetime.min.time(), tzinfo=sam.tzinfo) + timedelta(hours=13)
    website_monday = TimeEntryFactory(user=sam, project=website, start=afternoon, end=afternoon + timedelta(hours=1))
    TimeEntryFactory(
        user=sam, project=internal, start=afternoon + timedelta(hours=1), end=afternoon + timedelta(hours=2)
    )
    night = afternoon + timedelta(hours=11, minutes=30)
    TimeEntryFactory(user=sam, project=internal, start=night, end=night + timedelta(hours=1))
    page = page_for(sam)
    page.goto(live_server.url + "/entries/week/")
    tab_to(page, f"a[href^='?week={monday.isoformat()}']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**week={monday.isoformat()}**")
    assert_accessible(page, label="last week, editable")
    page.set_viewport_size(DESKTOP)

    def day_label(project, day):
        return f"{project}, {day:%A} {day.day} {day:%B}"

    # Website's row exists (Monday's hour): type Tuesday to Friday, moving with Tab.
    page.get_by_label(day_label("Website", monday + timedelta(days=1))).focus()
    for text, expected_total in (("7h", "10h"), ("7h30", "17h 30m"), ("8", "17h 38m"), ("6:45", "24h 23m")):
        page.keyboard.type(text)
        with page.expect_response(lambda response: "/entries/week/cell/" in response.url):
            page.keyboard.press("Tab")  # leaving the cell saves it; the focus moves to the next day
        page.wait_for_selector(f"tfoot th:last-child:text-is('{expected_total}')")
    # A bare number is minutes ("8" is 8m): the grid took it as typed.
    assert TimeEntry.objects.filter(user=sam, duration_seconds=8 * 60).count() == 1

    # A project row is added from the keyboard, and its Monday typed in.
    picker = page.locator(".week-add [role=combobox]")
    tab_to(page, ".week-add [role=combobox]", limit=80)
    page.keyboard.type("supp")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Add row
    assert picker.count() == 1
    cell = page.get_by_label(day_label("Support", monday))
    cell.focus()
    page.keyboard.type("2h")
    with page.expect_response(lambda response: "/entries/week/cell/" in response.url):
        page.keyboard.press("Tab")
    page.wait_for_selector("tfoot th:last-child:text-is('26h 23m')")
    support_monday = TimeEntry.objects.get(user=sam, project=support)
    assert support_monday.start.astimezone(sam.tzinfo).date() == monday

    # Twelve hours of Website on Monday: the 11 more go after the day's last entry (17:00) and would run into the
    # night deploy: refused in the cell, nothing written.
    cell = page.get_by_label(day_label("Website", monday))
    cell.focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("12h")
    with page.expect_response(lambda response: "/entries/week/cell/" in response.url):
        page.keyboard.press("Tab")
    error = page.wait_for_selector("td.has-error .error")
    assert "overlaps" in error.text_content() and "00:30–01:30" in error.text_content()  # in Sam's words and zone
    assert page.get_by_label(day_label("Website", monday)).get_attribute("aria-invalid") == "true"
    website_monday.refresh_from_db()
    assert website_monday.duration_seconds == 3600  # nothing half-written
    assert TimeEntry.objects.get(pk=support_monday.pk).duration_seconds == 2 * 3600
    assert page.locator("tfoot th:last-child").text_content().strip() == "26h 23m"
    assert_accessible(page, label="last week with a refused cell")
    assert all("400" in e or "409" in e for e in page.errors)
