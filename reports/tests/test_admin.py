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


@pytest.mark.parametrize("model", ["savedreport", "comment", "annotation", "favourite", "reportview", "notice"])
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
