"""The local calendar: today, a day's bounds, ISO weeks, months, quarters, years and the named report presets.

Every "which days does this period cover, and where does it start and end in time" question in TimeTracker is
answered here, in the viewer's time zone (`user.tzinfo`): the web reports, the API's `preset=`, the dashboard's
today and this week, Slack's `/tt today`, `/tt week` and daily summary, and the activity log's date filters.

A `Period` is a pair of calendar days, both included. `Period.bounds(tz)` turns it into the half-open interval
[first midnight, midnight after the last day) of aware datetimes, so a day on which the clocks change lasts 23 or
25 hours, as it did for the person who lived it. Weeks start on Monday (ISO 8601).

Nothing here touches the database; the rule for a running timer in a period's totals lives with the totals in
`tracking.selectors`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from django.conf import settings
from django.utils import timezone

from .exceptions import InvalidFilter

# The longest span a report may cover, on the web and in the API alike.
MAX_SPAN_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    """Calendar days `start` to `end`, both included."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def dates(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range(self.days)]

    def bounds(self, tz: tzinfo) -> tuple[datetime, datetime]:
        """[start, end) of the period in `tz`, as aware datetimes."""
        return start_of(self.start, tz), start_of(self.end + timedelta(days=1), tz)


def start_of(day: date, tz: tzinfo) -> datetime:
    """Midnight at the start of `day` in `tz`."""
    return datetime.combine(day, time.min, tzinfo=tz)


def local_now(user, now: datetime | None = None) -> datetime:
    """Now (or `now`) on `user`'s clock."""
    return timezone.localtime(now or timezone.now(), user.tzinfo)


def local_today(user, now: datetime | None = None) -> date:
    """Today's date in `user`'s time zone."""
    return local_now(user, now).date()


def day_bounds(day: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of one calendar day in `tz`."""
    return Period(day, day).bounds(tz)


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def day_period(day: date) -> Period:
    return Period(day, day)


def week(day: date) -> Period:
    """Monday to Sunday of `day`'s ISO week."""
    monday = week_start(day)
    return Period(monday, monday + timedelta(days=6))


def month(day: date) -> Period:
    first = day.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    return Period(first, next_first - timedelta(days=1))


def quarter(day: date) -> Period:
    first_month = 3 * ((day.month - 1) // 3) + 1
    first = day.replace(month=first_month, day=1)
    return Period(first, month(first.replace(month=first_month + 2)).end)


def year(day: date) -> Period:
    return Period(day.replace(month=1, day=1), day.replace(month=12, day=31))


# name -> (label, the period for a given local today). The order is the order a menu shows them in.
PRESETS: dict[str, tuple[str, Callable[[date], Period]]] = {
    "today": ("Today", day_period),
    "this_week": ("This week", week),
    "last_week": ("Last week", lambda today: week(today - timedelta(days=7))),
    "this_month": ("This month", month),
    "last_month": ("Last month", lambda today: month(today.replace(day=1) - timedelta(days=1))),
    "this_quarter": ("This quarter", quarter),
    "last_30_days": ("Last 30 days", lambda today: Period(today - timedelta(days=29), today)),
    "this_year": ("This year", year),
}
PRESET_CHOICES = [(name, label) for name, (label, _) in PRESETS.items()]


def preset(name: str, today: date) -> Period:
    """The period a preset names, seen from `today` (the viewer's local date). Raises InvalidFilter (field
    "preset") for a name it does not know."""
    if name not in PRESETS:
        raise InvalidFilter(f"preset must be one of {', '.join(PRESETS)}; got “{name}”.", field="preset")
    return PRESETS[name][1](today)


def window() -> Period:
    """The calendar days time may be tracked on and asked about: settings TRACKING_EARLIEST_DATE to
    TRACKING_LATEST_DATE (by default 1970-01-01 to 2100-12-31). Far enough from year 1 and 9999 that a day's
    bounds, its week and a time-zone conversion never overflow."""
    earliest, latest = settings.TRACKING_EARLIEST_DATE, settings.TRACKING_LATEST_DATE
    return Period(date.fromisoformat(earliest), date.fromisoformat(latest))


def outside_window(day: date, *, field: str) -> str | None:
    """The message for a day outside `window()`, or None when it lies inside."""
    span = window()
    if span.start <= day <= span.end:
        return None
    return f"{field.capitalize()} must be between {span.start:%Y-%m-%d} and {span.end:%Y-%m-%d}; got {day:%Y-%m-%d}."


def check_day(day: date, *, field: str) -> date:
    """`day` when it lies in `window()`; raises InvalidFilter naming `field` otherwise."""
    problem = outside_window(day, field=field)
    if problem:
        raise InvalidFilter(problem, field=field)
    return day


def checked(start: date, end: date) -> Period:
    """The period from `start` to `end` once it makes sense as a report range: inside `window()`, not reversed, at
    most MAX_SPAN_DAYS long. Raises InvalidFilter (field "start" or "end")."""
    check_day(start, field="start")
    check_day(end, field="end")
    if end < start:
        raise InvalidFilter("The end date must not be before the start date.", field="end")
    if (end - start).days > MAX_SPAN_DAYS:
        raise InvalidFilter("A report covers at most five years.", field="end")
    return Period(start, end)
