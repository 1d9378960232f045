"""The main pages on the demo data render without script errors; their screenshots illustrate the user guides.

Refresh the guide images with
    SCREENSHOT_DIR=docs/guides/img .venv/bin/pytest tests/browser/test_screenshots.py
(without SCREENSHOT_DIR they go to a temporary folder).
"""

import os
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from tracking.demo import DEMO_PASSWORD, seed_demo

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1100, "height": 760}
PHONE = {"width": 390, "height": 800}


@pytest.fixture
def shots(tmp_path):
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def snap(page, folder: Path, name: str, *, full_page=False) -> None:
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(folder / f"{name}.png"), full_page=full_page)
    assert page.errors == [], f"{name}: {page.errors}"


def test_main_pages_render_for_a_member_and_a_manager(page_for, live_server, shots):
    seed_demo()
    users = get_user_model().objects
    project_id = users.get(username="sam").time_entries.order_by("-start").first().project_id

    sam = page_for(users.get(username="sam"), password=DEMO_PASSWORD, viewport=DESKTOP)
    sam.goto(live_server.url + "/")
    sam.select_option("#id_project", label="Acme Corp / Website redesign")
    sam.fill("#id_notes", "Navigation menu")
    sam.click("#start-form button[type=submit]")
    sam.wait_for_selector("#elapsed")
    snap(sam, shots, "dashboard")
    sam.goto(live_server.url + "/entries/")
    snap(sam, shots, "entries")
    sam.goto(
        live_server.url
        + "/entries/week/?week="
        + sam.evaluate("() => new Date(Date.now() - 6048e5).toISOString().slice(0, 10)")
    )
    snap(sam, shots, "week")
    sam.goto(live_server.url + "/entries/add/")
    sam.select_option("#id_project", label="Globex / Support")
    sam.fill("#id_date", sam.evaluate("() => new Date().toISOString().slice(0, 10)"))
    sam.fill("#id_start_time", "00:00")
    sam.fill("#id_duration", "1h30")
    sam.fill("#id_notes", "Tickets")
    snap(sam, shots, "add-entry")
    sam.click("form.stack button[type=submit]")
    sam.wait_for_selector("table.entries")
    sam.goto(live_server.url + "/profile/")
    snap(sam, shots, "profile")

    phone = page_for(users.get(username="alex"), password=DEMO_PASSWORD, viewport=PHONE)
    phone.goto(live_server.url + "/")
    snap(phone, shots, "phone-dashboard")

    maria = page_for(users.get(username="maria"), password=DEMO_PASSWORD, viewport=DESKTOP)
    maria.goto(live_server.url + "/reports/?preset=last_week&group_by=client&then_by=project")
    maria.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('chart-breakdown'))")
    snap(maria, shots, "report", full_page=True)
    maria.goto(live_server.url + f"/projects/{project_id}/")
    snap(maria, shots, "project")
    maria.goto(live_server.url + "/tasks/")
    snap(maria, shots, "tasks")
    maria.goto(live_server.url + "/team/")
    snap(maria, shots, "team-overview")
    assert len(list(shots.glob("*.png"))) >= 10
