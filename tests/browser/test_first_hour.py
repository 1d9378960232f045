"""What a new user meets in the first hour, in a real browser: messages, tables on a phone, forms, Help.

Every page these tests open is audited with axe at desktop and phone widths.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from tests.axe import PHONE, assert_accessible
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def sam(transactional_db):
    return UserFactory(username="sam", full_name="Sam Member", role=Role.MEMBER, timezone="Europe/Berlin")


def _last_week_entries(user):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + 7)
    for offset, name in enumerate(["Web", "App", "Ops"]):
        project = ProjectFactory(name=f"{name} with a rather long project name", client__name=f"Client {name}")
        task = TaskFactory(project=project, name=f"{name} task with a long name")
        start = datetime.combine(monday + timedelta(days=offset), datetime.min.time(), BERLIN).replace(hour=9)
        TimeEntryFactory(user=user, project=project, task=task, start=start, end=start + timedelta(hours=offset + 1))
    return monday


def _sideways(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_messages_after_an_action_are_a_list_inside_a_status_region(page_for, live_server, sam):
    project = ProjectFactory(name="Support")
    page = page_for(sam)
    page.goto(live_server.url + "/entries/add/")
    page.select_option("#id_project", str(project.pk))
    page.fill("#id_date", "2026-03-10")
    page.fill("#id_start_time", "09:00")
    page.fill("#id_duration", "1h")
    page.click("form.stack button[type=submit]")
    message = page.wait_for_selector("[role=status] > ul.messages > li.msg")
    assert "Added 1h" in message.text_content()
    assert page.eval_on_selector("ul.messages", "el => el.getAttribute('role')") is None
    assert_accessible(page, label="entries after adding time")


def test_report_and_week_tables_fit_a_phone_and_their_region_is_reachable_by_keyboard(page_for, live_server, sam):
    monday = _last_week_entries(sam)
    page = page_for(sam, viewport=PHONE)
    page.goto(live_server.url + "/reports/?preset=last_week&group_by=project&then_by=task")
    page.wait_for_selector("#report-table")
    region = page.locator(".table-wrap:has(#report-table)")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    assert _sideways(page) <= 0
    assert page.locator("#report-table tbody tr.group td[data-label=Hours]").first.is_visible()
    assert_accessible(page, label="report")

    page.goto(live_server.url + f"/entries/week/?week={monday.isoformat()}")
    page.wait_for_selector("table.week")
    assert _sideways(page) <= 0
    assert_accessible(page, viewports=(PHONE,), label="week on a phone")
    assert page.errors == []


def test_billable_follows_the_chosen_project_until_the_person_changes_it(page_for, live_server, sam):
    internal = ProjectFactory(name="Internal", billable=False, client=None)
    website = ProjectFactory(name="Website", billable=True, client=None)
    other = ProjectFactory(name="Other billable", billable=True, client=None)
    page = page_for(sam)
    page.goto(live_server.url + "/entries/add/")
    page.select_option("#id_project", str(internal.pk))
    assert not page.is_checked("#id_billable")
    page.select_option("#id_project", str(website.pk))
    assert page.is_checked("#id_billable")
    page.uncheck("#id_billable")  # the person decides: the project no longer does
    page.select_option("#id_project", str(other.pk))
    assert not page.is_checked("#id_billable")
    assert_accessible(page, label="add time")

    page.goto(live_server.url + f"/entries/add/?project={internal.pk}")
    assert not page.is_checked("#id_billable")
    page.fill("#id_date", "2026-03-10")
    page.fill("#id_start_time", "09:00")
    page.fill("#id_duration", "1h")
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("table.entries")
    assert page.errors == []
    assert TimeEntry.objects.get(user=sam).billable is False


def test_a_manager_makes_a_project_private_for_one_team_from_its_page(page_for, live_server):
    from accounts.tests.factories import TeamFactory

    maria = UserFactory(username="maria", role=Role.MANAGER)
    team = TeamFactory(name="Design", managers=[maria])
    project = ProjectFactory(name="Website", client__name="Acme")
    page = page_for(maria)
    page.goto(live_server.url + f"/projects/{project.pk}/")
    page.click("main >> text=Edit")
    page.wait_for_selector("h1:has-text('Edit project')")
    assert not page.is_visible("#picker-teams")  # open to everyone: nobody to choose
    page.uncheck("#id_is_public")
    page.check("#picker-teams >> text=Design")
    page.fill("#id_hourly_rate", "95")
    assert_accessible(page, label="project edit")
    page.set_viewport_size({"width": 1280, "height": 860})
    page.click("main >> button:text-is('Save')")  # not the header's "Saved reports" link
    page.wait_for_selector("text=Who may track: Design")
    assert_accessible(page, label="project page")
    project.refresh_from_db()
    assert not project.is_public and list(project.teams.all()) == [team] and project.hourly_rate == 95
    assert page.errors == []


def test_help_opens_a_guide_as_a_page_with_pictures_and_links_that_work(page_for, live_server, sam):
    page = page_for(sam)
    page.click("nav >> text=Help")
    page.get_by_role("link", name="Tracking time", exact=True).click()
    page.wait_for_selector("article.doc h1:has-text('Tracking time')")
    # The heading is there before the picture has loaded: wait until the browser is done with it (loaded or broken).
    page.wait_for_function("() => document.querySelector('article.doc img')?.complete")
    assert page.evaluate("() => document.querySelector('article.doc img').naturalWidth") > 0
    assert_accessible(page, label="a guide in Help")
    page.set_viewport_size({"width": 1280, "height": 860})
    page.click("article.doc >> text=managing teams and reports")
    page.wait_for_selector("article.doc h1:has-text('Managing teams')")
    assert page.errors == []


def test_the_token_table_fits_a_laptop_and_the_activity_filters_look_like_the_others(page_for, live_server):
    from accounts.services import api_token_create

    admin = UserFactory(username="ada", role=Role.ADMIN, timezone="Europe/Berlin")
    for name in ("deploy script with a long name", "reports"):
        token, _ = api_token_create(
            actor=admin,
            name=name,
            scopes="read:time_entries,write:time_entries,read:reports,read:users,read:projects",
            expires_at=timezone.now() + timedelta(days=30),
        )
    page = page_for(admin, viewport={"width": 1366, "height": 768})
    page.goto(live_server.url + "/profile/")
    wrap = page.locator(".table-wrap:has(table.tokens)")
    assert wrap.evaluate("el => el.scrollWidth - el.clientWidth") <= 0
    expires = page.locator("table.tokens tbody tr").first.locator("td").nth(4).text_content()
    assert expires == token.expires_at.astimezone(BERLIN).strftime("%a %-d %b %Y, %H:%M")
    assert_accessible(page, label="profile")

    page.goto(live_server.url + "/activity/")
    form = page.locator("form.filter-form")
    assert form.evaluate("el => getComputedStyle(el).display") == "grid"
    assert page.locator("form.filter-form .field label").count() >= 1
    assert_accessible(page, label="activity")
    assert page.errors == []


def test_the_sign_in_page_shows_the_product(browser, live_server, transactional_db):
    page = browser.new_page(viewport={"width": 1280, "height": 860})
    page.goto(live_server.url + "/accounts/login/")
    assert page.locator(".signin-brand .signin-name").text_content() == "TimeTracker"
    assert page.locator("form.login input[name=login]").is_visible()
    assert_accessible(page, label="sign-in")
    page.close()
