import hashlib
import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts import policy
from accounts.models import ApiToken, Role
from accounts.services import api_token_authenticate, api_token_create, api_token_revoke
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_token_is_tt_and_40_url_safe_characters_and_only_its_hash_is_stored(member):
    token, raw = api_token_create(actor=member, name="script", scopes=["read:time_entries"])
    assert re.fullmatch(r"tt_[A-Za-z0-9_-]{40}", raw)
    token.refresh_from_db()
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert token.prefix == raw[:11]


def test_two_tokens_differ(member):
    _, first = api_token_create(actor=member, name="a", scopes="read:clients")
    _, second = api_token_create(actor=member, name="b", scopes="read:clients")
    assert first != second


def test_scopes_accept_a_comma_separated_string_and_are_normalised(member):
    token, _ = api_token_create(
        actor=member, name="a", scopes="write:time_entries, read:time_entries,read:time_entries"
    )
    assert token.scopes == ["read:time_entries", "write:time_entries"]


@pytest.mark.parametrize("scopes", ["read:everything", "", "admin"])
def test_unknown_empty_or_admin_scopes_for_a_member_are_refused(member, scopes):
    with pytest.raises(ValidationError) as exc:
        api_token_create(actor=member, name="a", scopes=scopes)
    assert "scopes" in exc.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name_and_a_future_expiry(member):
    with pytest.raises(ValidationError):
        api_token_create(actor=member, name="  ", scopes="read:clients")
    with pytest.raises(ValidationError):
        api_token_create(actor=member, name="a", scopes="read:clients", expires_at=timezone.now() - timedelta(days=1))


def test_admin_scope_implies_every_scope_only_while_the_owner_is_admin(admin_user):
    token, _ = api_token_create(actor=admin_user, name="ops", scopes=["admin"])
    assert token.has_scope("write:clients")
    admin_user.role = Role.MEMBER
    admin_user.save()
    token.refresh_from_db()
    assert not token.has_scope("write:clients")


def test_authenticate_finds_an_active_token_and_records_its_use(member):
    token, raw = api_token_create(actor=member, name="a", scopes="read:clients")
    found = api_token_authenticate(raw)
    assert found == token
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.parametrize("raw", ["", "tt_short", "Bearer x", "tt_" + "?" * 40, "tt_" + "a" * 40])
def test_authenticate_refuses_malformed_or_unknown_tokens(raw, member):
    api_token_create(actor=member, name="a", scopes="read:clients")
    assert api_token_authenticate(raw) is None


def test_expired_revoked_and_deactivated_owner_tokens_do_not_authenticate(member):
    expired, raw_expired = api_token_create(
        actor=member, name="a", scopes="read:clients", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_authenticate(raw_expired) is None

    revoked, raw_revoked = api_token_create(actor=member, name="b", scopes="read:clients")
    api_token_revoke(actor=member, token=revoked)
    assert api_token_authenticate(raw_revoked) is None

    _, raw_active = api_token_create(actor=member, name="c", scopes="read:clients")
    member.is_active = False
    member.save()
    assert api_token_authenticate(raw_active) is None


def test_only_the_owner_or_an_admin_may_revoke(member, other_member, admin_user):
    token, _ = api_token_create(actor=member, name="a", scopes="read:clients")
    with pytest.raises(policy.PolicyDenied):
        api_token_revoke(actor=other_member, token=token)
    api_token_revoke(actor=admin_user, token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_command_prints_a_working_token_once(member):
    out, err = StringIO(), StringIO()
    call_command(
        "create_api_token",
        member.username,
        "--name",
        "cli",
        "--scopes",
        "read:time_entries,write:time_entries",
        "--expires-days",
        "30",
        stdout=out,
        stderr=err,
    )
    raw = out.getvalue().strip()
    token = api_token_authenticate(raw)
    assert token is not None and token.owner == member
    assert token.scopes == ["read:time_entries", "write:time_entries"]
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert "cannot be shown again" in err.getvalue()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nobody", "--name", "x", "--scopes", "read:clients"], "No user"),
        (["{user}", "--name", "x", "--scopes", "read:nothing"], "Unknown scopes"),
        (["{user}", "--name", "x", "--scopes", "admin"], "Only administrators"),
        (["{user}", "--name", "x", "--scopes", "read:clients", "--expires-days", "0"], "1 or more"),
    ],
)
def test_command_explains_what_is_wrong(member, args, message):
    args = [a.format(user=member.username) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("create_api_token", *args, stdout=StringIO(), stderr=StringIO())


def test_admin_creates_a_token_shown_once_and_revokes_it(client, admin_user):
    owner = UserFactory()
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"owner": owner.pk, "name": "from admin", "scopes": ["read:clients", "read:projects"], "expires_at": ""},
        follow=True,
    )
    assert response.status_code == 200
    shown = re.search(r"tt_[A-Za-z0-9_-]{40}", response.content.decode())
    assert shown, "the new token is shown to the admin"
    token = api_token_authenticate(shown.group(0))
    assert token.owner == owner and token.scopes == ["read:clients", "read:projects"]
    listing = client.get("/admin/accounts/apitoken/").content.decode()
    assert shown.group(0) not in listing

    client.post("/admin/accounts/apitoken/", {"action": "revoke_tokens", "_selected_action": [token.pk]})
    assert api_token_authenticate(shown.group(0)) is None


def test_a_token_created_in_the_admin_never_travels_in_a_cookie(client, admin_user):
    """The messages cookie is signed, not encrypted: the token is shown in the response to the POST itself."""
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/apitoken/add/",
        {"owner": UserFactory().pk, "name": "once", "scopes": ["read:clients"], "expires_at": ""},
    )
    assert response.status_code == 200
    raw = re.search(r"tt_[A-Za-z0-9_-]{40}", response.content.decode()).group(0)
    assert api_token_authenticate(raw) is not None
    cookies = " ".join(f"{c.key}={c.value}" for c in response.cookies.values())
    assert raw not in cookies and "messages" not in response.cookies
    stored = client.get("/admin/accounts/apitoken/")
    assert raw not in stored.content.decode()
    assert raw not in str(client.session.items())


def test_admin_form_refuses_the_admin_scope_for_a_member(client, admin_user, member):
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/apitoken/add/", {"owner": member.pk, "name": "x", "scopes": ["admin"], "expires_at": ""}
    )
    assert response.status_code == 200
    assert "Only administrators may hold the admin scope." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_managers_cannot_create_tokens_in_the_admin(client, manager):
    client.force_login(manager)
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403


def test_a_token_for_someone_else_needs_the_right_to_manage_users(member, other_member, admin_user):
    with pytest.raises(policy.PolicyDenied):
        api_token_create(actor=member, owner=other_member, name="theirs", scopes="read:clients")
    assert not ApiToken.objects.filter(owner=other_member).exists()

    token, _ = api_token_create(actor=admin_user, owner=other_member, name="theirs", scopes="read:clients")
    assert token.owner == other_member


def test_the_admin_scope_follows_the_owner_not_the_admin_who_creates_the_token(admin_user, member):
    with pytest.raises(ValidationError):
        api_token_create(actor=admin_user, owner=member, name="x", scopes="admin")
