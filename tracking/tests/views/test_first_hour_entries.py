"""Defects a new user met in the first hour with entries: a duration-only entry for today, the billable default,
the end after midnight, error messages in the reader's words."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tracking import services
from tracking.models import TimeEntry
from tracking.selectors import duration_slot
from tracking.tests.factories import ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 3, 10)


def at(hh, mm=0, day=DAY):
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=BERLIN)


@pytest.fixture
def berliner(member):
    member.timezone = "Europe/Berlin"
    member.save()
    return member


def slot(user, minutes, now):
    return duration_slot(user=user, day=DAY, tz=BERLIN, seconds=minutes * 60, now=now)


def test_a_duration_for_today_never_ends_in_the_future(berliner, project):
    TimeEntryFactory(user=berliner, project=project, start=at(9), end=at(17))  # logged ahead, ends after now
    assert slot(berliner, 30, now=at(16)) == (at(8, 30), at(9))  # the last free half hour before now


def test_a_duration_for_today_goes_after_the_last_entry_when_that_fits_before_now(berliner, project):
    TimeEntryFactory(user=berliner, project=project, start=at(9), end=at(10))
    assert slot(berliner, 30, now=at(16)) == (at(10), at(10, 30))


def test_a_duration_for_today_ends_before_the_running_timer(berliner, project):
    TimeEntryFactory(user=berliner, project=project, start=at(9), end=at(12))
    TimeEntryFactory(user=berliner, project=project, start=at(12, 10), end=None, duration_seconds=0)
    assert slot(berliner, 60, now=at(13)) == (at(8), at(9))  # 12:00–12:10 is too short; before 09:00 is free
    assert slot(berliner, 10, now=at(13)) == (at(12), at(12, 10))


def test_a_duration_that_does_not_fit_before_now_is_refused(berliner, project):
    assert slot(berliner, 120, now=at(1)) is None
    assert slot(berliner, 60, now=at(1)) == (at(0), at(1))


def test_other_days_keep_after_the_last_entry_or_nine(berliner, project):
    TimeEntryFactory(user=berliner, project=project, start=at(9), end=at(17))
    assert slot(berliner, 30, now=at(12, day=DAY + timedelta(days=1))) == (at(17), at(17, 30))


@pytest.fixture
def midday_user(member):
    """A member whose local time is around noon now, so 'today' has room before and after now whenever this runs."""
    offset = 12 - timezone.now().astimezone(ZoneInfo("UTC")).hour  # -11 … +12
    member.timezone = f"Etc/GMT{-offset:+d}" if offset else "UTC"  # POSIX signs: Etc/GMT-2 is two hours ahead
    member.save()
    return member


def test_after_adding_thirty_minutes_for_today_the_timer_still_starts(client_for, midday_user, project):
    tz = ZoneInfo(midday_user.timezone)
    now = timezone.localtime(timezone.now(), tz)
    later = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    TimeEntryFactory(user=midday_user, project=project, start=later, end=later + timedelta(hours=1))  # ahead
    client = client_for(midday_user)
    response = client.post(
        reverse("entry_add"), {"project": project.pk, "date": now.date().isoformat(), "duration": "30m"}
    )
    assert response.status_code == 302, response.context["form"].errors
    added = TimeEntry.objects.filter(user=midday_user).order_by("start").first()
    assert added.end <= timezone.now() and added.duration_seconds == 1800
    client.post(reverse("timer_start"), {"project": project.pk})
    assert TimeEntry.objects.filter(user=midday_user, end=None).exists()


def test_a_refused_duration_says_why_next_to_the_duration(client_for, midday_user, project):
    tz = ZoneInfo(midday_user.timezone)
    today = timezone.localtime(timezone.now(), tz).date()
    start = datetime.combine(today, datetime.min.time(), tz)
    TimeEntryFactory(user=midday_user, project=project, start=start, end=timezone.now() + timedelta(minutes=5))
    response = client_for(midday_user).post(
        reverse("entry_add"), {"project": project.pk, "date": today.isoformat(), "duration": "1h"}
    )
    assert response.status_code == 400
    assert "no free 1h before now" in response.context["form"].errors["duration"][0]


def test_services_still_allow_an_entry_logged_ahead(berliner, project):
    start = timezone.now() + timedelta(days=1)
    services.time_entry_create(actor=berliner, project=project, start=start, end=start + timedelta(hours=1))


def test_duration_entry_for_a_new_project_is_saved(client_for, berliner):
    project = ProjectFactory()
    response = client_for(berliner).post(
        reverse("entry_add"), {"project": project.pk, "date": "2026-03-10", "duration": "45m"}
    )
    assert response.status_code == 302
    assert TimeEntry.objects.get(user=berliner).start == at(9)


def test_an_overlap_is_told_in_the_readers_time_zone_and_words(admin_user, berliner):
    from tracking.exceptions import OverlappingEntry

    project = ProjectFactory(name="Website", client__name="Acme")
    TimeEntryFactory(user=berliner, project=project, start=at(9), end=at(10, 30))
    admin_user.timezone = "America/New_York"
    admin_user.save()
    with pytest.raises(OverlappingEntry) as own:
        services.time_entry_create(actor=berliner, project=project, start=at(10), end=at(11))
    assert own.value.message == "This overlaps your entry on Acme / Website, Tue 10 Mar 09:00–10:30."
    with pytest.raises(OverlappingEntry) as other:
        services.time_entry_create(actor=admin_user, user=berliner, project=project, start=at(10), end=at(11))
    name = berliner.display_name
    assert other.value.message == f"This overlaps {name}’s entry on Acme / Website, Tue 10 Mar 04:00–05:30."


def test_a_running_timer_is_named_in_the_readers_words(manager, member, team):
    from tracking.exceptions import TimerAlreadyRunning

    member.timezone = "Europe/Berlin"
    member.save()
    project = ProjectFactory(name="Ops", client=None)
    services.timer_start(actor=member, project=project)
    with pytest.raises(TimerAlreadyRunning) as own:
        services.timer_start(actor=member, project=project)
    assert own.value.message.startswith("Your timer is already running on “Ops” since ")
    assert "UTC" not in own.value.message
    with pytest.raises(TimerAlreadyRunning) as other:
        services.timer_start(actor=manager, user=member, project=project)
    assert other.value.message.startswith(f"{member.display_name}’s timer is already running")


@pytest.mark.parametrize(
    ("start", "end", "hours"), [("22:00", "02:00", 4), ("22:00", "00:00", 2), ("23:30", "06:00", 6.5)]
)
def test_an_end_before_the_start_ends_the_next_day(client_for, berliner, project, start, end, hours):
    response = client_for(berliner).post(
        reverse("entry_add"), {"project": project.pk, "date": "2026-03-10", "start_time": start, "end_time": end}
    )
    assert response.status_code == 302
    entry = TimeEntry.objects.get(user=berliner)
    assert entry.start.astimezone(BERLIN).date() == DAY and entry.end.astimezone(BERLIN).date() == DAY + timedelta(1)
    assert entry.duration_seconds == hours * 3600


def test_a_night_across_a_clock_change_counts_real_hours(client_for, berliner, project):
    # Berlin moved its clocks forward at 02:00 on 29 March 2026: 22:00–04:00 lasted five hours.
    client_for(berliner).post(
        reverse("entry_add"), {"project": project.pk, "date": "2026-03-28", "start_time": "22:00", "end_time": "04:00"}
    )
    assert TimeEntry.objects.get(user=berliner).duration_seconds == 5 * 3600


def test_a_viewer_is_offered_no_way_to_add_time(client_for, viewer, member, team):
    client = client_for(viewer)
    for name in ("dashboard", "entry_list", "entry_week", "project_list"):
        page = client.get(reverse(name)).content.decode()
        assert reverse("entry_add") not in page, name
        assert "Add time" not in page and "▶ Start" not in page, name
    assert client.get(reverse("entry_add")).status_code == 403
    assert reverse("entry_add") in client_for(member).get(reverse("entry_list")).content.decode()


def test_a_reversed_range_on_the_entries_list_shows_one_error_and_lists_nothing(client_for, berliner, project):
    TimeEntryFactory(user=berliner, project=project, start=at(9), end=at(10))
    response = client_for(berliner).get(reverse("entry_list"), {"start": "2026-03-10", "end": "2026-03-01"})
    assert response.status_code == 400
    assert dict(response.context["filters"].errors) == {"end": ["The end date must not be before the start date."]}
    assert list(response.context["entries"]) == []
    assert "Fix the filters above" in response.content.decode()


def test_a_reversed_or_impossible_custom_report_range_shows_one_right_error(client_for, berliner):
    client = client_for(berliner)
    reversed_range = client.get(reverse("report"), {"preset": "custom", "start": "2026-03-10", "end": "2026-03-01"})
    assert dict(reversed_range.context["form"].errors) == {"end": ["The end date must not be before the start date."]}
    impossible = client.get(reverse("report"), {"preset": "custom", "start": "2026-02-30", "end": "2026-03-01"})
    assert dict(impossible.context["form"].errors) == {
        "start": ["2026-02-30 is not a date: February 2026 has 28 days."]
    }
    assert impossible.content.decode().count('class="error"') == 1
    assert reversed_range.content.decode().count('class="error"') == 1
    both = client.get(reverse("report"), {"preset": "custom", "start": "2026-02-30", "end": "2026-01-01"})
    assert dict(both.context["form"].errors) == {"start": ["2026-02-30 is not a date: February 2026 has 28 days."]}
    assert both.status_code == 400


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        ("2026-02-30", "2026-03-05", "start", "2026-02-30 is not a date: February 2026 has 28 days."),
        ("2026-03-01", "2026-13-01", "end", "2026-13-01 is not a date: there is no month 13."),
        ("2024-02-30", "", "start", "2024-02-30 is not a date: February 2024 has 29 days."),
        ("yesterday", "", "start", "“yesterday” is not a date. Use the form 2026-03-31."),
        ("2026-03-10", "2026-03-01", "end", "The end date must not be before the start date."),
    ],
)
def test_an_impossible_or_reversed_range_on_the_entries_list_shows_exactly_one_precise_error(
    client_for, berliner, start, end, field, message
):
    response = client_for(berliner).get(reverse("entry_list"), {"start": start, "end": end})
    assert response.status_code == 400
    assert dict(response.context["filters"].errors) == {field: [message]}
    html = response.content.decode()
    assert html.count('class="error"') == 1 and html.count(message) == 1


def test_entries_are_grouped_by_local_day_with_whole_day_totals(client_for, berliner, project, settings):
    from tracking.views import entries as entry_views

    for day, hours in ((DAY, (9, 11, 14)), (DAY - timedelta(days=1), (23,))):
        for hour in hours:
            TimeEntryFactory(user=berliner, project=project, start=at(hour, day=day), end=at(hour, 45, day=day))
    client = client_for(berliner)
    entry_views.PAGE_SIZE, saved = 2, entry_views.PAGE_SIZE  # the first page shows only part of 10 March
    try:
        days = client.get(reverse("entry_list")).context["days"]
    finally:
        entry_views.PAGE_SIZE = saved
    assert [(d["day"], d["seconds"], len(d["entries"])) for d in days] == [(DAY, 3 * 2700, 2)]
    page = client.get(reverse("entry_list")).content.decode()
    assert "Tuesday 10 March 2026" in page and "Monday 9 March 2026" in page  # 23:00 in Berlin is still the 9th
    assert page.count("Continue ") >= 4  # every own finished entry can be continued


def test_a_manager_does_not_continue_someone_elses_entry(client_for, manager, member, team, project):
    TimeEntryFactory(user=member, project=project)
    page = client_for(manager).get(reverse("entry_list")).content.decode()
    assert reverse("timer_continue", args=[TimeEntry.objects.get().pk]) not in page
