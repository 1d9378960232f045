"""Saved reports walked through in headless Chromium, audited with axe at desktop and phone widths.

A manager saves "Billable hours by client, last month" from the report page, marks it verified and adds a note on
the data; a member finds it by searching, sees only their own time (and the page says so) with the note as a
marker, cannot edit it, duplicates it and edits the copy; building the same report ad hoc shows the hint.

With SCREENSHOT_DIR=docs/guides/img the guide's screenshots are refreshed.
"""

import json
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Role
from accounts.tests.factories import TeamFactory, UserFactory
from reports.models import SavedReport
from tests.axe import assert_accessible
from tracking import periods
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db(transaction=True)
UTC = ZoneInfo("UTC")


def _shot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.set_viewport_size({"width": 1100, "height": 760})  # axe leaves the page at phone width
        page.wait_for_timeout(300)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


@pytest.fixture
def people(transactional_db):
    maria = UserFactory(username="maria", full_name="Maria Manager", role=Role.MANAGER, timezone="UTC")
    sam = UserFactory(username="sam", full_name="Sam Member", role=Role.MEMBER, timezone="UTC")
    alex = UserFactory(username="alex", full_name="Alex Member", role=Role.MEMBER, timezone="UTC")
    TeamFactory(managers=[maria], members=[sam, alex])
    acme = ClientFactory(name="Acme")
    web = ProjectFactory(name="Website", client=acme, is_public=True, billable=True)
    month = periods.preset("last_month", date.today())
    day = month.start + timedelta(days=4)
    for user, hours in ((sam, 2), (alex, 3)):
        start = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
        TimeEntryFactory(user=user, project=web, start=start, end=start + timedelta(hours=hours), billable=True)
    return {"maria": maria, "sam": sam, "alex": alex, "day": day}


def test_save_verify_annotate_find_duplicate_and_the_adhoc_hint(page_for, live_server, people):
    url = live_server.url
    maria = page_for(people["maria"])
    maria.goto(url + "/reports/?preset=last_month&group_by=client&billable=1")
    maria.click("#save-report")
    maria.wait_for_selector("h1:has-text('Save a report')")
    assert maria.get_attribute("#id_name", "placeholder") == "Billable hours by client · last month"
    maria.fill("#id_name", "Billable hours by client, last month")
    maria.fill("#id_description", "What we invoice per client. Guide: https://example.com/billing")
    maria.fill("#id_tags_text", "billing, monthly")
    maria.select_option("#id_visibility", "everyone")
    assert_accessible(maria, label="save form")
    maria.click("form.report-form button[type=submit]")
    maria.wait_for_selector("#report-name")
    maria.click("#verify")
    maria.wait_for_selector("#report-name .badge-verified")
    assert maria.get_attribute("a[href='https://example.com/billing']", "rel") == "nofollow"

    maria.click("text=Add a note on the data")
    maria.fill("#id_start", people["day"].isoformat())
    maria.fill("#id_text", "Offsite <b>week</b>: little client work")
    maria.select_option("#id_scope", "everyone")
    assert_accessible(maria, label="annotation form")
    maria.click("form.stack button[type=submit]")
    maria.wait_for_selector("#report-annotations")
    assert "Offsite <b>week</b>: little client work" in maria.text_content("#report-annotations")
    chart = json.loads(maria.text_content("#chart-data"))
    assert [m["index"] for m in chart["markers"]] == [
        (people["day"] - periods.preset("last_month", date.today()).start).days
    ]
    maria.wait_for_load_state("networkidle")
    _shot(maria, "saved-report")
    assert_accessible(maria, label="saved report (manager)")
    assert maria.errors == []
    report = SavedReport.objects.get()

    sam = page_for(people["sam"])
    sam.goto(url + "/reports/saved/")
    sam.fill("#id_search", "billable")
    sam.click("form[role=search] button[type=submit]")
    sam.wait_for_selector(f"#saved-list a[href='/reports/saved/{report.pk}/']")
    _shot(sam, "saved-reports-list")
    assert_accessible(sam, label="saved reports list")
    sam.click(f"#saved-list a[href='/reports/saved/{report.pk}/']")
    note = sam.wait_for_selector("#people-note")
    assert note.text_content().strip() == "Showing your own time: 1 of 2 people."
    assert "2h" in sam.text_content("#report-table tfoot")
    assert "Offsite <b>week</b>" in sam.text_content("#report-annotations")
    assert sam.query_selector("#edit") is None
    assert_accessible(sam, label="saved report (member)")

    response = sam.goto(url + f"/reports/saved/{report.pk}/edit/")
    assert response.status == 403
    sam.errors.clear()  # the browser logs the 403 it was just shown
    sam.goto(url + f"/reports/saved/{report.pk}/")
    sam.click("#duplicate")
    sam.wait_for_selector("text=Saved a copy you own")
    sam.click("#edit")
    sam.fill("#id_name", "My billable hours")
    sam.click("form.report-form button[type=submit]")
    sam.wait_for_selector("#report-name:has-text('My billable hours')")
    report.refresh_from_db()
    assert report.name == "Billable hours by client, last month"

    sam.goto(url + "/reports/?preset=this_month&group_by=client&billable=1")
    hint = sam.wait_for_selector("#saved-report-hint")
    assert "colleagues use" in hint.text_content() and "Billable hours by client, last month" in hint.text_content()
    _shot(sam, "report-hint")
    assert_accessible(sam, label="ad-hoc report with the hint")

    sam.goto(url + "/reports/saved/?ordering=popular")
    first = sam.wait_for_selector("#saved-list .saved-row .saved-name")
    assert first.text_content() == "Billable hours by client, last month"
    assert sam.errors == []
