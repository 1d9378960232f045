"""The API's JSON renderer: DRF's output, byte for byte, written by orjson.

A month's report by person then day is some 10,000 groups (1.2 MB); the standard library's encoder spent ~35 ms
of CPU on it, orjson a few. Dates, times and datetimes are handed to DRF's encoder (its formats: milliseconds, "Z"),
as is anything orjson does not know natively (lazy strings, Decimals, querysets). Whatever orjson refuses (an
integer beyond 64 bits, a dict with non-string keys) and indented output (`Accept: application/json; indent=4`, the
browsable API) go through DRF's renderer unchanged. One difference: a float NaN or infinity is written as null, where
DRF's strict encoder raised.
"""

import orjson
from rest_framework import renderers
from rest_framework.utils import encoders

_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
_DRF_DEFAULT = encoders.JSONEncoder().default


def dumps(data) -> bytes | None:
    """`data` as DRF's compact renderer writes it, or None when orjson cannot write it."""
    try:
        out = orjson.dumps(data, default=_DRF_DEFAULT, option=_OPTIONS)
    except (orjson.JSONEncodeError, TypeError, ValueError):
        return None
    # As DRF does: U+2028 and U+2029 escaped, so the output is also valid JavaScript.
    if b"\xe2\x80\xa8" in out or b"\xe2\x80\xa9" in out:
        out = out.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")
    return out


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        fast = (
            data is not None
            and self.compact
            and not self.ensure_ascii
            and self.encoder_class is encoders.JSONEncoder
            and self.get_indent(accepted_media_type, renderer_context or {}) is None
        )
        out = dumps(data) if fast else None
        return out if out is not None else super().render(data, accepted_media_type, renderer_context)
