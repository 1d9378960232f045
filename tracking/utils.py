"""Small presentation helpers shared by the admin, the web UI and exports."""


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
