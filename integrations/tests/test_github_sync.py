"""Manual sync and the connection test, against a local server speaking GitHub's REST format."""

import time

import pytest

from integrations import services
from integrations.models import Integration
from integrations.signals import integration_failed, integration_synced
from tracking.models import Source, Task

from .conftest import ACCESS_TOKEN


@pytest.fixture
def five_issues(fake_github):
    fake_github.issue(1, "First", labels=["bug"])
    fake_github.issue(2, "Second", labels=["enhancement"])
    fake_github.issue(3, "A pull request", pull_request=True)
    fake_github.issue(4, "Fourth")
    fake_github.issue(5, "Fifth", labels=["critical"])
    return fake_github


def refs():
    return set(Task.objects.filter(source=Source.GITHUB).values_list("external_ref", flat=True))


def test_sync_follows_every_page_skips_pull_requests_and_records_counts(github, five_issues):
    result = services.integration_sync(integration_id=github.pk)
    assert result["ok"], result
    assert refs() == {f"github:codertocat/hello-world#{n}" for n in (1, 2, 4, 5)}
    issue_pages = [r for r in five_issues.requests if r["path"].endswith("/issues")]
    assert len(issue_pages) == 3
    github.refresh_from_db()
    assert github.last_sync_status == "ok"
    assert github.last_sync_counts["created"] == 4
    assert github.last_sync_counts["skipped_pull_requests"] == 1
    assert github.last_sync_counts["pages"] == 3
    assert github.last_sync_at is not None
    assert Task.objects.get(external_ref="github:codertocat/hello-world#5").priority == Task.Priority.HIGH


def test_sync_sends_the_access_token(github, five_issues):
    services.integration_sync(integration_id=github.pk)
    assert {r["headers"].get("Authorization") for r in five_issues.requests} == {f"Bearer {ACCESS_TOKEN}"}


def test_second_sync_updates_in_place_and_marks_closed_issues_done(github, five_issues):
    services.integration_sync(integration_id=github.pk)
    five_issues.issues[0]["title"] = "First, renamed"
    five_issues.issues[3]["state"] = "closed"  # issue 4 closed on GitHub
    result = services.integration_sync(integration_id=github.pk)
    assert result["counts"]["created"] == 0
    assert result["counts"]["updated"] == 1
    assert result["counts"]["closed"] == 1
    assert Task.objects.get(external_ref="github:codertocat/hello-world#1").name == "First, renamed"
    assert Task.objects.get(external_ref="github:codertocat/hello-world#4").status == Task.Status.DONE
    assert Task.objects.filter(source=Source.GITHUB).count() == 4


def test_sync_respects_the_label_filter_without_closing_filtered_tasks(github, five_issues):
    github.config["label_filter"] = ["bug", "critical"]
    github.save(update_fields=["config"])
    result = services.integration_sync(integration_id=github.pk)
    assert refs() == {"github:codertocat/hello-world#1", "github:codertocat/hello-world#5"}
    assert result["counts"]["filtered"] == 2


def test_sync_stops_when_the_rate_limit_is_used_up_and_says_when_it_resumes(github, five_issues, project):
    old = Task.objects.create(
        project=project, name="Old", source=Source.GITHUB, external_ref="github:codertocat/hello-world#9"
    )
    five_issues.rate_limit_remaining_after_page[1] = (0, int(time.time()) + 3600)
    result = services.integration_sync(integration_id=github.pk)
    assert result["ok"]
    assert refs() == {old.external_ref, "github:codertocat/hello-world#1", "github:codertocat/hello-world#2"}
    # An incomplete walk cannot tell which issues were closed, so nothing is marked done.
    old.refresh_from_db()
    assert old.status == Task.Status.TODO
    assert len([r for r in five_issues.requests if r["path"].endswith("/issues")]) == 1
    github.refresh_from_db()
    assert github.last_sync_status == "partial"
    assert "rate limit" in github.last_error


