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


def pick_project(page, scope: str, typed: str) -> None:
    """Type into the project picker of `scope` and take the first match with the arrow keys, as people do."""
    picker = page.locator(f"{scope} [role=combobox]")
    picker.focus()
    picker.fill("")
    page.keyboard.type(typed)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")


def test_main_pages_render_for_a_member_and_a_manager(page_for, live_server, shots):
    seed_demo()
    users = get_user_model().objects
    project_id = users.get(username="sam").time_entries.order_by("-start").first().project_id

    sam = page_for(users.get(username="sam"), password=DEMO_PASSWORD, viewport=DESKTOP)
    sam.goto(live_server.url + "/")
    sam.locator("#start-form input[name=notes]").fill("Navigation menu")
    pick_project(sam, "#start-form", "website")
    snap(sam, shots, "timer-bar-picking")  # (not in a guide: checked, then replaced by the running bar below)
    sam.keyboard.press("Enter")  # Enter in the bar starts
    sam.wait_for_selector("#timer-notes")
    sam.wait_for_timeout(1100)  # the elapsed time has ticked
    snap(sam, shots, "dashboard")
    sam.locator(".timer-line-card").screenshot(path=str(shots / "timer-bar.png"))
    (shots / "timer-bar-picking.png").unlink()
    sam.goto(live_server.url + "/entries/")
    snap(sam, shots, "entries")

    last_week = sam.evaluate("() => new Date(Date.now() - 6048e5).toISOString().slice(0, 10)")
    sam.goto(live_server.url + "/entries/week/?week=" + last_week)
    snap(sam, shots, "week")
    empty = sam.locator("input.week-cell[value='']").first
    empty.focus()
    sam.keyboard.type("1h30")
    with sam.expect_response(lambda response: "/entries/week/cell/" in response.url):
        sam.keyboard.press("Tab")  # saved on leaving the cell; the totals follow
    sam.wait_for_selector("#week-grid")
    sam.keyboard.type("45m")  # the next cell, being typed into
    sam.locator("#week-grid").screenshot(path=str(shots / "week-grid.png"))
    sam.keyboard.press("Escape")
    assert sam.errors == [], sam.errors  # the swapped grid keeps within the Content-Security-Policy

    sam.goto(live_server.url + "/entries/add/")
    pick_project(sam, "form.stack", "support")
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
    names = {path.stem for path in shots.glob("*.png")}
    expected = {"dashboard", "timer-bar", "entries", "week", "week-grid", "add-entry", "profile", "phone-dashboard"}
    assert expected | {"report", "project", "tasks", "team-overview"} <= names
