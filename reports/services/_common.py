"""Input cleaning shared by the reports services."""

from __future__ import annotations

from typing import Any

from ..exceptions import InvalidReport


def _text(value: Any, *, field: str, maximum: int, required: bool = False, error=InvalidReport) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise error(f"{field} must be text.", field=field)
    if "\x00" in value:
        raise error(f"{field} must not contain NUL characters.", field=field)
    value = value.strip()
    if required and not value:
        raise error(f"Give a {field}.", field=field)
    if len(value) > maximum:
        raise error(f"{field} is {len(value)} characters long; at most {maximum}.", field=field)
    return value