def test_sync_waits_for_a_rate_limit_that_resets_now(github, five_issues):
    five_issues.rate_limit_remaining_after_page[1] = (0, int(time.time()))
    result = services.integration_sync(integration_id=github.pk)
    assert result["counts"]["pages"] == 3
    assert result["error"] == ""


def test_sync_failure_is_recorded_and_announced_without_raising(
    github, fake_github, django_capture_on_commit_callbacks
):
    failures = []

    def receiver(sender, **kwargs):
        failures.append(kwargs)

    integration_failed.connect(receiver, dispatch_uid="test-sync-failed")
    fake_github.fail_status = 500
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = services.integration_sync(integration_id=github.pk)
    finally:
        integration_failed.disconnect(dispatch_uid="test-sync-failed")
    assert result["ok"] is False
    github.refresh_from_db()
    assert github.last_sync_status == "failed"
    assert "500" in github.last_error
    assert ACCESS_TOKEN not in github.last_error
    assert failures == [
        {"signal": integration_failed, "integration_id": github.pk, "provider": "github", "error_code": "network"}
    ]


def test_sync_against_an_unreachable_server_records_the_error(github, settings):
    settings.GITHUB_API_URL = "http://127.0.0.1:9"  # discard port: connection refused
    result = services.integration_sync(integration_id=github.pk)
    assert result["ok"] is False
    github.refresh_from_db()
    assert github.last_sync_status == "failed"
    assert "ConnectionError" in github.last_error


def test_successful_sync_sends_integration_synced_with_counts(github, five_issues, django_capture_on_commit_callbacks):
    seen = []
    integration_synced.connect(lambda sender, **kw: seen.append(kw), dispatch_uid="test-synced", weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.integration_sync(integration_id=github.pk)
    finally:
        integration_synced.disconnect(dispatch_uid="test-synced")
    assert seen and seen[0]["integration_id"] == github.pk and seen[0]["counts"]["created"] == 4


def test_connection_test_reports_the_repository(github, five_issues, admin_user):
    result = services.integration_test(actor=admin_user, integration=github, provider="github")
    assert result["ok"], result
    assert "Codertocat/Hello-World" in result["message"]


def test_connection_test_explains_a_missing_repository(github, fake_github, admin_user):
    github.config["repository"] = "nobody/nothing"
    github.save(update_fields=["config"])
    result = services.integration_test(actor=admin_user, integration=github, provider="github")
    assert result["ok"] is False
    assert "404" in result["error"]


def test_access_token_appears_in_logs_only_as_a_prefix(github, five_issues, caplog):
    caplog.set_level("DEBUG")
    services.integration_sync(integration_id=github.pk)
    assert "ghp_ab…" in caplog.text
    assert ACCESS_TOKEN not in caplog.text
    assert ACCESS_TOKEN[:12] not in caplog.text


def test_sync_of_an_inactive_integration_does_nothing(github, five_issues):
    Integration.objects.filter(pk=github.pk).update(is_active=False)
    result = services.integration_sync(integration_id=github.pk)
    assert result == {"ok": False, "error": "Integration not configured"}
    assert five_issues.requests == []
    assert not Task.objects.exists()


def test_idempotent_requests_are_retried_after_a_transient_error(github, five_issues):
    five_issues.fail_next = [503, 502]
    result = services.integration_sync(integration_id=github.pk)
    assert result["ok"] and result["error"] == ""
    assert result["counts"]["created"] == 4


def test_a_post_is_never_sent_twice(fake_github):
    from integrations.http import ProviderClient

    fake_github.fail_next = [503]
    client = ProviderClient(fake_github.url, "tok")
    assert client.request("POST", "/anything", json={"a": 1}).status_code == 503
    assert len([r for r in fake_github.requests if r.get("method") == "POST"]) == 1


def test_the_periodic_job_syncs_every_active_github_integration(github, five_issues, in_process_tasks):
    from integrations.tasks import integrations_sync_provider_task

    assert integrations_sync_provider_task("github") == 1
    github.refresh_from_db()
    assert github.last_sync_status == "ok"
    assert len(refs()) == 4
