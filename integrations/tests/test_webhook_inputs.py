"""Signed webhook bodies the input guard refuses (nesting, NUL, not UTF-8) or whose fields have the wrong type: a
400/422 and a recorded failed delivery, never a 500 and never a change."""

import json

import pytest

from integrations.models import WebhookDelivery
from tracking.models import Task

from .conftest import payload

pytestmark = pytest.mark.django_db


def issue_delivery(**changes) -> bytes:
    data = json.loads(payload("issues.opened"))
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for name in parents:
            target = target[name]
        target[last] = value
    return json.dumps(data).encode()


def failed_row() -> WebhookDelivery:
    return WebhookDelivery.objects.get(status="failed")


def test_signed_body_nested_100k_deep_is_a_failed_delivery(github, deliver):
    response = deliver(b"[" * 100_000 + b"]" * 100_000, "issues")
    assert response.status_code == 400
    assert failed_row().error == "JSON nested deeper than 32 levels is refused."


def test_signed_body_with_a_nul_is_a_failed_delivery(github, deliver):
    response = deliver(issue_delivery(issue__title="Spelling\u0000error"), "issues")
    assert response.status_code == 400
    assert "NUL" in failed_row().error
    assert not Task.objects.exists()


def test_signed_body_that_is_not_utf8_is_a_failed_delivery(github, deliver):
    response = deliver(issue_delivery().replace(b"Spelling", b"Sp\xe9lling"), "issues")
    assert response.status_code == 400
    assert failed_row().error == "The body is not valid UTF-8."


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"issue": [1, 2]}, "issue must be an object, not a list"),
        ({"issue__labels": "bug"}, "issue.labels must be a list, not a string"),
        ({"issue__labels": ["bug"]}, "issue.labels[0] must be an object, not a string"),
        ({"issue__number": "1"}, "issue.number must be a number, not a string"),
        ({"issue__number": True}, "issue.number must be a number, not true or false"),
        ({"issue__title": {"x": 1}}, "issue.title must be a string, not an object"),
        ({"repository": "Codertocat/Hello-World"}, "repository must be an object, not a string"),
    ],
)
def test_signed_github_fields_of_the_wrong_type_are_a_422_failed_delivery(github, deliver, changes, error):
    response = deliver(issue_delivery(**changes), "issues")
    assert response.status_code == 422, response.content
    assert error in response.json()["error"]
    assert error in failed_row().error
    assert not Task.objects.exists()
