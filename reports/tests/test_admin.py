"""Every saved-reports model in the admin; a report's definition is checked there like everywhere else."""

import pytest
from django.test import Client
from django.urls import reverse

from reports.models import SavedReport
from reports.tests.factories import AnnotationFactory, SavedReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(admin_user):
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize(
    "model",
    [
        "savedreport",
        "comment",
        "annotation",
        "favourite",
        "reportview",
        "notice",
        "sharelink",
        "subscription",
        "subscriptiondelivery",
    ],
)
def test_each_model_has_an_admin_list(admin_client_for, model):
    SavedReportFactory()
    AnnotationFactory()
    assert admin_client_for.get(reverse(f"admin:reports_{model}_changelist")).status_code == 200


def test_a_bad_definition_in_the_admin_is_a_form_error(admin_client_for):
    report = SavedReportFactory(name="Kept")
    url = reverse("admin:reports_savedreport_change", args=[report.pk])
    assert admin_client_for.get(url).status_code == 200
    response = admin_client_for.post(
        url,
        {
            "name": "Changed",
            "description": "",
            "definition": '{"group_by": "colour"}',
            "visibility": "everyone",
            "tags-TOTAL_FORMS": "0",
            "tags-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200 and "group_by must be one of" in response.content.decode()
    assert SavedReport.objects.get(pk=report.pk).name == "Kept"


def test_admins_see_and_revoke_every_share_link(admin_client_for, manager):
    from reports import services

    report = SavedReportFactory(owner=manager)
    link, _token = services.share_link_create(actor=manager, report=report, note="For finance")
    listing = admin_client_for.get(reverse("admin:reports_sharelink_changelist")).content.decode()
    assert "For finance" in listing or str(report) in listing
    assert admin_client_for.get(reverse("admin:reports_sharelink_add")).status_code == 403
    response = admin_client_for.post(
        reverse("admin:reports_sharelink_changelist"), {"action": "revoke", "_selected_action": [link.pk]}
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
