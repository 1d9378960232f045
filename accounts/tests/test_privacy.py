"""Privacy rights: a person's data export, and an admin's deactivation and erasure of a user."""

import json
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from accounts import services, signals
from accounts.models import SCOPES, ApiToken, Role, User
from accounts.tests.factories import TeamFactory, UserFactory
from tracking.models import TimeEntry
from tracking.tests.factories import ProjectFactory, TagFactory, TimeEntryFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def person(db):
    user = UserFactory(
        username="jdoe",
        email="jane.doe@example.com",
        full_name="Jane Doe",
        first_name="Jane",
        last_name="Doe",
        github_username="janedoe-gh",
        slack_user_id="U0JANEDOE",
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    SocialAccount.objects.create(
        user=user, provider="oidc", uid="sub-jane", extra_data={"userinfo": {"email": user.email, "name": "Jane Doe"}}
    )
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "TOTP-SECRET-VALUE"})
    TeamFactory(name="Design", members=[user])
    entry = TimeEntryFactory(user=user, project=ProjectFactory(name="Website"), notes="Mock-ups for the home page")
    entry.tags.add(TagFactory(name="design"))
    return user


# --- Export ---------------------------------------------------------------------------------------------------------


def test_the_export_holds_the_profile_entries_and_sign_in_links(person):
    data = services.user_data_export(user=person)

    assert data["profile"]["username"] == "jdoe"
    assert data["profile"]["email"] == "jane.doe@example.com"
    assert data["profile"]["full_name"] == "Jane Doe"
    assert data["profile"]["github_username"] == "janedoe-gh"
    assert data["profile"]["teams"] == [{"id": person.teams.get().pk, "name": "Design"}]
    [entry] = data["time_entries"]
    assert entry["notes"] == "Mock-ups for the home page"
    assert entry["tags"] == ["design"]
    assert entry["duration_seconds"] == 3600
    assert "Website" in entry["project"]
    assert data["single_sign_on"]["accounts"][0]["uid"] == "sub-jane"
    assert data["single_sign_on"]["two_factor"][0]["type"] == "totp"
    assert isinstance(data["api_tokens"], list)
    assert isinstance(data["integrations"], list)


def test_the_export_never_contains_a_secret_or_a_password_hash(person):
    text = json.dumps(services.user_data_export(user=person))

    assert "TOTP-SECRET-VALUE" not in text
    assert person.password not in text
    assert "pbkdf2" not in text and "md5$" not in text


def test_the_export_holds_only_the_persons_own_entries(person, other_member):
    TimeEntryFactory(user=other_member, notes="someone else's work")

    data = services.user_data_export(user=person)

    assert [e["notes"] for e in data["time_entries"]] == ["Mock-ups for the home page"]


