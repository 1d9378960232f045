"""tracking.reports: a report's question checked once, its totals aggregated in the database."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from accounts.tests.factories import UserFactory
from tracking.exceptions import InvalidFilter
from tracking.reports import _amount_of, _amount_text, report_params, report_summary
from tracking.selectors.entries import _amount
from tracking.tests.factories import ClientFactory, ProjectFactory, TagFactory, TimeEntryFactory


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
class TestReportSummary:
    def test_groups_by_project_with_amounts_from_the_effective_rate(self, member):
        client = ClientFactory(name="Acme", default_hourly_rate=Decimal("100.00"))
        own_rate = ProjectFactory(client=client, name="Web", hourly_rate=Decimal("150.00"))
        client_rate = ProjectFactory(client=client, name="App")
        entry(member, own_rate, at(2, 9), hours=2)
        entry(member, own_rate, at(2, 12), hours=1, billable=False)
        entry(member, client_rate, at(3, 9), hours=0.5)
        report = report_summary(viewer=member, start=date(2026, 3, 1), end=date(2026, 3, 7), group_by="project")
        groups = {g["label"]: g for g in report["groups"]}
        assert [g["label"] for g in report["groups"]] == ["Acme / App", "Acme / Web"]
        assert groups["Acme / Web"]["seconds"] == 3 * 3600
        assert groups["Acme / Web"]["billable_seconds"] == 2 * 3600
        assert groups["Acme / Web"]["amount"] == Decimal("300.00")
        assert groups["Acme / App"]["amount"] == Decimal("50.00")
        assert groups["Acme / Web"]["key"] == own_rate.pk
        assert report["total"] == {"seconds": 3.5 * 3600, "billable_seconds": 2.5 * 3600, "amount": Decimal("350.00")}

    def test_amount_is_rounded_to_cents(self, member):
        project = ProjectFactory(hourly_rate=Decimal("100.00"))
        entry(member, project, at(2, 9), hours=1 / 3600 * 100)  # 100 s at 100/h = 2.777…
        report = report_summary(viewer=member, start=date(2026, 3, 2), end=date(2026, 3, 2), group_by="project")
        assert report["total"]["amount"] == Decimal("2.78")

    def test_project_without_any_rate_has_zero_amount(self, member):
        project = ProjectFactory(client=None)
        entry(member, project, at(2, 9))
        report = report_summary(viewer=member, start=date(2026, 3, 2), end=date(2026, 3, 2), group_by="client")
        assert report["groups"][0]["label"] == "No client"
        assert report["groups"][0]["key"] is None
        assert report["total"]["amount"] == Decimal("0.00")

    def test_days_are_the_viewers_days(self, project):
        berliner = UserFactory(timezone="Europe/Berlin")
        entry(berliner, project, at(2, 23, 30))  # 3 March in Berlin
        entry(berliner, project, at(2, 10))
        report = report_summary(viewer=berliner, start=date(2026, 3, 2), end=date(2026, 3, 3), group_by="day")
        assert [(g["key"], g["seconds"]) for g in report["groups"]] == [("2026-03-02", 3600), ("2026-03-03", 3600)]
        assert report["groups"][0]["label"] == "Mon 2026-03-02"

    def test_range_bounds_are_inclusive_days_in_the_viewers_time_zone(self, project):
        new_yorker = UserFactory(timezone="America/New_York")
        entry(new_yorker, project, at(3, 3))  # 2 March, 22:00 in New York
        entry(new_yorker, project, at(4, 6))  # 4 March, 01:00 in New York
        report = report_summary(viewer=new_yorker, start=date(2026, 3, 2), end=date(2026, 3, 2), group_by="day")
        assert [g["key"] for g in report["groups"]] == ["2026-03-02"]

    def test_weeks_start_on_monday_in_the_viewers_time_zone(self, project):
        berliner = UserFactory(timezone="Europe/Berlin")
        entry(berliner, project, at(8, 23, 30))  # Sunday 23:30 UTC = Monday 9 March in Berlin
        entry(berliner, project, at(4, 9))
        report = report_summary(viewer=berliner, start=date(2026, 3, 1), end=date(2026, 3, 15), group_by="week")
        assert [g["key"] for g in report["groups"]] == ["2026-03-02", "2026-03-09"]
        assert report["groups"][1]["label"].startswith("Week 11, 2026")

    def test_then_by_nests_children_with_their_own_totals(self, member):
        web, app = ProjectFactory(name="Web", client=None), ProjectFactory(name="App", client=None)
        entry(member, web, at(2, 9), hours=2)
        entry(member, web, at(3, 9), hours=1)
        entry(member, app, at(3, 12), hours=1)
        report = report_summary(
            viewer=member, start=date(2026, 3, 2), end=date(2026, 3, 8), group_by="project", then_by="day"
        )
        web_group = next(g for g in report["groups"] if g["label"] == "Web")
        assert web_group["seconds"] == 3 * 3600
        assert [(c["key"], c["seconds"], c["children"]) for c in web_group["children"]] == [
            ("2026-03-02", 7200, []),
            ("2026-03-03", 3600, []),
        ]

    def test_tags_count_an_entry_once_per_tag_but_once_in_the_total(self, member, project):
        red, blue = TagFactory(name="red"), TagFactory(name="blue")
        entry(member, project, at(2, 9)).tags.set([red, blue])
        entry(member, project, at(2, 11))
        report = report_summary(viewer=member, start=date(2026, 3, 2), end=date(2026, 3, 2), group_by="tag")
        assert [(g["label"], g["seconds"]) for g in report["groups"]] == [
            ("blue", 3600),
            ("red", 3600),
            ("No tag", 3600),
        ]
        assert report["total"]["seconds"] == 2 * 3600

    def test_reports_only_what_the_viewer_may_see(self, team, manager, member, other_member, project):
        entry(member, project, at(2, 9))
        entry(other_member, project, at(2, 9))
        report = report_summary(viewer=manager, start=date(2026, 3, 2), end=date(2026, 3, 2), group_by="user")
        assert [g["key"] for g in report["groups"]] == [member.pk]
        mine = report_summary(viewer=other_member, start=date(2026, 3, 2), end=date(2026, 3, 2), group_by="user")
        assert [g["key"] for g in mine["groups"]] == [other_member.pk]

    def test_a_running_timer_counts_up_to_now_and_entries_outside_the_range_are_left_out(self, member, project):
        project.hourly_rate = Decimal("36.00")
        project.save()
        TimeEntryFactory(user=member, project=project, start=at(2, 9), end=None, billable=True)
        entry(member, project, at(2, 7))
        entry(member, project, at(1, 9))
        report = report_summary(
            viewer=member, start=date(2026, 3, 2), end=date(2026, 3, 2), group_by="project", now=at(2, 9, 30)
        )
        (group,) = report["groups"]
        assert group["seconds"] == 3600 + 1800 and group["billable_seconds"] == 3600 + 1800
        assert report["total"] == {"seconds": 5400, "billable_seconds": 5400, "amount": Decimal("54.00")}
        assert report["running_seconds"] == 1800 and report["as_of"] == at(2, 9, 30)

    def test_a_running_timer_counts_under_each_grouping(self, member, project):
        TimeEntryFactory(user=member, project=project, start=at(2, 9), end=None)
        for group_by, then_by in (("day", "tag"), ("week", "user"), ("task", "client")):
            report = report_summary(
                viewer=member,
                start=date(2026, 3, 2),
                end=date(2026, 3, 2),
                group_by=group_by,
                then_by=then_by,
                now=at(2, 10),
            )
            assert [g["seconds"] for g in report["groups"]] == [3600]
            assert [c["seconds"] for c in report["groups"][0]["children"]] == [3600]

    def test_filters_narrow_the_report(self, member):
        a, b = ProjectFactory(), ProjectFactory()
        entry(member, a, at(2, 9))
        entry(member, b, at(2, 11))
        report = report_summary(
            viewer=member, start=date(2026, 3, 2), end=date(2026, 3, 2), group_by="project", filters={"project": a.pk}
        )
        assert [g["key"] for g in report["groups"]] == [a.pk]

    @pytest.mark.parametrize(
        ("kwargs", "field"),
        [
            ({"group_by": "colour"}, "group_by"),
            ({"group_by": "project", "then_by": "colour"}, "then_by"),
            ({"group_by": "project", "then_by": "project"}, "then_by"),
            ({"group_by": "project", "start": date(2026, 3, 5), "end": date(2026, 3, 4)}, "end"),
            ({"group_by": "project", "start": date(2020, 1, 1), "end": date(2025, 1, 6)}, "end"),
            ({"group_by": "project", "start": None}, "start"),
            ({"group_by": "project", "end": None}, "end"),
            ({"group_by": "project", "preset": "this_week"}, "preset"),
            ({"group_by": "project", "preset": "fortnight", "start": None, "end": None}, "preset"),
            ({"group_by": "project", "filters": {"running": True}}, "running"),
            ({"group_by": "project", "filters": {"colour": 1}}, "colour"),
        ],
    )
    def test_bad_arguments_are_refused_naming_the_field(self, member, kwargs, field):
        kwargs = {"start": date(2026, 3, 1), "end": date(2026, 3, 2), **kwargs}
        with pytest.raises(InvalidFilter) as exc:
            report_summary(viewer=member, **kwargs)
        assert exc.value.field == field

    def test_a_nested_report_takes_a_fixed_number_of_queries(self, admin_user, django_assert_max_num_queries):
        for i in range(20):
            entry(UserFactory(), ProjectFactory(), at(1, 0) + timedelta(hours=3 * i))
            TimeEntryFactory(user=UserFactory(), project=ProjectFactory(), start=at(2, 0), end=None)
        with django_assert_max_num_queries(4):  # running timers, total, two levels
            report = report_summary(
                viewer=admin_user, start=date(2026, 3, 1), end=date(2026, 3, 31), group_by="user", then_by="project"
            )
        assert len(report["groups"]) == 40 and report["running_seconds"] > 0


@pytest.mark.django_db
class TestReportParams:
    def test_a_preset_is_read_in_the_viewers_time_zone(self, member):
        member.timezone = "Pacific/Auckland"
        member.save()
        params = report_params(viewer=member, preset="this_month", now=datetime(2026, 3, 31, 12, tzinfo=UTC))
        assert (params.start, params.end, params.preset) == (date(2026, 4, 1), date(2026, 4, 30), "this_month")

    def test_dates_give_a_custom_period_and_none_given_is_refused(self, member):
        params = report_params(viewer=member, start=date(2026, 3, 1), end=date(2026, 3, 1), then_by="day")
        assert (params.start, params.end, params.preset, params.then_by) == (
            date(2026, 3, 1),
            date(2026, 3, 1),
            None,
            "day",
        )
        with pytest.raises(InvalidFilter) as exc:
            report_params(viewer=member)
        assert exc.value.field == "start"

    def test_five_years_is_the_longest_span(self, member):
        assert report_params(viewer=member, start=date(2021, 1, 1), end=date(2025, 12, 31)).period.days == 1826


def test_report_groups_round_their_integer_amounts_as_the_decimal_rule_does():
    """A report tree adds amounts as integers (cents × 3600) and rounds once: the same cents as _amount, half up
    (away from zero), for every remainder."""
    for cents_x3600 in range(-7300, 7300, 7):
        assert _amount_of(cents_x3600) == _amount(Decimal(cents_x3600) / 100), cents_x3600


def test_report_amounts_as_text_are_the_decimals_written_as_the_api_writes_them():
    """report_summary(amount_text=True) writes _amount_of's Decimal as DecimalField(decimal_places=2) would, in
    integer arithmetic: two decimals, "0.00" for a negative amount under half a cent, no exponent when large."""
    from tracking.api.serializers import _cents

    for cents_x3600 in [*range(-7300, 7300, 7), 3600 * 10**20 + 1799, 3600 * 10**20 + 1800, -1, -1800]:
        assert _amount_text(cents_x3600) == _cents(_amount_of(cents_x3600)), cents_x3600
