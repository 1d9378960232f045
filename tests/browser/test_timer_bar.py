"""The one-line timer bar, used with the keyboard only: describe, pick a project in the combobox, start, edit the
running description in place, stop."""

import pytest

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.axe import assert_accessible
from tracking.models import TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sam(transactional_db):
    return UserFactory(username="sam", full_name="Sam Member", role=Role.MEMBER, timezone="Europe/Berlin")


def _tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_day_from_the_bar_with_the_keyboard_only(page_for, live_server, sam):
    acme = ClientFactory(name="Acme")
    website = ProjectFactory(name="Website", client=acme, color="#dc2626", billable=True)
    ProjectFactory(name="Webinar", client=None, billable=False)
    internal = ProjectFactory(name="Internal", client=None, billable=False)
    TimeEntryFactory(user=sam, project=internal)  # used recently: offered first
    page = page_for(sam)

    page.keyboard.press("s")  # focuses "What are you working on?"
    assert page.evaluate("() => document.activeElement.name") == "notes"
    page.keyboard.type("Navigation menu")
    page.keyboard.press("Tab")
    combo = page.locator(".timer-line [role=combobox]")
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "combobox"
    page.keyboard.press("ArrowDown")  # opens the list: the recent project first
    assert combo.get_attribute("aria-expanded") == "true"
    options = page.locator(".timer-line [role=listbox] [role=option]")
    assert options.first.text_content().startswith("Internal")
    assert_accessible(page, label="timer bar with the project list open")
    page.set_viewport_size({"width": 1280, "height": 860})

    page.keyboard.type("web")  # filters: Website (Acme) and Webinar
    assert options.count() == 2
    assert options.all_text_contents() == ["Webinar", "WebsiteAcme"]  # each with its client
    page.keyboard.press("ArrowUp")  # wraps to the last
    page.keyboard.press("ArrowDown")  # back to the first
    page.keyboard.press("ArrowDown")
    selected = page.locator(".timer-line [role=option][aria-selected=true]")
    assert combo.get_attribute("aria-activedescendant") == selected.get_attribute("id")
    assert selected.text_content().startswith("Website")
    page.keyboard.press("Enter")  # picks, and leaves the list
    assert combo.get_attribute("aria-expanded") == "false" and combo.input_value() == "Acme / Website"
    assert page.locator(".tl-billable").get_attribute("aria-pressed") == "true"  # follows the billable project
    page.keyboard.press("Enter")  # Enter in the bar starts
    page.wait_for_selector("#timer-notes")
    running = TimeEntry.objects.get(user=sam, end=None)
    assert (running.project, running.notes, running.billable) == (website, "Navigation menu", True)

    _tab_to(page, "#timer-notes")
    page.keyboard.press("Control+A")
    page.keyboard.type("Navigation menu and footer")
    with page.expect_response(lambda response: "/timer/edit/" in response.url):
        page.keyboard.press("Enter")  # saves in place
    page.wait_for_selector("#timer-notes")
    assert TimeEntry.objects.get(pk=running.pk).notes == "Navigation menu and footer"
    assert_accessible(page, label="timer bar while running")
    page.set_viewport_size({"width": 1280, "height": 860})

    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("s")  # stops
    page.wait_for_selector("#start-form")
    assert TimeEntry.objects.get(pk=running.pk).end is not None
    assert page.errors == []


def test_the_running_timer_moves_its_start_and_project_in_place(page_for, live_server, sam):
    first = ProjectFactory(name="First", client=None)
    second = ProjectFactory(name="Second", client=None)
    page = page_for(sam)
    page.locator(".timer-line [role=combobox]").fill("Fir")
    page.keyboard.press("Enter")
    page.click("#start-form button[type=submit]")
    page.wait_for_selector("#timer-notes")
    combo = page.locator(".timer-line [role=combobox]")
    combo.fill("Sec")
    page.keyboard.press("Enter")
    start = TimeEntry.objects.get(user=sam, end=None).start.astimezone(sam.tzinfo)
    earlier = (start.replace(second=0, microsecond=0)).strftime("%H:%M") if start.minute >= 1 else None
    if earlier:
        page.fill("#id_start_time", f"{start.hour:02d}:{start.minute - 1:02d}")
    with page.expect_response(lambda response: "/timer/edit/" in response.url):
        page.click("#timer-edit-form button[type=submit]")
    page.wait_for_selector("#timer-notes")
    running = TimeEntry.objects.get(user=sam, end=None)
    assert running.project == second and first != second
    if earlier:
        assert running.start.astimezone(sam.tzinfo).minute == start.minute - 1


def test_the_same_picker_filters_entries_and_reports_and_can_be_cleared(page_for, live_server, sam):
    website = ProjectFactory(name="Website", client=ClientFactory(name="Acme"))
    other = ProjectFactory(name="Other", client=None)
    TimeEntryFactory(user=sam, project=website, notes="site work")
    TimeEntryFactory(user=sam, project=other, notes="other work")
    page = page_for(sam)
    page.goto(live_server.url + "/entries/?start=")
    combo = page.locator("form.filter-form [role=combobox]")
    assert combo.get_attribute("placeholder") == "All projects"
    combo.focus()
    page.keyboard.type("acme")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.locator("form.filter-form button[type=submit]").press("Enter")
    page.wait_for_url(f"**project={website.pk}**")
    page.wait_for_selector("table.entries input[name=notes][value='site work']")  # rows are fields, edited in place
    assert page.locator("table.entries input[name=notes][value='other work']").count() == 0
    assert_accessible(page, label="entries filtered with the picker")
    page.set_viewport_size({"width": 1280, "height": 860})

    combo = page.locator("form.filter-form [role=combobox]")
    assert combo.input_value() == "Acme / Website"
    combo.fill("")
    page.locator("form.filter-form button[type=submit]").click()  # blurring the emptied picker means all projects
    page.wait_for_url("**project=&**")
    page.wait_for_selector("table.entries input[name=notes][value='other work']")

    page.goto(live_server.url + "/reports/")
    assert page.locator("form.report-form [role=combobox]").count() == 1
    page.goto(live_server.url + "/entries/add/")
    assert page.locator("form.stack [role=combobox]").count() == 1 and page.locator(".project-search").count() == 1
    assert page.errors == []


def test_the_dark_theme_follows_the_system_and_keeps_contrast(browser, live_server, sam):
    website = ProjectFactory(name="Website", client=ClientFactory(name="Acme"))
    TimeEntryFactory(user=sam, project=website, notes="site work")
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.fill("input[name=login]", "sam")
    page.fill("input[name=password]", "correct horse battery staple")
    page.click("form.login button[type=submit]")
    page.wait_for_selector("#timerbar")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(11, 17, 32)"
    for path in ("/", "/entries/", "/reports/?preset=last_30_days", f"/projects/{website.pk}/"):
        page.goto(live_server.url + path)
        assert_accessible(page, label=f"{path} in the dark theme")
    context.close()
