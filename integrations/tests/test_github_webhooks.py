"""The GitHub webhook, driven with real deliveries (integrations/tests/fixtures/github) signed with a test secret."""

import json

import pytest
from django.utils import timezone

from integrations.connectors.github.webhooks import signature_valid
from integrations.models import WebhookDelivery
from tracking.models import Source, Task, TimeEntry
from tracking.tests.factories import TimeEntryFactory

from .conftest import WEBHOOK_SECRET, closed_payload, payload, sign

REF = "github:codertocat/hello-world#1"


def test_signature_check_matches_githubs_documented_vector():
    header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert signature_valid("It's a Secret to Everybody", b"Hello, World!", header)
    assert not signature_valid("It's a Secret to Everybody", b"Hello, World?", header)
    assert not signature_valid("another secret", b"Hello, World!", header)
    assert not signature_valid("It's a Secret to Everybody", b"Hello, World!", "")


def test_ping_answers_200_and_is_logged_as_processed(github, deliver):
    response = deliver(payload("ping"), "ping", delivery="d-ping")
    assert response.status_code == 200
    assert WebhookDelivery.objects.get(delivery_id="d-ping").status == "processed"


def test_opened_issue_becomes_a_todo_task_in_the_default_project(github, deliver, project):
    response = deliver(payload("issues.opened"), "issues")
    assert response.status_code == 200, response.content
    task = Task.objects.get(source=Source.GITHUB, external_ref=REF)
    assert task.project == project
    assert task.name == "Spelling error in the README file"
    assert task.status == Task.Status.TODO
    assert task.priority == Task.Priority.HIGH  # labelled "bug"
    assert task.external_url == "https://github.com/Codertocat/Hello-World/issues/1"
    assert response.json()["task_id"] == task.pk


def test_the_same_delivery_twice_changes_nothing(github, deliver):
    first = deliver(payload("issues.opened"), "issues", delivery="same-id")
    Task.objects.filter(external_ref=REF).update(name="Renamed here")
    second = deliver(payload("issues.opened"), "issues", delivery="same-id")
    assert first.status_code == 200
    assert second.status_code == 200
    assert second.json()["status"] == "duplicate"
    assert Task.objects.filter(external_ref=REF).count() == 1
    assert Task.objects.get(external_ref=REF).name == "Renamed here"
    statuses = sorted(WebhookDelivery.objects.filter(delivery_id="same-id").values_list("status", flat=True))
    assert statuses == ["duplicate", "processed"]


@pytest.mark.parametrize(
    "signature",
    [None, "", "sha256=" + "0" * 64, "sha1=0123", "sha256=not-hex"],
    ids=["unsigned", "empty", "forged", "wrong-algorithm", "garbage"],
)
def test_unsigned_or_forged_delivery_is_refused_with_401_and_logged_rejected(github, deliver, signature):
    response = deliver(payload("issues.opened"), "issues", delivery="forged-1", signature=signature)
    assert response.status_code == 401
    assert not Task.objects.exists()
    row = WebhookDelivery.objects.get(delivery_id="forged-1")
    assert row.status == "rejected"
    assert row.payload is None
    assert row.integration is None


def test_delivery_signed_with_another_secret_is_refused(github, deliver):
    response = deliver(payload("issues.opened"), "issues", secret="not-the-secret")
    assert response.status_code == 401
    assert not Task.objects.exists()


def test_a_rejected_forgery_does_not_block_the_genuine_delivery_with_the_same_id(github, deliver):
    assert (
        deliver(payload("issues.opened"), "issues", delivery="d-1", signature="sha256=" + "1" * 64).status_code == 401
    )
    assert deliver(payload("issues.opened"), "issues", delivery="d-1").status_code == 200
    assert Task.objects.filter(external_ref=REF).exists()


def test_signature_is_checked_against_the_raw_body_before_parsing(github, deliver):
    body = payload("issues.opened")
    reformatted = json.dumps(json.loads(body)).encode()  # same JSON, different bytes
    response = deliver(reformatted, "issues", signature=sign(body))
    assert response.status_code == 401


def test_signed_body_that_is_not_json_is_a_400_not_a_500(github, deliver):
    response = deliver(b"not json", "issues")
    assert response.status_code == 400
    assert not Task.objects.exists()


def test_integration_query_parameter_selects_the_integration(github, deliver):
    assert deliver(payload("issues.opened"), "issues", query=f"?integration={github.pk}").status_code == 200
    assert deliver(payload("issues.opened"), "issues", query=f"?integration={github.pk + 1}").status_code == 401
    assert deliver(payload("issues.opened"), "issues", query="?integration=abc").status_code == 401


def test_edited_updates_title_and_description(github, deliver):
    deliver(payload("issues.opened"), "issues")
    Task.objects.filter(external_ref=REF).update(name="Old title", description="old")
    response = deliver(payload("issues.edited"), "issues")
    assert response.status_code == 200
    task = Task.objects.get(external_ref=REF)
    edited = json.loads(payload("issues.edited"))["issue"]
    assert task.name == edited["title"]
    assert task.description == (edited["body"] or "")


def test_closed_marks_the_task_done_and_reopened_brings_it_back_to_todo(github, deliver):
    deliver(payload("issues.opened"), "issues")
    assert deliver(closed_payload(), "issues").status_code == 200
    assert Task.objects.get(external_ref=REF).status == Task.Status.DONE
    assert deliver(payload("issues.reopened"), "issues").status_code == 200
    assert Task.objects.get(external_ref=REF).status == Task.Status.TODO


