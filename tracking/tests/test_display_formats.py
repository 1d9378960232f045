"""The display formats (tracking.utils) and their template filters (tracking.templatetags.tt)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import timezone

from tracking.utils import format_date, format_datetime, format_duration, format_relative, format_time

AUCKLAND = ZoneInfo("Pacific/Auckland")
# 2026-12-02 11:05 UTC is Thursday 3 December 00:05 in Auckland (UTC+13): the day differs by time zone.
INSTANT = datetime(2026, 12, 2, 11, 5, tzinfo=UTC)


def test_a_date_in_three_lengths():
    assert format_date(date(2026, 12, 3)) == "Thu 3 Dec 2026"
    assert format_date(date(2026, 12, 3), "short") == "Thu 3 Dec"
    assert format_date(date(2026, 12, 3), "long") == "Thursday 3 December 2026"


def test_a_days_text_follows_the_installations_pattern_after_it_was_written_once():
    day = date(2026, 12, 3)
    assert format_date(day) == "Thu 3 Dec 2026"  # kept for the next page
    with override_settings(DISPLAY_DATE_FORMAT="Y-m-d"):
        assert format_date(day) == "2026-12-03"
    assert format_date(day) == "Thu 3 Dec 2026"


def test_a_moment_is_shown_in_the_readers_time_zone():
    assert format_date(INSTANT, tz=UTC) == "Wed 2 Dec 2026"
    assert format_date(INSTANT, tz=AUCKLAND) == "Thu 3 Dec 2026"
    assert format_time(INSTANT, tz=AUCKLAND) == "00:05"
    assert format_datetime(INSTANT, tz=AUCKLAND) == "Thu 3 Dec 2026, 00:05"
    with timezone.override(AUCKLAND):  # the reader's zone, as the middleware activates it
        assert format_datetime(INSTANT) == "Thu 3 Dec 2026, 00:05"


def test_an_unknown_date_style_is_refused():
    with pytest.raises(ValueError, match="Unknown date style"):
        format_date(date(2026, 12, 3), "medium")


def test_empty_values_show_nothing_and_an_iso_string_is_read_as_a_date():
    assert format_date(None) == format_time(None) == format_datetime(None) == format_relative(None) == ""
    assert format_date("2026-11-30", "short") == "Mon 30 Nov"
    assert format_date("not a date") == "not a date"


def test_a_time_of_day_alone():
    assert format_time(time(9, 5)) == "09:05"


@override_settings(
    DISPLAY_DATE_FORMAT="d/m/Y",
    DISPLAY_SHORT_DATE_FORMAT="d/m",
    DISPLAY_LONG_DATE_FORMAT="l d/m/Y",
    DISPLAY_TIME_FORMAT="g:i A",
)
def test_the_installation_chooses_the_patterns():
    assert format_date(date(2026, 12, 3)) == "03/12/2026"
    assert format_date(date(2026, 12, 3), "short") == "03/12"
    assert format_date(date(2026, 12, 3), "long") == "Thursday 03/12/2026"
    assert format_datetime(INSTANT, tz=AUCKLAND) == "03/12/2026, 12:05 AM"


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (timedelta(seconds=-20), "just now"),
        (timedelta(seconds=20), "in a moment"),
        (timedelta(minutes=-5), "5 min ago"),
        (timedelta(minutes=42), "in 42 min"),
        (timedelta(hours=-3, minutes=-10), "3 h ago"),
        (timedelta(hours=-13), "today, 00:05"),
        (timedelta(hours=-24 - 13), "yesterday, 00:05"),
        (timedelta(hours=13), "tomorrow, 02:05"),
        (timedelta(days=-5, hours=-13), "Sat 28 Nov 2026, 00:05"),
    ],
)
def test_a_moment_near_now_in_words(offset, expected):
    now = datetime(2026, 12, 3, 0, 5, tzinfo=AUCKLAND) + timedelta(hours=13)  # 13:05 in Auckland
    assert format_relative(now + offset, now=now, tz=AUCKLAND) == expected


def test_durations():
    assert [format_duration(s) for s in (0, 59, 60, 3600, 5400, 36000 + 60)] == [
        "0m",
        "0m",
        "1m",
        "1h",
        "1h 30m",
        "10h 01m",
    ]


def test_the_filters_use_the_same_formats():
    template = Template(
        '{% load tt %}{{ m|day }}|{{ m|day:"short" }}|{{ m|day:"long" }}|{{ m|clock }}|{{ m|when }}'
        '|{{ none|when:"never" }}|{{ secs|duration }}|{{ m|iso }}'
    )
    with timezone.override(AUCKLAND):
        out = template.render(Context({"m": INSTANT, "none": None, "secs": 5400}))
    assert out == (
        "Thu 3 Dec 2026|Thu 3 Dec|Thursday 3 December 2026|00:05|Thu 3 Dec 2026, 00:05|never|1h 30m|"
        "2026-12-02T11:05:00+00:00"
    )


def test_the_relative_filter_speaks_of_now():
    out = Template("{% load tt %}{{ m|relative }}").render(Context({"m": timezone.now() - timedelta(minutes=7)}))
    assert out == "7 min ago"
