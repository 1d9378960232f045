"""The user admin: role changes through the service, and the deactivate / erase actions behind a confirm page."""

import pytest

from accounts import signals
from accounts.models import Role, User
from accounts.tests.factories import UserFactory
from tracking.models import TimeEntry
from tracking.tests.factories import TimeEntryFactory


def _change_data(user, **overrides):
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "timezone": user.timezone,
        "rounding_mode": user.rounding_mode,
        "rounding_minutes": user.rounding_minutes,
        "github_username": "",
        "slack_user_id": "",
        "role": user.role,
    }
    data.update(overrides)
    return data


def test_an_admin_changing_a_role_records_and_announces_it(
    client, admin_user, member, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    received = []
    signals.user_role_changed.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="test-admin")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/admin/accounts/user/{member.pk}/change/", _change_data(member, role="viewer"))
    finally:
        signals.user_role_changed.disconnect(dispatch_uid="test-admin")

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.role == Role.VIEWER
    assert received == [
        {
            "signal": signals.user_role_changed,
            "user_id": member.pk,
            "actor_id": admin_user.pk,
            "old_role": "member",
            "new_role": "viewer",
        }
    ]


def test_the_last_admin_cannot_be_demoted_and_the_form_says_why(client, admin_user):
    client.force_login(admin_user)

    response = client.post(f"/admin/accounts/user/{admin_user.pk}/change/", _change_data(admin_user, role="member"))

    assert response.status_code == 200
    assert "last active admin" in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.role == Role.ADMIN


def test_a_manager_cannot_change_users_in_the_admin(client, manager, member):
    client.force_login(manager)

    response = client.post(f"/admin/accounts/user/{member.pk}/change/", _change_data(member, role="admin"))

    assert response.status_code == 403
    member.refresh_from_db()
    assert member.role == Role.MEMBER


@pytest.mark.parametrize("action", ["deactivate_users", "erase_users"])
def test_a_privacy_action_asks_for_confirmation_first(client, admin_user, member, action):
    client.force_login(admin_user)

    response = client.post("/admin/accounts/user/", {"action": action, "_selected_action": [member.pk]})

    assert response.status_code == 200
    assert "Yes," in response.content.decode()
    member.refresh_from_db()
    assert member.is_active and member.erased_at is None


def test_confirmed_deactivation_keeps_the_time(client, admin_user, member):
    TimeEntryFactory(user=member)
    client.force_login(admin_user)

    client.post(
        "/admin/accounts/user/", {"action": "deactivate_users", "_selected_action": [member.pk], "confirm": "yes"}
    )

    member.refresh_from_db()
    assert not member.is_active
    assert member.deactivated_by == admin_user
    assert TimeEntry.objects.filter(user=member).count() == 1


def test_confirmed_erasure_anonymises_the_user(client, admin_user, member):
    client.force_login(admin_user)
    email = member.email

    client.post("/admin/accounts/user/", {"action": "erase_users", "_selected_action": [member.pk], "confirm": "yes"})

    member.refresh_from_db()
    assert member.erased_by == admin_user
    assert not User.objects.filter(email=email).exists()


def test_a_manager_is_not_offered_the_privacy_actions(client, manager, member):
    client.force_login(manager)
    UserFactory()

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 200
    assert "erase_users" not in response.content.decode()


def test_an_admin_is_offered_the_privacy_actions(client, admin_user):
    client.force_login(admin_user)

    page = client.get("/admin/accounts/user/").content.decode()

    assert "erase_users" in page
    assert "deactivate_users" in page
