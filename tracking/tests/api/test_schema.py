"""Property-based run of the whole API against its own OpenAPI schema (schemathesis, fixed seed, bounded examples).

Every operation is called with generated valid and invalid input as an administrator holding every scope, on a
database with a little data; the server must never answer 5xx, every response must match the schema (status code
documented, content type, headers, body), schema-valid parameters must be accepted and invalid input refused, so a
bound or an enum the API enforces but the schema does not state (or the reverse) fails here.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
    use_after_free,
)

from accounts.models import Role
from accounts.services import api_token_create
from accounts.tests.factories import TeamFactory, UserFactory
from tracking.tests.factories import ProjectFactory, TagFactory, TaskFactory, TimeEntryFactory


def parameters_accepted(ctx, response, case):
    """schemathesis' positive_data_acceptance for what a schema can fully describe: a 400 that names a query or
    path parameter (or refuses a request that has no body) for schema-valid input is drift between the schema and
    the API. A body's 400 for a rule JSON Schema cannot state (a name already taken, one project per task) is not."""
    if response.status_code != 400:
        return None
    try:
        errors = response.json().get("errors") or {}
    except ValueError:
        errors = {}
    named = set(case.query or {}) | set(case.path_parameters or {})
    if case.body is not NOT_SET and not (named & set(errors)):
        return None
    if errors and set(errors) <= CROSS_PARAMETER_RULES.get(case.operation.path, set()):
        return None
    return positive_data_acceptance(ctx, response, case)


# Rules between parameters that OpenAPI 3.0 cannot state (documented in the operation instead): a report takes a
# preset or both dates, in order, at most five years apart, and a second level different from the first; notes on
# the data are listed between two dates in order; a list's cursor is an opaque value only its own links carry (and
# is given instead of a page number).
CROSS_PARAMETER_RULES = {
    "/api/v1/time-entries/": {"cursor"},
    "/api/v1/reports/summary/": {"preset", "start", "end", "then_by"},
    "/api/v1/annotations/": {"start", "end"},
}


# Every check schemathesis has for a single call: no 5xx, documented status, content type, headers and body; valid
# input accepted and invalid input refused (so the schema's bounds and enums match what the API enforces); auth
# not ignored; a deleted resource not served again.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    parameters_accepted,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    ignored_auth,
    use_after_free,
]


@pytest.fixture
def api_schema(db):
    # Like Django's test client: the WSGI handler must not close the test's database connection after a request
    # (it would, with CONN_MAX_AGE=0, and take the test transaction with it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    admin = UserFactory(role=Role.ADMIN)
    member = UserFactory(role=Role.MEMBER)
    TeamFactory(members=[member], managers=[admin])
    project = ProjectFactory()
    TaskFactory(project=project)
    TagFactory(name="demo")
    TimeEntryFactory(user=member, project=project)
    _, raw = api_token_create(actor=admin, name="schemathesis", scopes=["admin"])
    return raw


def _run_operation(operation, mode: GenerationMode, headers: dict) -> None:
    @seed(20261123)
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


# Bounded so the whole run stays under two minutes on two cores.
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 6}


def test_every_operation_conforms_to_the_schema_and_never_fails_with_5xx(api_schema, admin_token, settings):
    # (schemathesis' own pytest plugin does not run under this pytest; its Python API drives hypothesis directly)
    settings.API_THROTTLE_RATE = None
    # The integrations API may test or sync a connector: no provider is reached, a refused port answers at once.
    for name in ("GITHUB_API_URL", "SLACK_API_URL", "GOOGLE_OAUTH_TOKEN_URL", "GOOGLE_CALENDAR_API_URL"):
        setattr(settings, name, "http://127.0.0.1:9")
    headers = {"Authorization": f"Bearer {admin_token}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run_operation(operation, mode, headers)
