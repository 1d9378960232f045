"""The catalog reads: one function per list for the API, the pages and the forms."""

import importlib.util

import pytest

from tracking import selectors
from tracking.exceptions import InvalidFilter
from tracking.tests.factories import ClientFactory, ProjectFactory, TaskFactory

pytestmark = pytest.mark.django_db


def test_there_is_one_catalog_selector_module_and_the_package_exports_it():
    assert importlib.util.find_spec("tracking.ui_selectors") is None
    assert selectors.client_list is selectors.catalog.client_list
    assert selectors.tag_list is selectors.catalog.tag_list


def test_clients_come_by_name_with_their_open_project_count(admin_user):
    acme = ClientFactory(name="Acme")
    ClientFactory(name="Zeta")
    ClientFactory(name="Beta")
    ProjectFactory(client=acme)
    ProjectFactory(client=acme, archived=True)

    clients = list(selectors.client_list(viewer=admin_user))

    assert [c.name for c in clients] == ["Acme", "Beta", "Zeta"]
    assert clients[0].project_count == 1


def test_search_matches_any_of_the_lists_text_fields(admin_user):
    ClientFactory(name="Acme", contact="jane@acme.test")
    ClientFactory(name="Other")
    website = ProjectFactory(name="Website", code="WEB")
    TaskFactory(project=website, name="Header", description="new logo")

    assert [c.name for c in selectors.client_list(viewer=admin_user, filters={"search": "jane@"})] == ["Acme"]
    assert list(selectors.project_list(viewer=admin_user, filters={"search": "web"})) == [website]
    assert [t.name for t in selectors.task_list(viewer=admin_user, filters={"search": "LOGO"})] == ["Header"]


def test_tags_take_no_search_filter_and_unknown_filters_are_refused(admin_user):
    with pytest.raises(InvalidFilter):
        selectors.tag_list(viewer=admin_user, filters={"search": "x"})
    with pytest.raises(InvalidFilter):
        selectors.client_list(viewer=admin_user, filters={"colour": "red"})