def test_a_signed_in_person_downloads_their_data_as_json(client, person):
    client.force_login(person)

    response = client.get("/accounts/export/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="timetracker-jdoe-')
    assert json.loads(response.content)["profile"]["email"] == "jane.doe@example.com"


def test_the_export_page_needs_a_sign_in(client, db):
    response = client.get("/accounts/export/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_profile_page_links_to_the_export(client, person):
    client.force_login(person)

    page = client.get("/profile/").content.decode()

    assert 'href="/accounts/export/"' in page
    assert 'href="/accounts/2fa/"' in page


def test_the_command_prints_the_same_export(person):
    out = StringIO()

    call_command("export_user_data", "jane.doe@example.com", stdout=out)

    data = json.loads(out.getvalue())
    assert data["profile"]["username"] == "jdoe"
    assert len(data["time_entries"]) == 1


def test_the_command_says_clearly_when_the_user_does_not_exist(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("export_user_data", "nobody")


# --- Deactivation ---------------------------------------------------------------------------------------------------


def test_deactivation_stops_sign_in_keeps_time_and_records_who_and_when(client, person, admin_user):
    services.user_deactivate(actor=admin_user, user=person)

    person.refresh_from_db()
    assert not person.is_active
    assert person.deactivated_by == admin_user
    assert person.deactivated_at is not None
    assert person.email == "jane.doe@example.com"
    assert TimeEntry.objects.filter(user=person).count() == 1
    client.post("/accounts/login/", {"login": "jdoe", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


def test_a_deactivated_user_can_be_reactivated(person, admin_user):
    services.user_deactivate(actor=admin_user, user=person)

    services.user_reactivate(actor=admin_user, user=person)

    person.refresh_from_db()
    assert person.is_active
    assert person.deactivated_at is None


@pytest.mark.parametrize("role", [Role.MANAGER, Role.MEMBER, Role.VIEWER])
def test_only_admins_may_deactivate_or_erase(person, role):
    actor = UserFactory(role=role)

    with pytest.raises(PermissionDenied):
        services.user_deactivate(actor=actor, user=person)
    with pytest.raises(PermissionDenied):
        services.user_erase(actor=actor, user=person)

    person.refresh_from_db()
    assert person.is_active and person.erased_at is None


def test_the_last_active_admin_cannot_be_deactivated(admin_user):
    other_admin = UserFactory(role=Role.ADMIN)
    services.user_deactivate(actor=admin_user, user=other_admin)

    with pytest.raises(services.AccountError, match="last active admin"):
        services.user_deactivate(actor=other_admin, user=admin_user)


# --- Erasure --------------------------------------------------------------------------------------------------------


def test_erasure_leaves_no_personal_field_behind(person, admin_user):
    originals = {field: str(getattr(person, field)) for field in services.PERSONAL_FIELDS if getattr(person, field)}

    services.user_erase(actor=admin_user, user=person)

    person.refresh_from_db()
    for field in services.PERSONAL_FIELDS:
        value = str(getattr(person, field) or "")
        for original in originals.values():
            assert original not in value, f"{field} still holds personal data"
    assert person.first_name == person.last_name == person.github_username == person.slack_user_id == ""
    assert person.last_login is None
    assert not person.has_usable_password()
    row = json.dumps(list(User.objects.filter(pk=person.pk).values())[0], default=str)
    for personal in ("jdoe", "jane", "Jane", "Doe", "janedoe-gh", "U0JANEDOE"):
        assert personal not in row


def test_erasure_deletes_sign_in_links_and_two_factor_devices(person, admin_user):
    services.user_erase(actor=admin_user, user=person)

    assert not EmailAddress.objects.filter(user=person).exists()
    assert not SocialAccount.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not EmailAddress.objects.filter(email__iexact="jane.doe@example.com").exists()


def test_erasure_keeps_time_entries_under_the_anonymous_placeholder(person, admin_user):
    entry = TimeEntry.objects.get(user=person)

    services.user_erase(actor=admin_user, user=person)

    entry.refresh_from_db()
    assert entry.user_id == person.pk
    assert entry.user.username == f"erased-{person.pk}"
    assert entry.user.display_name == "Erased user"
    assert entry.duration_seconds == 3600


def test_erasure_is_recorded_and_announced(person, admin_user, django_capture_on_commit_callbacks):
    received = []
    signals.user_erased.connect(lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="test-erased")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.user_erase(actor=admin_user, user=person)
    finally:
        signals.user_erased.disconnect(dispatch_uid="test-erased")

    person.refresh_from_db()
    assert person.erased_by == admin_user
    assert person.erased_at is not None
    assert not person.is_active
    assert received == [{"signal": signals.user_erased, "user_id": person.pk, "actor_id": admin_user.pk}]


def test_an_erased_user_cannot_sign_in_any_more(client, person, admin_user):
    services.user_erase(actor=admin_user, user=person)

    client.post("/accounts/login/", {"login": "jane.doe@example.com", "password": PASSWORD})

    assert "_auth_user_id" not in client.session


def test_an_erased_user_cannot_be_reactivated(person, admin_user):
    services.user_erase(actor=admin_user, user=person)

    with pytest.raises(services.AccountError):
        services.user_reactivate(actor=admin_user, user=person)


def test_erasing_ends_the_persons_open_sessions(client, person, admin_user):
    client.force_login(person)
    assert client.get("/profile/").status_code == 200

    services.user_erase(actor=admin_user, user=person)

    assert client.get("/profile/").status_code == 302


def test_erasure_removes_the_name_from_the_admin_history(person, admin_user):
    from django.contrib.admin.models import CHANGE, LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        user=admin_user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(person.pk),
        object_repr="jdoe",
        action_flag=CHANGE,
        change_message="Changed email of Jane Doe",
    )

    services.user_erase(actor=admin_user, user=person)

    entry = LogEntry.objects.get(object_id=str(person.pk))
    assert entry.object_repr == f"erased-{person.pk}"
    assert "Jane" not in entry.change_message


# --- With API tokens -------------------------------------------------------------------------------------------------


def test_the_export_lists_api_token_metadata_but_never_the_token(person):
    token, raw = services.api_token_create(actor=person, name="Laptop script", scopes=[SCOPES[0]])

    data = services.user_data_export(user=person)

    assert [t["name"] for t in data["api_tokens"]] == ["Laptop script"]
    assert raw not in json.dumps(data)
    assert all("hash" not in key for t in data["api_tokens"] for key in t)


def test_erasure_deletes_the_persons_api_tokens(person, admin_user):
    services.api_token_create(actor=person, name="Laptop script", scopes=[SCOPES[0]])

    services.user_erase(actor=admin_user, user=person)

    assert not ApiToken.objects.filter(owner=person).exists()
