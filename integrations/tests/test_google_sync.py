"""The Google Calendar sync against a local server speaking Calendar v3: import rules, moves and cancellations,
incremental sync and the 410 reset, export without duplicates, and one failing user not stopping the others."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from integrations import services
from integrations.connectors.google import store
from integrations.models import EntryLink, Integration
from integrations.tasks import integrations_sync_provider_task
from tracking import services as tracking
from tracking.models import Source, TimeEntry
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

from . import google_fake
from .google_fake import connect

fake_google = google_fake.fake_google  # the fixture


def yesterday(hour: int, minute: int = 0):
    return (timezone.now() - timedelta(days=1)).replace(hour=hour, minute=minute, second=0, microsecond=0)


@pytest.fixture
def google(fake_google, member, project):
    return connect(fake_google, member, default_project=project.pk)


def sync(integration) -> dict:
    result = services.integration_sync(integration_id=integration.pk)
    integration.refresh_from_db()
    return result


def calendar_entries(user):
    return TimeEntry.objects.filter(user=user, source=Source.CALENDAR)


# -- import --------------------------------------------------------------------------------------------------------


def test_import_turns_timed_events_into_entries_and_ignores_all_day_running_and_own_events(
    google, fake_google, member, project
):
    standup = fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    fake_google.add_event("Offsite", all_day=date.today() - timedelta(days=1))
    fake_google.add_event("[TT] Website — fixes", yesterday(11), yesterday(12), private={"timetrackerEntry": "7"})
    fake_google.add_event("Running now", timezone.now() - timedelta(minutes=10), timezone.now() + timedelta(hours=1))
    cancelled = fake_google.add_event("Dropped", yesterday(15), yesterday(16))
    fake_google.cancel_event(cancelled["id"])
    declined = fake_google.add_event("Not for me", yesterday(17), yesterday(18))
    declined["attendees"] = [{"email": "me@example.com", "self": True, "responseStatus": "declined"}]

    result = sync(google)

    assert result["ok"], result
    entry = calendar_entries(member).get()
    assert entry.external_ref == f"gcal:{standup['id']}"
    assert entry.notes == "Standup"
    assert entry.project == project and entry.billable == project.billable
    assert (entry.start, entry.end) == (yesterday(9), yesterday(9, 30))
    counts = google.last_sync_counts
    assert counts["imported"] == 1
    assert counts["ignored_all_day"] == 1
    assert counts["ignored_own"] == 1
    assert counts["ignored_outside_window"] == 1
    assert counts["ignored_declined"] == 1
    assert google.last_sync_status == "ok"
    first = fake_google.list_requests()[0]["query"]
    assert first["singleEvents"] == "true" and "timeMin" in first and "syncToken" not in first


@pytest.mark.parametrize("title", ["[TT] Website — fixes", "  [tt] Other install — review", "[TT]"])
def test_a_tt_event_without_our_private_mark_is_never_imported(google, fake_google, member, title):
    """Exported by another installation, the previous tool, or by this one before its private mark was stripped."""
    fake_google.add_event(title, yesterday(11), yesterday(12))
    fake_google.add_event("Standup [TT] later in the title is a meeting", yesterday(9), yesterday(9, 30))
    result = sync(google)
    assert result["ok"], result
    assert list(calendar_entries(member).values_list("notes", flat=True)) == [
        "Standup [TT] later in the title is a meeting"
    ]
    assert google.last_sync_counts["ignored_tt_title"] == 1


def test_import_follows_every_page(google, fake_google, member):
    for hour in range(8, 13):
        fake_google.add_event(f"Meeting {hour}", yesterday(hour), yesterday(hour, 45))
    result = sync(google)
    assert result["counts"]["imported"] == 5
    assert calendar_entries(member).count() == 5
    pages = fake_google.list_requests()
    assert len(pages) == 3 and all("pageToken" in p["query"] for p in pages[1:])


def test_only_events_containing_the_keyword_are_imported_when_one_is_set(fake_google, member, project):
    integration = connect(fake_google, member, default_project=project.pk, import_only_matching="client")
    fake_google.add_event("Client call: ACME", yesterday(9), yesterday(10))
    fake_google.add_event("Lunch", yesterday(12), yesterday(13))
    result = sync(integration)
    assert list(calendar_entries(member).values_list("notes", flat=True)) == ["Client call: ACME"]
    assert result["counts"]["ignored_keyword"] == 1


def test_an_event_overlapping_an_existing_entry_is_skipped_and_counted(google, fake_google, member, project):
    TimeEntryFactory(user=member, project=project, start=yesterday(10, 30), end=yesterday(11, 30))
    fake_google.add_event("Review", yesterday(10), yesterday(11))
    fake_google.add_event("Planning", yesterday(14), yesterday(15))
    result = sync(google)
    assert result["counts"]["skipped"] == 1
    assert list(calendar_entries(member).values_list("notes", flat=True)) == ["Planning"]


def test_the_second_sync_is_incremental_and_never_duplicates(google, fake_google, member):
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    sync(google)
    token = store.state_of(google)["sync_token"]
    assert token in fake_google.sync_tokens
    result = sync(google)
    assert result["counts"]["imported"] == 0
    assert calendar_entries(member).count() == 1
    second_run = fake_google.list_requests()[1]["query"]
    assert second_run["syncToken"] == token and "timeMin" not in second_run


def test_an_incremental_sync_follows_pages_and_keeps_the_last_pages_sync_token(google, fake_google, member):
    sync(google)
    for hour in (8, 10, 12):
        fake_google.add_event(f"Meeting {hour}", yesterday(hour), yesterday(hour, 30))
    result = sync(google)
    assert result["counts"]["imported"] == 3
    incremental = [r["query"] for r in fake_google.list_requests()[1:3]]
    assert "syncToken" in incremental[0] and "pageToken" in incremental[1]
    assert store.state_of(google)["sync_token"] == f"s{fake_google.seq}"


def test_a_moved_and_renamed_event_moves_and_renames_its_entry(google, fake_google, member):
    event = fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    sync(google)
    fake_google.move_event(event["id"], yesterday(14), yesterday(15))
    fake_google.rename_event(event["id"], "Standup (moved)")
    result = sync(google)
    entry = calendar_entries(member).get()
    assert (entry.start, entry.end, entry.notes) == (yesterday(14), yesterday(15), "Standup (moved)")
    assert result["counts"]["updated"] == 1 and result["counts"]["imported"] == 0


def test_a_cancelled_event_removes_its_entry(google, fake_google, member):
    event = fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    sync(google)
    fake_google.cancel_event(event["id"])
    result = sync(google)
    assert result["counts"]["removed"] == 1
    assert not calendar_entries(member).exists()
    assert not EntryLink.objects.filter(integration=google).exists()


def test_a_cancelled_event_leaves_an_entry_edited_since_the_import_and_reports_it(google, fake_google, member):
    event = fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    sync(google)
    entry = calendar_entries(member).get()
    tracking.time_entry_update(actor=member, entry=entry, notes="Standup — and the release plan")
    fake_google.cancel_event(event["id"])
    result = sync(google)
    assert calendar_entries(member).get().notes == "Standup — and the release plan"
    assert result["counts"]["kept_edited"] == 1 and result["counts"]["removed"] == 0
    assert f"Entry #{entry.pk} was kept" in result["message"]


def test_an_event_that_ended_after_the_last_sync_is_imported_by_the_incremental_sync(google, fake_google, member):
    now = timezone.now().replace(microsecond=0)
    event = fake_google.add_event("Workshop", now - timedelta(minutes=50), now + timedelta(minutes=10))
    first = sync(google)
    assert first["counts"]["imported"] == 0  # not over yet
    # An hour passes: the workshop is over, nothing about it changed (so the sync token reports nothing).
    store.state_update(google, imported_until=(now - timedelta(hours=1)).isoformat())
    event["start"]["dateTime"] = google_fake.rfc3339(now - timedelta(minutes=70))
    event["end"]["dateTime"] = google_fake.rfc3339(now - timedelta(minutes=10))
    second = sync(google)
    assert second["counts"]["imported"] == 1
    assert "syncToken" in fake_google.list_requests()[1]["query"]
    assert calendar_entries(member).get().notes == "Workshop"


def test_a_410_answer_starts_a_full_sync_without_duplicating_anything(google, fake_google, member):
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    sync(google)
    fake_google.expire_sync_tokens()
    fake_google.add_event("Retro", yesterday(16), yesterday(17))
    result = sync(google)
    assert result["ok"] and result["counts"]["full_resyncs"] == 1
    assert sorted(calendar_entries(member).values_list("notes", flat=True)) == ["Retro", "Standup"]
    requests_made = [r["query"] for r in fake_google.list_requests()]
    assert "syncToken" in requests_made[1] and "timeMin" in requests_made[2]
    assert store.state_of(google)["sync_token"] in fake_google.sync_tokens


def test_the_full_sync_after_a_410_removes_entries_whose_events_disappeared(google, fake_google, member):
    event = fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    sync(google)
    del fake_google.calendars["primary"][event["id"]]
    fake_google.expire_sync_tokens()
    result = sync(google)
    assert result["counts"]["removed"] == 1
    assert not calendar_entries(member).exists()


def test_an_imported_entry_deleted_here_is_not_imported_again(google, fake_google, member):
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    sync(google)
    tracking.time_entry_delete(actor=member, entry=calendar_entries(member).get())
    fake_google.expire_sync_tokens()
    result = sync(google)
    assert result["counts"]["imported"] == 0
    assert not calendar_entries(member).exists()


def test_import_without_a_default_project_says_what_to_do(fake_google, member):
    integration = connect(fake_google, member)
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    result = sync(integration)
    assert "choose a default project" in result["error"]
    assert not calendar_entries(member).exists()


def test_import_into_an_archived_default_project_stops_with_a_clear_error(google, fake_google, member, project):
    project.archived = True
    project.save(update_fields=["archived"])
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    result = sync(google)
    assert "is archived; choose another" in result["error"]
    assert not calendar_entries(member).exists()


# -- export --------------------------------------------------------------------------------------------------------


@pytest.fixture
def exporter(fake_google, member, project):
    return connect(fake_google, member, default_project=project.pk, direction="export")


def test_a_completed_entry_becomes_one_tt_event_in_utc(exporter, fake_google, member):
    website = ProjectFactory(name="Website")
    entry = tracking.time_entry_create(
        actor=member, project=website, start=yesterday(13), end=yesterday(14), notes="Fix the menu\nand more"
    )
    result = sync(exporter)
    assert result["counts"]["exported"] == 1
    (event,) = fake_google.events()
    assert event["summary"] == "[TT] Website — Fix the menu"
    assert event["start"] == {"dateTime": google_fake.rfc3339(yesterday(13)), "timeZone": "UTC"}
    assert event["end"] == {"dateTime": google_fake.rfc3339(yesterday(14)), "timeZone": "UTC"}
    link = EntryLink.objects.get(integration=exporter, time_entry=entry)
    assert link.external_id == event["id"] and link.direction == "exported"

    again = sync(exporter)
    assert again["counts"]["exported"] == 0
    assert len(fake_google.events(include_cancelled=True)) == 1
    assert not [r for r in fake_google.api_requests if r["method"] in ("POST", "PATCH")][1:]


def test_the_event_names_the_task_when_there_is_one(exporter, fake_google, member):
    task = TaskFactory(name="Checkout flow")
    tracking.time_entry_create(
        actor=member, project=task.project, task=task, start=yesterday(8), end=yesterday(9), notes="x"
    )
    sync(exporter)
    assert fake_google.events()[0]["summary"] == f"[TT] {task.project.name} — Checkout flow"


def test_a_changed_entry_updates_its_event_and_a_deleted_one_deletes_it(exporter, fake_google, member, project):
    entry = tracking.time_entry_create(actor=member, project=project, start=yesterday(13), end=yesterday(14))
    sync(exporter)
    (event,) = fake_google.events()
    entry = tracking.time_entry_update(actor=member, entry=entry, end=yesterday(15), notes="Longer")
    result = sync(exporter)
    assert result["counts"]["export_updated"] == 1
    (patched,) = fake_google.events()
    assert patched["id"] == event["id"]
    assert patched["end"]["dateTime"] == google_fake.rfc3339(yesterday(15))
    assert patched["summary"].endswith("— Longer")

    tracking.time_entry_delete(actor=member, entry=entry)
    result = sync(exporter)
    assert result["counts"]["export_deleted"] == 1
    assert fake_google.events() == []
    assert not EntryLink.objects.filter(integration=exporter).exists()


def test_a_lost_link_never_makes_a_second_event(exporter, fake_google, member, project):
    """Google answered the insert but the link was not stored (a crash): the stable event id prevents a twin."""
    entry = tracking.time_entry_create(actor=member, project=project, start=yesterday(13), end=yesterday(14))
    sync(exporter)
    EntryLink.objects.filter(integration=exporter).delete()
    tracking.time_entry_update(actor=member, entry=entry, notes="Changed after the crash")
    result = sync(exporter)
    assert result["ok"], result
    assert len(fake_google.events(include_cancelled=True)) == 1
    assert fake_google.events()[0]["summary"].endswith("— Changed after the crash")
    assert EntryLink.objects.filter(integration=exporter, time_entry=entry).count() == 1


def test_running_and_calendar_entries_are_not_exported(exporter, fake_google, member, project):
    tracking.timer_start(actor=member, project=project)
    TimeEntryFactory(user=member, project=project, source=Source.CALENDAR, external_ref="gcal:elsewhere")
    result = sync(exporter)
    assert result["counts"]["exported"] == 0
    assert fake_google.events() == []


def test_both_directions_do_not_echo(google, fake_google, member, project):
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    tracking.time_entry_create(actor=member, project=project, start=yesterday(13), end=yesterday(14))
    first = sync(google)
    assert (first["counts"]["imported"], first["counts"]["exported"]) == (1, 1)
    second = sync(google)  # the incremental listing now shows the exported event
    assert (second["counts"]["imported"], second["counts"]["exported"]) == (0, 0)
    assert second["counts"]["ignored_own"] == 1
    assert TimeEntry.objects.filter(user=member).count() == 2
    assert len(fake_google.events()) == 2


# -- scheduling, status, API -------------------------------------------------------------------------------------


def test_one_failing_user_does_not_stop_the_others(fake_google, project):
    from accounts.tests.factories import UserFactory

    revoked, broken, fine = UserFactory(), UserFactory(), UserFactory()
    revoked_integration = connect(fake_google, revoked, default_project=project.pk)
    fake_google.refresh_tokens.discard(revoked_integration.secrets["refresh_token"])
    fake_google.access_tokens.pop(revoked_integration.secrets["access_token"])
    secrets = dict(revoked_integration.secrets)
    secrets["token_expiry"] = (timezone.now() - timedelta(minutes=1)).isoformat()
    revoked_integration.secrets = secrets
    revoked_integration.save()
    fake_google.failing_calendars["broken"] = 500
    broken_integration = connect(
        fake_google, broken, default_project=project.pk, calendar_id="broken", direction="import"
    )
    fine_integration = connect(fake_google, fine, default_project=project.pk)
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))

    assert integrations_sync_provider_task("google") == 3

    assert calendar_entries(fine).count() == 1
    fine_integration.refresh_from_db()
    assert fine_integration.last_sync_status == "ok"
    revoked_integration.refresh_from_db()
    assert store.needs_reconnect(revoked_integration) and not revoked_integration.is_active
    assert revoked_integration.last_sync_status == "failed" and "Reconnect" in revoked_integration.last_error
    broken_integration.refresh_from_db()
    assert broken_integration.last_sync_status == "failed"
    assert "500" in broken_integration.last_error
    # The next scheduled run leaves the one that needs a reconnect out.
    assert integrations_sync_provider_task("google") == 2


def test_sync_api_runs_the_sync_and_status_shows_counts_and_connection(client, google, fake_google, member):
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    client.force_login(member)
    response = client.post("/api/v1/integrations/google/sync/")
    assert response.status_code == 200, response.content
    assert response.json()["counts"]["imported"] == 1
    status = client.get("/api/v1/integrations/google/status/").json()
    assert status["last_sync_counts"]["imported"] == 1
    assert status["connected"] is True and status["needs_reconnect"] is False
    config = client.get("/api/v1/integrations/google/config/").json()
    assert config["secrets"] == {}
    assert google.secrets["access_token"] not in str(config)
    assert google.secrets["refresh_token"] not in str(config)


def test_sync_now_on_the_card_reports_the_counts(client, google, fake_google, member):
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    client.force_login(member)
    response = client.post("/integrations/", {"provider": "google", "scope": "personal", "action": "sync"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 imported" in html
    assert "imported: 1" in html  # the card's last-sync line


def test_config_is_validated(client, google, member):
    client.force_login(member)
    for bad in ({"days_back": 0}, {"days_back": 31}, {"direction": "sideways"}, {"days_back": "a week"}):
        response = client.put("/api/v1/integrations/google/config/", {"config": bad}, content_type="application/json")
        assert response.status_code == 400, bad
    good = {"days_back": 30, "direction": "import", "calendar_id": "team@group.calendar.google.com"}
    response = client.put("/api/v1/integrations/google/config/", {"config": good}, content_type="application/json")
    assert response.status_code == 200, response.content
    google.refresh_from_db()
    assert google.config["days_back"] == 30
    assert google.secrets["refresh_token"]  # saving settings keeps the tokens


def test_the_sync_runs_every_30_minutes(db):
    call_command("setup_periodic_tasks")
    task = PeriodicTask.objects.get(name="integrations: sync google")
    assert task.task == "integrations.sync_provider" and task.args == '["google"]'
    assert task.crontab.minute == "*/30"


def test_a_person_sees_only_their_own_google_integration(client, google, other_member):
    client.force_login(other_member)
    config = client.get("/api/v1/integrations/google/config/").json()
    assert config["configured"] is False
    assert Integration.objects.filter(provider="google").count() == 1


def test_a_sync_refreshes_a_token_about_to_expire_before_calling_the_calendar(google, fake_google):
    old = google.secrets["access_token"]
    secrets = dict(google.secrets)
    secrets["token_expiry"] = (timezone.now() + timedelta(minutes=2)).isoformat()
    google.secrets = secrets
    google.save()
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    assert sync(google)["ok"]
    assert google.secrets["access_token"] != old
    used = {r["auth"] for r in fake_google.api_requests}
    assert used == {f"Bearer {google.secrets['access_token']}"}


def test_test_connection_names_the_calendar(client, google, member):
    client.force_login(member)
    response = client.post("/api/v1/integrations/google/test/")
    assert response.status_code == 200, response.content
    assert response.json()["message"] == "Connected to the calendar “Work”."


def test_an_access_token_refused_before_its_expiry_is_refreshed_at_the_next_sync(google, fake_google):
    fake_google.access_tokens.pop(google.secrets["access_token"])  # revoked at Google, not expired here
    fake_google.add_event("Standup", yesterday(9), yesterday(9, 30))
    first = sync(google)
    assert "401" in first["error"]
    second = sync(google)
    assert second["ok"] and second["counts"]["imported"] == 1
    assert [r for r in fake_google.token_requests if r["grant_type"] == "refresh_token"]
