"""A new comment on a saved report reaches its owner by Slack DM when they linked Slack and opted in."""

import pytest

from integrations.connectors.slack import services as slack_services
from reports import services as reports
from reports.tests.factories import SavedReportFactory

from .conftest import SLACK_USER

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned_report(linked):
    return SavedReportFactory(owner=linked, name="Billable <hours> by client")


def _comment(actor, report, django_capture_on_commit_callbacks, text="March is low: offsite"):
    with django_capture_on_commit_callbacks(execute=True):
        return reports.comment_create(actor=actor, report=report, text=text)


def test_the_owner_who_opted_in_gets_a_dm_with_the_comment(
    slack, fake_slack, linked, other_member, owned_report, django_capture_on_commit_callbacks
):
    slack_services.preference_update(actor=linked, user=linked, notify_on_comment=True)
    _comment(other_member, owned_report, django_capture_on_commit_callbacks, text="<!channel> March is low")
    [post] = fake_slack.posted
    assert post["channel"] == SLACK_USER
    assert f"/reports/saved/{owned_report.pk}/#comments|Billable &lt;hours&gt; by client>" in post["text"]
    assert "&lt;!channel&gt; March is low" in post["text"]


def test_no_dm_without_opting_in_or_for_ones_own_comment(
    slack, fake_slack, linked, other_member, owned_report, django_capture_on_commit_callbacks
):
    _comment(other_member, owned_report, django_capture_on_commit_callbacks)
    assert fake_slack.posted == []
    slack_services.preference_update(actor=linked, user=linked, notify_on_comment=True)
    _comment(linked, owned_report, django_capture_on_commit_callbacks)
    assert fake_slack.posted == []


def test_slack_down_never_loses_the_comment(
    slack, fake_slack, linked, other_member, owned_report, django_capture_on_commit_callbacks
):
    slack_services.preference_update(actor=linked, user=linked, notify_on_comment=True)
    fake_slack.mode = "error"
    comment = _comment(other_member, owned_report, django_capture_on_commit_callbacks)
    assert comment.pk and owned_report.comments.count() == 1
    assert fake_slack.posted == []
    slack.refresh_from_db()
    assert "comment" in slack.last_error
