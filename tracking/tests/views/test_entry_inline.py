"""Editing an entry on its row: one field at a time through the entry service, answered with the row's day group."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tracking.models import PeriodLock, TimeEntry
from tracking.tests.factories import ProjectFactory, TaskFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 10)


def at(hour, minute=0, day=DAY):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def berliner(member):
    member.timezone = "Europe/Berlin"
    member.save()
    return member


@pytest.fixture
def entry(berliner, project):
    """Tuesday 10 March 2026, 09:00–10:00 in Berlin."""
    return TimeEntryFactory(user=berliner, project=project, start=at(9), end=at(10), notes="typo")


def change(client, entry, field, value, **extra):
    return client.post(reverse("entry_inline", args=[entry.pk]), {"field": field, "value": value, **extra})


def test_a_changed_description_answers_the_day_group_with_its_total_and_the_page_totals(client_for, entry, project):
    TimeEntryFactory(user=entry.user, project=project, start=at(11), end=at(12, 30))
    response = change(client_for(entry.user), entry, "notes", "  Fixed the menu ", ids=str(entry.pk))
    assert response.status_code == 200
    entry.refresh_from_db()
    assert entry.notes == "Fixed the menu"
    html = response.content.decode()
    assert 'id="day-2026-03-10"' in html
    assert 'value="Fixed the menu"' in html
    assert '<td class="num day-total">2h 30m</td>' in html  # the whole day, not only the rows sent
    assert 'id="entries-summary"' in html and "2 entries" in html
    assert "/inline/" not in html.split('name="next" value="')[1].split('"')[0]  # forms on the row go back to the list


def test_the_duration_moves_the_end_and_a_new_start_keeps_the_end(client_for, entry):
    client = client_for(entry.user)
    assert change(client, entry, "duration", "1h30").status_code == 200
    entry.refresh_from_db()
    assert (entry.start, entry.end, entry.duration_seconds) == (at(9), at(10, 30), 5400)
    assert change(client, entry, "start", "8:15").status_code == 200
    entry.refresh_from_db()
    assert (entry.start, entry.end, entry.duration_seconds) == (at(8, 15), at(10, 30), 8100)
    assert change(client, entry, "end", "1100").status_code == 200
    entry.refresh_from_db()
    assert (entry.end, entry.duration_seconds) == (at(11), 9900)


def test_an_end_before_the_start_is_the_next_morning(client_for, berliner, project):
    night = TimeEntryFactory(user=berliner, project=project, start=at(22), end=at(23))
    assert change(client_for(berliner), night, "end", "02:00").status_code == 200
    night.refresh_from_db()
    assert night.end == at(2, day=date(2026, 3, 11))


def test_the_project_changes_from_the_picker_and_a_task_of_the_old_project_is_dropped(client_for, entry, project):
    entry.task = TaskFactory(project=project)
    entry.save()
    other = ProjectFactory(name="Support")
    response = change(client_for(entry.user), entry, "project", str(other.pk))
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.project, entry.task) == (other, None)


def test_an_overlap_is_refused_in_the_readers_words_and_nothing_changes(client_for, entry, project):
    TimeEntryFactory(user=entry.user, project=project, start=at(10, 30), end=at(11, 30))
    response = change(client_for(entry.user), entry, "end", "11:00")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "overlaps your entry" in text and "10:30–11:30" in text  # Berlin time, the reader's words
    entry.refresh_from_db()
    assert (entry.end, entry.duration_seconds) == (at(10), 3600)


def test_a_manager_is_told_whose_entry_it_overlaps(client_for, manager, team, entry, project):
    TimeEntryFactory(user=entry.user, project=project, start=at(10, 30), end=at(11, 30))
    response = change(client_for(manager), entry, "duration", "2h")
    assert response.status_code == 400
    assert f"overlaps {entry.user.display_name}’s entry" in response.content.decode()


def test_time_in_a_locked_period_is_refused_and_its_row_is_read_only(client_for, entry):
    PeriodLock.objects.create(until=DAY, locked_by_label="Finance")
    client = client_for(entry.user)
    response = change(client, entry, "notes", "late fix")
    assert response.status_code == 400
    assert "locked" in response.content.decode().lower()
    entry.refresh_from_db()
    assert entry.notes == "typo"
    page = client.get(reverse("entry_list")).content.decode()
    assert 'data-inline-field="notes"' not in page and "Locked" in page


def test_an_entry_the_viewer_may_see_but_not_change_is_refused_and_shown_read_only(client_for, viewer, team, entry):
    client = client_for(viewer)
    response = change(client, entry, "notes", "nope")
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.notes == "typo"
    page = client.get(reverse("entry_list")).content.decode()
    assert "typo" in page and "data-inline-field" not in page and "inline-project-options" not in page


def test_someone_elses_entry_is_not_found(client_for, other_member, entry):
    assert change(client_for(other_member), entry, "notes", "mine now").status_code == 404


def test_a_running_timer_is_not_changed_on_a_row(client_for, berliner, project):
    running = TimeEntryFactory(user=berliner, project=project, start=at(9), end=None, duration_seconds=0)
    response = change(client_for(berliner), running, "notes", "x")
    assert response.status_code == 400
    assert "timer bar" in response.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("colour", "red", "not one of the available choices"),
        ("start", "25:00", "is not a time of day"),
        ("end", "soon", "is not a time of day"),
        ("start", "11:00", "before the end (10:00)"),
        ("end", "08:00", "an earlier end means the next day"),
        ("duration", "abc", "is not a duration"),
        ("duration", "0", "more than zero"),
        ("duration", "30h", "longer than 24 hours"),
        ("duration", "1" * 60, "too long"),
        ("notes", "x" * 2001, "at most 2000 characters"),
        ("project", "x", "Choose a project from the list"),
        ("project", "999999", "Choose a project from the list"),
    ],
)
def test_bad_input_is_a_400_with_a_message_and_nothing_changes(client_for, entry, field, value, message):
    response = change(client_for(entry.user), entry, field, value)
    assert response.status_code == 400
    assert message in response.content.decode()
    fresh = TimeEntry.objects.get(pk=entry.pk)
    assert (fresh.start, fresh.end, fresh.notes, fresh.project_id) == (at(9), at(10), "typo", entry.project_id)


def test_a_private_project_the_person_may_not_track_on_is_refused(client_for, entry):
    private = ProjectFactory(is_public=False)
    response = change(client_for(entry.user), entry, "project", str(private.pk))
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.project_id != private.pk


def test_a_nul_character_is_refused_before_anything_is_read(client_for, entry):
    response = change(client_for(entry.user), entry, "notes", "a\x00b")
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.notes == "typo"


def test_missing_or_odd_group_and_filters_still_answer_the_day(client_for, entry):
    response = change(client_for(entry.user), entry, "notes", "ok", ids="x,,-1," + "9" * 30, q="?start=nonsense&page=2")
    assert response.status_code == 200
    assert 'value="ok"' in response.content.decode()


def test_a_get_is_not_allowed(client_for, entry):
    assert client_for(entry.user).get(reverse("entry_inline", args=[entry.pk])).status_code == 405


def test_the_answer_reads_a_bounded_number_of_queries_whatever_the_rows(
    client_for, entry, project, django_assert_max_num_queries
):
    others = [TimeEntryFactory(user=entry.user, project=project, start=at(h), end=at(h, 45)) for h in range(11, 21)]
    for other in others:
        other.tags.create(name=f"t{other.pk}")
    ids = ",".join(str(e.pk) for e in [entry, *others])
    client = client_for(entry.user)
    with django_assert_max_num_queries(24):
        response = change(client, entry, "notes", "counted", ids=ids, q="?billable=")
    assert response.status_code == 200
    assert response.content.decode().count('data-inline-field="notes"') == 11


def test_the_dashboards_recent_entries_are_fields_and_a_change_answers_them_with_the_own_totals(client_for, entry):
    client = client_for(entry.user)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'id="entry-{entry.pk}-notes"' in page and 'data-inline-view="recent"' in page
    response = change(client, entry, "duration", "2h", view="recent")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="recent-entries"' in html and 'value="2h"' in html
    assert 'id="total-week"' in html and 'id="total-today"' in html
    entry.refresh_from_db()
    assert entry.end == at(11)


def test_a_locked_recent_entry_is_shown_read_only_on_the_dashboard(client_for, entry):
    PeriodLock.objects.create(until=DAY)
    page = client_for(entry.user).get(reverse("dashboard")).content.decode()
    assert "typo" in page and f'id="entry-{entry.pk}-notes"' not in page and "Locked" in page
