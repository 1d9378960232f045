"""Each app registers the access rules of its own models with accounts.policy; the policy names no other app."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts import policy
from accounts.models import Role
from accounts.tests.factories import UserFactory
from analytics.models import ActivityLog
from integrations.models import Integration, WebhookDelivery
from tracking.models import Client, Project, Tag, Task, TimeEntry


@pytest.mark.parametrize("model", [TimeEntry, Project, Task, Client, Tag, Integration, ActivityLog])
def test_each_app_registered_the_rules_of_its_models(model):
    assert model in policy._RULES


def test_the_policy_module_does_not_name_other_apps():
    source = (Path(policy.__file__)).read_text()
    for label in ("tracking.", "integrations.", "analytics."):
        assert f'"{label}' not in source


def test_a_model_without_rules_is_for_admins_only(db):
    admin, manager = UserFactory(role=Role.ADMIN), UserFactory(role=Role.MANAGER)

    assert policy.can(admin, policy.VIEW, WebhookDelivery)
    assert not policy.can(manager, policy.VIEW, WebhookDelivery)
    assert policy.visible(manager, WebhookDelivery.objects.all()).query.is_empty()
    assert not policy.visible(admin, WebhookDelivery.objects.all()).query.is_empty()


def test_trackable_projects_asks_trackings_rule(db):
    member = UserFactory(role=Role.MEMBER)
    open_project = Project.objects.create(name="Open", is_public=True)
    Project.objects.create(name="Closed", is_public=False)
    Project.objects.create(name="Archived", is_public=True, archived=True)

    assert list(policy.trackable_projects(member)) == [open_project]
