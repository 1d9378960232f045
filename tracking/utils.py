"""Small presentation helpers shared by the admin, the web UI, messages and emails.

The display formats live here, once: a date (`format_date`, in three lengths), a time of day (`format_time`), both
(`format_datetime`), a moment relative to now (`format_relative`) and a duration (`format_duration`). The templates
use them through the filters of `tracking.templatetags.tt`; messages and emails call them directly. Moments are shown
in the reader's time zone (the active one, or `tz`); the patterns are the installation's (`DISPLAY_*_FORMAT`
settings, in Django's date-format syntax). Exports' data columns and the API keep ISO 8601.
"""

import re
from datetime import date, datetime, timedelta
from html import escape as _html_escape

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.html import conditional_escape
from django.utils.translation import get_language

DATE_STYLES = {"": "DISPLAY_DATE_FORMAT", "short": "DISPLAY_SHORT_DATE_FORMAT", "long": "DISPLAY_LONG_DATE_FORMAT"}


def _local(value, tz=None):
    """A date stays a date; an aware moment is moved into `tz` (default: the active time zone, the reader's)."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value, tz)
    return value


def format_date(value: date | datetime | None, style: str = "", tz=None) -> str:
    """ "Thu 3 Dec 2026"; `short` drops the year ("Thu 3 Dec"), `long` spells it out ("Thursday 3 December 2026")."""
    if not value:
        return ""
    if isinstance(value, str):  # an ISO date kept in JSON (activity metadata)
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if style not in DATE_STYLES:
        raise ValueError(f"Unknown date style {style!r}; use one of {sorted(DATE_STYLES)}.")
    pattern = getattr(settings, DATE_STYLES[style])
    if type(value) is date:  # a calendar day reads the same in every time zone: kept (the week page names 28)
        key = (value, pattern, get_language())
        text = _DAY_TEXTS.get(key)
        if text is None:
            if len(_DAY_TEXTS) >= _DAY_TEXTS_MAX:
                _DAY_TEXTS.clear()
            text = _DAY_TEXTS[key] = dateformat.format(value, pattern)
        return text
    return dateformat.format(_local(value, tz), pattern)


# Days already written, by (day, pattern, language): Django's dateformat costs ~0.1 ms a day, and a page names the
# same few days again and again (each cell of the week's grid says its day).
_DAY_TEXTS: dict = {}
_DAY_TEXTS_MAX = 4096


def format_time(value, tz=None) -> str:
    """The time of day of a moment (or a `time`): "09:30"."""
    if not value:
        return ""
    return dateformat.time_format(_local(value, tz), settings.DISPLAY_TIME_FORMAT)


def format_datetime(value: datetime | None, style: str = "", tz=None) -> str:
    """ "Thu 3 Dec 2026, 09:30": the date and the time of day, in the reader's time zone."""
    if not value:
        return ""
    return f"{format_date(value, style, tz)}, {format_time(value, tz)}"


def format_relative(value: datetime | None, now: datetime | None = None, tz=None) -> str:
    """A moment close to now in words ("just now", "5 min ago", "in 3 h", "yesterday, 17:05"); further away, the
    plain date and time."""
    if not value:
        return ""
    now = now or timezone.now()
    delta = now - value
    past = delta >= timedelta(0)
    seconds = abs(delta.total_seconds())
    if seconds < 60:
        return "just now" if past else "in a moment"
    if seconds < 3600:
        n = f"{int(seconds // 60)} min"
        return f"{n} ago" if past else f"in {n}"
    if seconds < 12 * 3600:
        n = f"{int(seconds // 3600)} h"
        return f"{n} ago" if past else f"in {n}"
    local, today = _local(value, tz), _local(now, tz)
    days = (local.date() - today.date()).days
    if days == 0:
        return f"today, {format_time(value, tz)}"
    if days == -1:
        return f"yesterday, {format_time(value, tz)}"
    if days == 1:
        return f"tomorrow, {format_time(value, tz)}"
    return format_datetime(value, tz=tz)


def format_duration(seconds: int | None) -> str:
    """1h 30m style, the one duration format used across TimeTracker."""
    seconds = int(seconds or 0)
    hours, rest = divmod(seconds, 3600)
    minutes = rest // 60
    if hours and minutes:
        return f"{hours}h {minutes:02d}m"
    if hours:
        return f"{hours}h"
    return f"{minutes}m"


_DURATION_PARTS = re.compile(r"(?:(?P<h>\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*m(?:in(?:utes?|s)?)?)?")


def parse_duration(text: str) -> int:
    """Seconds from what people type: `1h30`, `1h 30m`, `90m`, `1:30`, `1.5` (hours), `1,5h`, `45` (minutes).

    Raises ValueError with a message for a person when the text is not a duration or is zero.
    """
    raw = (text or "").strip().lower()
    if not raw:
        raise ValueError("Enter a duration such as 1h30, 90m or 1:30.")
    seconds = None
    if (match := re.fullmatch(r"(\d+):([0-5]\d)", raw)) or (match := re.fullmatch(r"(\d+)\s*h\s*(\d+)", raw)):
        seconds = int(match[1]) * 3600 + int(match[2]) * 60
    elif match := re.fullmatch(r"\d+", raw):  # a bare whole number: minutes
        seconds = int(raw) * 60
    elif match := re.fullmatch(r"\d+[.,]\d+", raw):  # a decimal: hours
        seconds = round(float(raw.replace(",", ".")) * 3600)
    elif (match := _DURATION_PARTS.fullmatch(raw)) and (match["h"] or match["m"]):
        hours = float(match["h"].replace(",", ".")) if match["h"] else 0
        seconds = round(hours * 3600) + int(match["m"] or 0) * 60
    if seconds is None:
        raise ValueError(f"“{text}” is not a duration. Use a form such as 1h30, 90m or 1:30.")
    if seconds <= 0:
        raise ValueError("The duration must be more than zero.")
    if seconds > 24 * 3600:
        raise ValueError("A single entry cannot be longer than 24 hours.")
    return seconds


def escape_text(value) -> str:
    """conditional_escape's text (the same characters escaped), faster for what long lists of options and rows
    hold: integers (ids) and plain strings (names), without a SafeString made for each."""
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return _html_escape(value)
    if not hasattr(value, "__html__"):
        value = str(value)  # a model's label (a project, a task): plain text, unless its __str__ made it safe
        if type(value) is str:
            return _html_escape(value)
    return conditional_escape(value)
