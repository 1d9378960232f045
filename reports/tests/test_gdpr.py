"""A person's saved-reports data in the export, and what their erasure removes or keeps."""

from datetime import time

import pytest

from accounts import gdpr
from accounts.services import user_erase
from reports import services
from reports.models import Annotation, Comment, Favourite, SavedReport, Subscription

pytestmark = pytest.mark.django_db

DEFINITION = {"preset": "last_month", "group_by": "client"}


def test_export_and_erase(member, manager, admin_user):
    shared = services.saved_report_create(actor=member, definition=DEFINITION, name="Shared", visibility="everyone")
    services.saved_report_create(actor=member, definition=DEFINITION, name="Private", tags=["mine"])
    theirs = services.saved_report_create(actor=manager, definition=DEFINITION, name="Theirs", visibility="everyone")
    services.comment_create(actor=member, report=theirs, text="my comment")
    services.favourite_set(actor=member, report=theirs, on=True)
    services.annotation_create(actor=member, start=shared.created_at.date(), text="dentist", scope="user")
    services.subscription_create(
        actor=member,
        report_id=theirs.pk,
        channel="email",
        target="me@example.org",
        frequency="monthly",
        weekday=None,
        day=3,
        time=time(7, 15),
    )

    exported = gdpr.export(member)["saved_reports"]
    assert sorted(r["name"] for r in exported["saved_reports"]) == ["Private", "Shared"]
    assert [c["text"] for c in exported["comments"]] == ["my comment"]
    assert exported["favourites"] == [theirs.pk] and exported["annotations"][0]["text"] == "dentist"
    assert (
        exported["subscriptions"][0]["target"] == "me@example.org"
        and exported["subscriptions"][0]["time"] == "07:15:00"
    )

    user_erase(actor=admin_user, user=member)
    assert list(SavedReport.objects.order_by("name").values_list("name", flat=True)) == ["Shared", "Theirs"]
    assert not Comment.objects.exists() and not Favourite.objects.exists() and not Annotation.objects.exists()
    assert not Subscription.objects.exists()
