"""tracking.periods: the local calendar every total and report uses."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracking import periods
from tracking.exceptions import InvalidFilter
from tracking.periods import Period


def test_a_day_lasts_as_long_as_it_did_where_the_viewer_lives():
    start, end = periods.day_bounds(date(2026, 3, 29), ZoneInfo("Europe/Berlin"))  # the clocks go forward
    assert start.utcoffset() == timedelta(hours=1) and end.utcoffset() == timedelta(hours=2)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)


def test_weeks_start_on_monday_even_across_a_year():
    assert periods.week_start(date(2026, 11, 29)) == date(2026, 11, 23)
    assert periods.week(date(2027, 1, 1)) == Period(date(2026, 12, 28), date(2027, 1, 3))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("today", (date(2026, 3, 11), date(2026, 3, 11))),
        ("this_week", (date(2026, 3, 9), date(2026, 3, 15))),
        ("last_week", (date(2026, 3, 2), date(2026, 3, 8))),
        ("this_month", (date(2026, 3, 1), date(2026, 3, 31))),
        ("last_month", (date(2026, 2, 1), date(2026, 2, 28))),
        ("this_quarter", (date(2026, 1, 1), date(2026, 3, 31))),
        ("last_30_days", (date(2026, 2, 10), date(2026, 3, 11))),
        ("this_year", (date(2026, 1, 1), date(2026, 12, 31))),
    ],
)
def test_presets_seen_from_a_wednesday(name, expected):
    period = periods.preset(name, date(2026, 3, 11))
    assert (period.start, period.end) == expected
    assert period.days == (expected[1] - expected[0]).days + 1


def test_quarters_and_months_at_the_edges():
    assert periods.quarter(date(2026, 12, 31)) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert periods.quarter(date(2026, 5, 15)) == Period(date(2026, 4, 1), date(2026, 6, 30))
    assert periods.month(date(2028, 2, 10)) == Period(date(2028, 2, 1), date(2028, 2, 29))
    assert periods.preset("last_month", date(2026, 1, 31)) == Period(date(2025, 12, 1), date(2025, 12, 31))


def test_an_unknown_preset_names_the_field():
    with pytest.raises(InvalidFilter) as exc:
        periods.preset("fortnight", date(2026, 3, 11))
    assert exc.value.field == "preset" and "this_week" in exc.value.message


def test_reversed_and_too_long_ranges_are_refused():
    assert periods.checked(date(2021, 1, 1), date(2025, 12, 31)).days == 1826
    for start, end in ((date(2026, 3, 2), date(2026, 3, 1)), (date(2020, 1, 1), date(2025, 1, 6))):
        with pytest.raises(InvalidFilter) as exc:
            periods.checked(start, end)
        assert exc.value.field == "end"


class _Person:
    def __init__(self, tz):
        self.tzinfo = ZoneInfo(tz)


def test_today_is_the_viewers_local_date():
    moment = datetime(2026, 3, 11, 23, 30, tzinfo=UTC)
    assert periods.local_today(_Person("Europe/Berlin"), moment) == date(2026, 3, 12)
    assert periods.local_today(_Person("America/New_York"), moment) == date(2026, 3, 11)
