"""The API's JSON parser: DRF's, with the input guard of `timetracker.jsonsafe` (nesting, NUL, UTF-8).

A refused body is DRF's ParseError, so it answers 400 in the API's error shape with the code `parse_error`.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

from timetracker import jsonsafe


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        try:
            return jsonsafe.loads(raw)
        except jsonsafe.UnsafeInput as exc:
            raise ParseError(str(exc)) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
