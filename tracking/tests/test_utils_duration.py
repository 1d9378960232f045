import pytest

from tracking.utils import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h30", 5400),
        ("1h 30m", 5400),
        ("90m", 5400),
        ("1:30", 5400),
        ("1.5", 5400),
        ("1,5h", 5400),
        ("45", 2700),
        ("2h", 7200),
        ("30 min", 1800),
        (" 0:05 ", 300),
    ],
)
def test_parse_duration_understands_what_people_type(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "0", "0:00", "1:75", "25h", "-1h"])
def test_parse_duration_refuses_with_a_message(text):
    with pytest.raises(ValueError, match=r"\w"):
        parse_duration(text)


def test_parsed_durations_format_in_the_one_style():
    assert format_duration(parse_duration("1h30")) == "1h 30m"
