"""integrations' part of a person's data: exported without secrets; erased with the grant revoked at Google."""

from __future__ import annotations

import pytest

from accounts.services import user_data_export, user_erase
from integrations import signals
from integrations.models import Integration

from . import google_fake
from .google_fake import connect

fake_google = google_fake.fake_google  # the fixture


@pytest.fixture
def failures():
    seen: list[dict] = []

    def receiver(sender, **kwargs):
        seen.append(kwargs)

    signals.integration_failed.connect(receiver, dispatch_uid="test_gdpr.failures")
    yield seen
    signals.integration_failed.disconnect(dispatch_uid="test_gdpr.failures")


def test_erasing_a_person_revokes_their_google_grant_at_google(
    member, admin_user, fake_google, failures, django_capture_on_commit_callbacks
):
    integration = connect(fake_google, member)
    refresh = integration.secrets["refresh_token"]

    with django_capture_on_commit_callbacks(execute=True):
        user_erase(actor=admin_user, user=member)

    assert fake_google.revoked == [refresh]
    assert refresh not in fake_google.refresh_tokens
    assert not Integration.objects.filter(pk=integration.pk).exists()
    assert failures == []


def test_google_is_asked_only_after_the_erasure_committed(member, admin_user, fake_google):
    connect(fake_google, member)

    user_erase(actor=admin_user, user=member)  # the test's transaction never commits

    assert fake_google.revoked == []


def test_an_unreachable_google_never_blocks_the_erasure_and_the_failure_is_recorded(
    member, admin_user, fake_google, failures, settings, django_capture_on_commit_callbacks
):
    integration = connect(fake_google, member)
    settings.GOOGLE_OAUTH_REVOKE_URL = "http://127.0.0.1:9/revoke"  # nothing listens there

    with django_capture_on_commit_callbacks(execute=True):
        erased = user_erase(actor=admin_user, user=member)

    assert erased.is_erased
    assert not Integration.objects.filter(pk=integration.pk).exists()
    assert fake_google.revoked == []
    assert failures == [
        {
            "signal": signals.integration_failed,
            "integration_id": integration.pk,
            "provider": "google",
            "error_code": "grant_revoke_failed",
        }
    ]


def test_the_export_lists_the_persons_integrations_without_their_tokens(member, fake_google):
    integration = connect(fake_google, member)

    [exported] = user_data_export(user=member)["integrations"]

    assert exported["id"] == integration.pk
    assert exported["provider"] == "google"
    text = str(exported)
    assert integration.secrets["refresh_token"] not in text
    assert integration.secrets["access_token"] not in text
