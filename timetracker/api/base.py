"""The base every API view builds on: authentication, scopes, throttling, strict query parameters, idempotency.

Defaults come from REST_FRAMEWORK in settings; ApiViewMixin adds the per-request checks that need the view.
"""

from rest_framework.exceptions import NotFound

from . import idempotency
from .exceptions import InvalidParameters
from .pagination import MAX_PAGE_SIZE

COMMON_QUERY_PARAMS = ("format",)
LIST_QUERY_PARAMS = ("page", "page_size")


def _positive_int(value: str, name: str, maximum: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise InvalidParameters({name: ["Must be a whole number."]}) from None
    if number < 1 or (maximum is not None and number > maximum):
        bound = f" between 1 and {maximum}" if maximum else " of 1 or more"
        raise InvalidParameters({name: [f"Must be a number{bound}."]})
    return number


MAX_ID = 2**63 - 1


def object_id(value) -> int:
    """A path id as an int; anything else (letters, out of range) is a JSON 404, not an HTML page or a DB error."""
    try:
        number = int(str(value))
    except ValueError:
        raise NotFound("Not found.") from None
    if not 0 < number <= MAX_ID:
        raise NotFound("Not found.")
    return number


class ApiViewMixin:
    """Mix into every APIView/ViewSet of the API.

    query_params: names this view accepts (beyond `format`, and `page`/`page_size` on list actions); anything else
    is a 400 naming the parameter, so a typo in a filter never silently returns everything.
    """

    query_params: tuple[str, ...] = ()
    _idempotency_record = None

    def allowed_query_params(self) -> set[str]:
        allowed = set(COMMON_QUERY_PARAMS)
        if getattr(self, "action", None) in (None, "list") and self.request.method == "GET":
            allowed |= set(self.query_params)
            if getattr(self, "action", None) == "list":
                allowed |= set(LIST_QUERY_PARAMS)
        return allowed

    def check_query_params(self, request) -> None:
        unknown = sorted(set(request.query_params) - self.allowed_query_params())
        if unknown:
            raise InvalidParameters(
                {name: ["Unknown query parameter."] for name in unknown},
                detail=f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
            )
        if "page_size" in request.query_params:
            _positive_int(request.query_params["page_size"], "page_size", MAX_PAGE_SIZE)
        if "page" in request.query_params:
            _positive_int(request.query_params["page"], "page")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_params(request)
        self._idempotency_record = idempotency.begin(request)

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.IdempotentReplay):
            return idempotency.replay_response(exc.record)
        try:
            return super().handle_exception(exc)
        except Exception:
            if self._idempotency_record is not None:
                idempotency.abandon(self._idempotency_record)
                self._idempotency_record = None
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self._idempotency_record is not None:
            idempotency.finish(self._idempotency_record, response)
            self._idempotency_record = None
        return response
