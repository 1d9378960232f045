from datetime import UTC, date, datetime, timedelta

import pytest

from accounts.tests.factories import UserFactory
from tracking.exceptions import InvalidFilter
from tracking.models import Source
from tracking.selectors import time_entry_list
from tracking.tests.factories import ClientFactory, ProjectFactory, TagFactory, TaskFactory, TimeEntryFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def entry(user, project, start, hours=1.0, **kwargs):
    end = start + timedelta(hours=hours)
    return TimeEntryFactory(
        user=user, project=project, start=start, end=end, duration_seconds=int(hours * 3600), **kwargs
    )


@pytest.mark.django_db
class TestTimeEntryList:
    def test_member_sees_only_their_own_entries(self, member, other_member, project):
        mine = entry(member, project, at(2, 9))
        entry(other_member, project, at(2, 9))
        assert list(time_entry_list(viewer=member)) == [mine]

    def test_manager_sees_their_team_members_but_not_outsiders(self, team, manager, member, other_member, project):
        theirs = entry(member, project, at(2, 9))
        entry(other_member, project, at(2, 9))
        own = entry(manager, project, at(3, 9))
        assert set(time_entry_list(viewer=manager)) == {theirs, own}

    def test_admin_sees_everyone(self, admin_user, member, other_member, project):
        entries = {entry(member, project, at(2, 9)), entry(other_member, project, at(2, 9))}
        assert set(time_entry_list(viewer=admin_user)) == entries

    def test_newest_first(self, member, project):
        old = entry(member, project, at(2, 9))
        new = entry(member, project, at(3, 9))
        assert list(time_entry_list(viewer=member)) == [new, old]

    def test_filters_by_start_range_project_client_and_task(self, member):
        client = ClientFactory()
        project = ProjectFactory(client=client)
        other = ProjectFactory()
        task = TaskFactory(project=project)
        hit = entry(member, project, at(3, 9), task=task)
        entry(member, project, at(1, 9))
        entry(member, other, at(3, 12))
        filters = {"start_after": at(2, 0), "start_before": at(4, 0), "client": client.pk}
        assert list(time_entry_list(viewer=member, filters=filters)) == [hit]
        assert list(time_entry_list(viewer=member, filters={"project": project, "task": task})) == [hit]
        assert list(time_entry_list(viewer=member, filters={"project": [project.pk], "start_after": at(2, 0)})) == [hit]

    def test_a_date_bound_is_midnight_in_the_viewers_time_zone(self, project):
        berliner = UserFactory(timezone="Europe/Berlin")
        late = entry(berliner, project, at(2, 23, 30))  # 00:30 on 3 March in Berlin
        entry(berliner, project, at(2, 9))
        assert list(time_entry_list(viewer=berliner, filters={"start_after": date(2026, 3, 3)})) == [late]

    def test_filters_by_tag_id_or_name_without_duplicates(self, member, project):
        red, blue = TagFactory(name="red"), TagFactory(name="blue")
        both = entry(member, project, at(2, 9))
        both.tags.set([red, blue])
        entry(member, project, at(3, 9))
        assert list(time_entry_list(viewer=member, filters={"tag": [red.pk, "BLUE"]})) == [both]
        assert list(time_entry_list(viewer=member, filters={"tag": "red"})) == [both]

    def test_filters_by_billable_source_and_running(self, member, project):
        done = entry(member, project, at(2, 9), billable=False, source=Source.API)
        running = TimeEntryFactory(user=member, project=project, start=at(3, 9), end=None)
        assert list(time_entry_list(viewer=member, filters={"running": True})) == [running]
        assert list(time_entry_list(viewer=member, filters={"running": False})) == [done]
        assert list(time_entry_list(viewer=member, filters={"billable": False})) == [done]
        assert list(time_entry_list(viewer=member, filters={"source": "api"})) == [done]

    def test_boolean_filters_understand_query_string_values(self, member, project):
        done = entry(member, project, at(2, 9), billable=False)
        assert list(time_entry_list(viewer=member, filters={"billable": "false", "running": "0"})) == [done]
        with pytest.raises(InvalidFilter) as exc:
            time_entry_list(viewer=member, filters={"billable": "maybe"})
        assert exc.value.field == "billable"

    def test_none_filter_values_are_ignored(self, member, project):
        e = entry(member, project, at(2, 9))
        assert list(time_entry_list(viewer=member, filters={"project": None, "running": None})) == [e]

    def test_unknown_filter_is_refused(self, member):
        with pytest.raises(InvalidFilter) as exc:
            time_entry_list(viewer=member, filters={"colour": "red"})
        assert exc.value.code == "invalid_filter"

    def test_listing_many_entries_takes_a_fixed_number_of_queries(self, admin_user, django_assert_max_num_queries):
        tags = [TagFactory(), TagFactory()]
        for i in range(30):
            e = entry(UserFactory(), ProjectFactory(), at(1, 0) + timedelta(hours=2 * i), task=None)
            e.tags.set(tags)
        with django_assert_max_num_queries(2):
            rows = [
                (e.user.username, e.project.client.name, e.task, [t.name for t in e.tags.all()])
                for e in (time_entry_list(viewer=admin_user))
            ]
        assert len(rows) == 30
