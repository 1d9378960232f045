"""Duration rounding: the single place where a user's rounding preference is applied."""

from accounts.models import RoundingMode

ROUNDING_STEPS_MINUTES = (1, 5, 6, 10, 15, 30)


def round_seconds(seconds: int, mode: str, minutes: int) -> int:
    """Round a duration in seconds to a multiple of `minutes` according to `mode` (none/nearest/up/down)."""
    seconds = max(0, int(seconds))
    if mode == RoundingMode.NONE or not minutes:
        return seconds
    if minutes not in ROUNDING_STEPS_MINUTES:
        raise ValueError(f"rounding step must be one of {ROUNDING_STEPS_MINUTES}, got {minutes}")
    step = minutes * 60
    whole, rest = divmod(seconds, step)
    if mode == RoundingMode.DOWN or rest == 0:
        return whole * step
    if mode == RoundingMode.UP:
        return (whole + 1) * step
    if mode == RoundingMode.NEAREST:
        return (whole + (1 if rest * 2 >= step else 0)) * step
    raise ValueError(f"unknown rounding mode {mode!r}")


def duration_for(user, start, end) -> int:
    """The stored duration of an entry of `user` from start to end (0 while running)."""
    if end is None:
        return 0
    return round_seconds(int((end - start).total_seconds()), user.rounding_mode, user.rounding_minutes)
