"""Saved reports' events reach PostHog with ids only: never a report's name, tags, comment or note text."""

import pytest

from analytics import events
from reports import services

pytestmark = pytest.mark.django_db(transaction=True)

SECRET_WORDS = ("Acme confidential", "offsite", "billing-secret", "layoffs")


def test_saving_viewing_commenting_and_annotating_send_ids_only(posthog, manager, member):
    report = services.saved_report_create(
        actor=manager,
        definition={"preset": "last_month", "group_by": "client"},
        name="Acme confidential",
        description="layoffs",
        tags=["billing-secret"],
        visibility="everyone",
    )
    services.report_view_record(user=member, report=report, interface="api")
    services.comment_create(actor=member, report=report, text="offsite in March")
    annotation = services.annotation_create(
        actor=manager, start=report.created_at.date(), text="offsite", scope="everyone"
    )

    [saved] = posthog.events_named(events.REPORT_SAVED)
    assert saved["properties"]["report_id"] == report.pk and saved["properties"]["action"] == "created"
    [viewed] = posthog.events_named(events.SAVED_REPORT_VIEWED)
    assert viewed["properties"]["report_id"] == report.pk and viewed["properties"]["interface"] == "api"
    [commented] = posthog.events_named(events.REPORT_COMMENTED)
    assert commented["properties"]["report_id"] == report.pk and commented["properties"]["by_owner"] is False
    [annotated] = posthog.events_named(events.ANNOTATION_CREATED)
    assert annotated["properties"] == annotated["properties"] | {"annotation_id": annotation.pk, "scope": "everyone"}
    sent = "".join(r.text for r in posthog.requests)
    for word in SECRET_WORDS:
        assert word not in sent


def test_sharing_and_opening_a_link_send_ids_and_kind_only(posthog, manager, client):
    report = services.saved_report_create(
        actor=manager,
        definition={"preset": "last_month", "group_by": "client"},
        name="Acme confidential",
        description="layoffs",
        visibility="private",
    )
    link, token = services.share_link_create(actor=manager, report=report, kind="snapshot", note="billing-secret")
    assert client.get(f"/s/{token}/").status_code == 200

    [shared] = posthog.events_named(events.REPORT_SHARED)
    assert (
        shared["properties"] | {"report_id": report.pk, "link_id": link.pk, "kind": "snapshot"} == shared["properties"]
    )
    [viewed] = posthog.events_named(events.SHARE_VIEWED)
    assert viewed["properties"]["link_id"] == link.pk and viewed["properties"]["kind"] == "snapshot"
    sent = "".join(r.text for r in posthog.requests)
    for word in (*SECRET_WORDS, token):
        assert word not in sent