def test_labels_change_the_priority(github, deliver):
    deliver(payload("issues.opened"), "issues")
    data = json.loads(payload("issues.labeled"))
    data["action"] = "unlabeled"
    data["issue"]["labels"] = [{"name": "enhancement"}]
    assert deliver(json.dumps(data).encode(), "issues").status_code == 200
    assert Task.objects.get(external_ref=REF).priority == Task.Priority.NORMAL
    assert deliver(payload("issues.labeled"), "issues").status_code == 200  # labelled "bug" again
    assert Task.objects.get(external_ref=REF).priority == Task.Priority.HIGH


def test_assigned_starts_the_matching_users_timer_on_the_task(github, deliver, codertocat):
    deliver(payload("issues.opened"), "issues")
    response = deliver(payload("issues.assigned"), "issues")
    assert response.status_code == 200
    task = Task.objects.get(external_ref=REF)
    assert task.assignee == codertocat
    entry = TimeEntry.objects.get(user=codertocat, end=None)
    assert entry.task == task
    assert entry.source == Source.GITHUB


def test_assigned_leaves_a_running_timer_alone_and_records_why(github, deliver, codertocat, project):
    running = TimeEntryFactory(user=codertocat, project=project, start=timezone.now(), end=None, duration_seconds=0)
    response = deliver(payload("issues.assigned"), "issues", delivery="assign-1")
    assert response.status_code == 200
    assert list(TimeEntry.objects.filter(user=codertocat, end=None)) == [running]
    detail = WebhookDelivery.objects.get(delivery_id="assign-1").detail
    assert "Timer not started" in detail
    assert "already running" in detail
    assert "left running" in detail


def test_assigned_without_auto_start_assigns_but_starts_nothing(github, deliver, codertocat):
    github.config["auto_start_timer"] = False
    github.save(update_fields=["config"])
    deliver(payload("issues.assigned"), "issues")
    assert Task.objects.get(external_ref=REF).assignee == codertocat
    assert not TimeEntry.objects.exists()


def test_assigned_to_an_unknown_github_user_changes_no_timer(github, deliver):
    response = deliver(payload("issues.assigned"), "issues", delivery="assign-2")
    assert response.status_code == 200
    assert not TimeEntry.objects.exists()
    assert "no TimeTracker user" in WebhookDelivery.objects.get(delivery_id="assign-2").detail


def test_other_actions_are_ignored_with_202(github, deliver):
    response = deliver(payload("issues.unassigned"), "issues", delivery="un-1")
    assert response.status_code == 202
    assert WebhookDelivery.objects.get(delivery_id="un-1").status == "ignored"
    assert deliver(payload("issues.opened"), "push").status_code == 202
    assert not Task.objects.exists()


def test_issues_outside_the_label_filter_are_ignored(github, deliver):
    github.config["label_filter"] = ["customer"]
    github.save(update_fields=["config"])
    response = deliver(payload("issues.opened"), "issues")
    assert response.status_code == 202
    assert not Task.objects.exists()


def test_deliveries_of_another_repository_are_ignored(github, deliver):
    github.config["repository"] = "someone/else"
    github.save(update_fields=["config"])
    assert deliver(payload("issues.opened"), "issues").status_code == 202
    assert not Task.objects.exists()


def test_inactive_integration_refuses_deliveries_and_changes_nothing(github, deliver):
    github.is_active = False
    github.save(update_fields=["is_active"])
    response = deliver(payload("issues.opened"), "issues")
    assert response.status_code == 401
    assert not Task.objects.exists()


def test_a_failing_delivery_is_logged_and_can_be_replayed(github, deliver, admin_user, project):
    from integrations.services import webhook_delivery_replay

    project.archived = True
    project.save(update_fields=["archived"])
    response = deliver(payload("issues.opened"), "issues", delivery="fail-1")
    assert response.status_code == 422
    row = WebhookDelivery.objects.get(delivery_id="fail-1")
    assert row.status == "failed" and "archived" in row.error
    assert not Task.objects.exists()

    project.archived = False
    project.save(update_fields=["archived"])
    outcome = webhook_delivery_replay(actor=admin_user, delivery=row)
    row.refresh_from_db()
    assert outcome.status == "processed"
    assert row.status == "processed" and row.attempts == 2
    assert Task.objects.filter(external_ref=REF).exists()


def test_webhook_secret_is_never_logged(github, deliver, caplog, codertocat):
    caplog.set_level("DEBUG")
    for name in ("issues.opened", "issues.assigned"):
        deliver(payload(name), "issues")
    deliver(payload("issues.opened"), "issues", signature="sha256=" + "0" * 64)
    assert WEBHOOK_SECRET not in caplog.text


def test_form_encoded_deliveries_are_accepted_too(github):
    from urllib.parse import urlencode

    from django.test import Client

    body = urlencode({"payload": payload("issues.opened").decode()}).encode()
    response = Client(enforce_csrf_checks=True).post(
        "/api/integrations/github/webhook",
        data=body,
        content_type="application/x-www-form-urlencoded",
        HTTP_X_GITHUB_EVENT="issues",
        HTTP_X_GITHUB_DELIVERY="form-1",
        HTTP_X_HUB_SIGNATURE_256=sign(body),
    )
    assert response.status_code == 200, response.content
    assert Task.objects.filter(external_ref=REF).exists()
