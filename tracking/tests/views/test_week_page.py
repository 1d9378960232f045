"""The week page as it is written: the "Add a row for" picker in Python (tracking.rows.described_options) from one
read of rows, the same options the template wrote per project; a refused cell marked alone."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tracking import selectors
from tracking.models import Project
from tracking.tests.factories import ClientFactory, ProjectFactory

pytestmark = pytest.mark.django_db

_PER_PROJECT = Template(
    "{% for p in trackable %}"
    '<option value="{{ p.pk }}" data-color="{{ p.color }}" data-name="{{ p.name }}"'
    " data-client=\"{{ p.client.name|default:'' }}\">{{ p }}</option>"
    "{% endfor %}"
)


def test_the_add_row_picker_offers_each_trackable_project_as_the_template_wrote_it(client_for, member):
    ProjectFactory(name='Site "v2" <beta>', client=ClientFactory(name="A & B's <c>"), color="#aa0000")
    ProjectFactory(name="Internal & admin", client=None)
    ProjectFactory(name="Closed", is_public=False)  # not open to the member: not offered
    page = client_for(member).get(reverse("entry_week")).content.decode()
    expected = _PER_PROJECT.render(Context({"trackable": selectors.trackable_projects(user=member)}))
    assert expected.count("<option") == 2
    assert '<option value="">Choose a project…</option>' + expected + "</select>" in page
    assert "Closed" not in page


def test_without_a_project_to_track_there_is_no_picker(client_for, member):
    Project.objects.all().delete()
    assert 'id="week-add-project"' not in client_for(member).get(reverse("entry_week")).content.decode()


def test_a_refused_cell_alone_is_marked_with_its_error(client_for, member):
    project = ProjectFactory(name="Website")
    response = client_for(member).post(
        reverse("entry_week_cell"),
        {"week": "2026-03-02", "add": project.pk, "cell": f"cell-{project.pk}-0-1", f"cell-{project.pk}-0-1": "soon"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert page.count('aria-invalid="true"') == 1 and page.count("has-error") == 1
    assert f'id="cell-{project.pk}-0-1" name="cell-{project.pk}-0-1" value="soon"' in page
    assert f'aria-describedby="cell-{project.pk}-0-1-error week-help" aria-invalid="true"' in page
    assert page.count('aria-describedby="week-help"') == 6  # the row's other days
    assert page.count(f'hx-post="{reverse("entry_week_cell")}"') == 7
