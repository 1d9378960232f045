"""Small presentation helpers shared by the admin, the web UI and exports."""

import re


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
