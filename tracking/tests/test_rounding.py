import pytest

from tracking.rounding import round_seconds


@pytest.mark.parametrize(
    ("seconds", "mode", "minutes", "expected"),
    [
        (100, "none", 15, 100),
        (7 * 60, "nearest", 15, 0),
        (8 * 60, "nearest", 15, 15 * 60),
        (7 * 60 + 30, "nearest", 15, 15 * 60),
        (61, "up", 1, 120),
        (60, "up", 1, 60),
        (29 * 60 + 59, "down", 30, 0),
        (31 * 60, "down", 30, 30 * 60),
        (16 * 60, "up", 15, 30 * 60),
        (17 * 60, "nearest", 6, 18 * 60),
        (0, "up", 10, 0),
    ],
)
def test_round_seconds(seconds, mode, minutes, expected):
    assert round_seconds(seconds, mode, minutes) == expected


def test_unknown_step_is_an_error():
    with pytest.raises(ValueError, match="rounding step"):
        round_seconds(60, "up", 7)
