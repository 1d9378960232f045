"""Dates outside the range TimeTracker works with, timers started in the future and entries too long to be one
piece of work are refused by the services with a clear message, so every interface refuses them the same way (and
no page answers 500 afterwards)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests import api_fixtures
from tracking import services
from tracking.exceptions import InvalidEntry
from tracking.models import TimeEntry
from tracking.tests.factories import TimeEntryFactory
from tracking.tests.views import conftest as views_conftest

pytestmark = pytest.mark.django_db
# The API's and the web pages' fixtures, for a test of every interface at once.
api_as, _api_test_settings, client_for = api_fixtures.api_as, api_fixtures._api_test_settings, views_conftest.client_for

ENTRIES = "/api/v1/time-entries/"


def at(year, month=1, day=1, hour=9):
    return datetime(year, month, day, hour, tzinfo=UTC)


class TestDateWindow:
    @pytest.mark.parametrize("start", [datetime(1, 1, 1, 9, tzinfo=UTC), datetime(9999, 12, 30, 9, tzinfo=UTC)])
    def test_the_service_refuses_a_start_outside_the_window(self, member, project, start):
        with pytest.raises(InvalidEntry, match="Start must be between 1970-01-01 and 2100-12-31") as caught:
            services.time_entry_create(actor=member, project=project, start=start, end=start + timedelta(hours=1))
        assert caught.value.field == "start"
        assert not TimeEntry.objects.exists()

    def test_the_window_is_a_setting(self, member, project, settings):
        settings.TRACKING_EARLIEST_DATE = "2020-01-01"
        with pytest.raises(InvalidEntry, match="between 2020-01-01 and 2100-12-31"):
            services.time_entry_create(actor=member, project=project, start=at(2019), end=at(2019, hour=10))
        services.time_entry_create(actor=member, project=project, start=at(2020), end=at(2020, hour=10))

    @pytest.mark.parametrize("start", ["0001-01-01T09:00:00Z", "9999-12-31T22:00:00Z"])
    def test_the_api_answers_400_naming_the_field(self, api_as, member, project, start):
        response = api_as(member).post(ENTRIES, {"project": project.pk, "start": start}, format="json")
        assert response.status_code == 400, response.content
        body = response.json()
        assert body["code"] == "invalid" and "between 1970-01-01 and 2100-12-31" in body["errors"]["start"][0]

    @pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
    def test_the_entry_form_puts_the_error_next_to_the_date(self, client_for, member, project, day):
        response = client_for(member).post(
            reverse("entry_add"), {"project": project.pk, "date": day, "start_time": "09:00", "end_time": "00:00"}
        )
        assert response.status_code == 400
        assert "Date must be between 1970-01-01 and 2100-12-31" in response.context["form"].errors["date"][0]
        assert not TimeEntry.objects.exists()

    @pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
    def test_the_entry_list_filter_refuses_a_date_outside_the_window(self, client_for, manager, day):
        response = client_for(manager).get(reverse("entry_list"), {"start": day, "end": day})
        assert response.status_code == 400
        assert "between 1970-01-01 and 2100-12-31" in response.context["filters"].errors["start"][0]

    @pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
    def test_the_week_page_answers_400_with_the_products_page(self, client_for, member, day):
        response = client_for(member).get(reverse("entry_week"), {"week": day})
        assert response.status_code == 400
        text = response.content.decode()
        assert "Week must be between 1970-01-01 and 2100-12-31" in text and "Back to the timer" in text

    def test_the_activity_log_filter_refuses_a_date_outside_the_window(self, client_for, admin_user):
        response = client_for(admin_user).get(reverse("activity"), {"date_to": "9999-12-31"})
        assert response.status_code == 400
        assert "between 1970-01-01" in response.context["form"].errors["date_to"][0]


class TestReportsOutsideTheWindow:
    QUERY = {"start": "9999-12-31", "end": "9999-12-31", "group_by": "week"}

    def test_api(self, api_as, manager):
        response = api_as(manager).get("/api/v1/reports/summary/", self.QUERY)
        assert response.status_code == 400, response.content
        assert response.json()["code"] == "invalid_filter" and "between 1970-01-01" in response.json()["detail"]

    def test_web_page(self, client_for, manager):
        response = client_for(manager).get(reverse("report"), {**self.QUERY, "preset": "custom"})
        assert response.status_code == 400
        assert "between 1970-01-01" in str(response.context["form"].errors)

    @pytest.mark.parametrize("fmt", ["csv", "xlsx"])
    def test_exports(self, client_for, manager, fmt):
        response = client_for(manager).get(reverse("report_export", args=[fmt]), {**self.QUERY, "preset": "custom"})
        assert response.status_code == 400


class TestRunningEntryInTheFuture:
    def test_a_running_entry_cannot_start_in_the_future(self, api_as, member, project):
        start = timezone.now() + timedelta(days=3)
        response = api_as(member).post(ENTRIES, {"project": project.pk, "start": start.isoformat()}, format="json")
        assert response.status_code == 400
        assert "cannot start in the future" in response.json()["errors"]["start"][0]

    def test_a_completed_entry_may_be_logged_ahead(self, member, project):
        start = timezone.now() + timedelta(days=3)
        services.time_entry_create(actor=member, project=project, start=start, end=start + timedelta(hours=1))

    def test_a_stored_timer_with_a_future_start_can_be_stopped_everywhere(self, api_as, client_for, member, project):
        start = timezone.now() + timedelta(days=1125)  # stored before starts in the future were refused
        running = TimeEntryFactory(user=member, project=project, start=start, end=None)
        response = api_as(member).post("/api/v1/timer/stop/")
        assert response.status_code == 200, response.content
        running.refresh_from_db()
        assert running.end == start + timedelta(minutes=1) and running.duration_seconds >= 0
        # …and the web page stops one too, then a new timer starts.
        again = TimeEntryFactory(user=member, project=project, start=start + timedelta(days=1), end=None)
        client = client_for(member)
        assert client.post(reverse("timer_stop")).status_code == 302
        again.refresh_from_db()
        assert again.end is not None
        assert client.post(reverse("timer_start"), {"project": project.pk}).status_code == 302
        assert TimeEntry.objects.filter(user=member, end=None).count() == 1


class TestLongestEntry:
    def test_an_entry_spanning_seventy_years_is_refused(self, api_as, member, project):
        response = api_as(member).post(
            ENTRIES, {"project": project.pk, "start": "1990-01-01T00:00:00Z", "end": "2060-01-01T00:00:00Z"}, "json"
        )
        assert response.status_code == 400, response.content
        assert "at most 168 hours (7 days)" in response.json()["errors"]["end"][0]

    def test_the_longest_entry_is_a_setting(self, member, project, settings):
        settings.TRACKING_MAX_ENTRY_HOURS = 12
        with pytest.raises(InvalidEntry, match="at most 12 hours"):
            services.time_entry_create(actor=member, project=project, start=at(2026), end=at(2026, hour=22))
        services.time_entry_create(actor=member, project=project, start=at(2026), end=at(2026, hour=21))

    def test_an_edit_cannot_stretch_an_entry_past_the_limit(self, member, project):
        entry = services.time_entry_create(actor=member, project=project, start=at(2026), end=at(2026, hour=10))
        with pytest.raises(InvalidEntry, match="at most 168 hours"):
            services.time_entry_update(actor=member, entry=entry, end=at(2026, 2))

    def test_a_timer_left_running_for_weeks_stops_at_the_longest_entry(self, member, project):
        start = timezone.now() - timedelta(days=30)
        TimeEntryFactory(user=member, project=project, start=start, end=None)
        entry = services.timer_stop(actor=member)
        assert entry.end == start + timedelta(hours=168)
        assert entry.duration_seconds == 168 * 3600
