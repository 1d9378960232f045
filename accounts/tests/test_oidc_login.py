"""Single sign-on end to end against a real OpenID Connect provider (panva's oidc-provider on 127.0.0.1)."""

import pytest

from accounts import signals
from accounts.models import Role, User
from accounts.tests.conftest import provider_app, sign_in_with_provider
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=False)


def _signed_in_user(client):
    return User.objects.get(pk=client.session["_auth_user_id"]) if "_auth_user_id" in client.session else None


def test_first_sign_in_creates_the_user_logged_in_with_the_role_of_their_groups(client, oidc_settings):
    response = sign_in_with_provider(client, "alice")

    assert response.status_code == 302
    assert response["Location"] == "/"
    user = User.objects.get(email="alice@example.com")
    assert _signed_in_user(client) == user
    assert user.username == "alice"
    assert user.full_name == "Alice Example"
    assert user.role == Role.MANAGER  # staff=member and tt-managers=manager: the more privileged wins
    assert not user.has_usable_password()


def test_sign_in_sends_user_logged_in_with_method_oidc_after_commit(
    client, oidc_settings, django_capture_on_commit_callbacks
):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    signals.user_logged_in.connect(receiver, dispatch_uid="test-oidc-login")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sign_in_with_provider(client, "bob")
    finally:
        signals.user_logged_in.disconnect(dispatch_uid="test-oidc-login")

    user = User.objects.get(username="bob")
    assert received == [{"signal": signals.user_logged_in, "user_id": user.pk, "method": signals.OIDC}]


def test_a_person_without_a_mapped_group_gets_the_default_role(client, oidc_settings):
    oidc_settings.OIDC_DEFAULT_ROLE = "viewer"

    sign_in_with_provider(client, "dave")

    assert User.objects.get(username="dave").role == Role.VIEWER


def test_the_role_map_is_applied_again_at_every_sign_in(client, oidc_settings, django_capture_on_commit_callbacks):
    sign_in_with_provider(client, "bob")
    bob = User.objects.get(username="bob")
    assert bob.role == Role.VIEWER
    client.post("/accounts/logout/")
    oidc_settings.OIDC_ROLE_MAP = "finance=manager"
    changes = []
    signals.user_role_changed.connect(lambda sender, **kw: changes.append(kw), weak=False, dispatch_uid="test-role")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            sign_in_with_provider(client, "bob")
    finally:
        signals.user_role_changed.disconnect(dispatch_uid="test-role")

    bob.refresh_from_db()
    assert bob.role == Role.MANAGER
    assert _signed_in_user(client) == bob
    assert User.objects.filter(username__startswith="bob").count() == 1
    assert changes == [
        {
            "signal": signals.user_role_changed,
            "user_id": bob.pk,
            "actor_id": None,
            "old_role": "viewer",
            "new_role": "manager",
        }
    ]


def test_an_admin_set_role_is_kept_when_no_role_map_is_configured(client, oidc_settings):
    oidc_settings.OIDC_ROLE_MAP = ""
    sign_in_with_provider(client, "carol")
    carol = User.objects.get(username="carol")
    assert carol.role == Role.MEMBER  # the default role on provisioning
    carol.role = Role.MANAGER
    carol.save()
    client.post("/accounts/logout/")

    sign_in_with_provider(client, "carol")

    carol.refresh_from_db()
    assert carol.role == Role.MANAGER


def test_an_existing_local_user_with_the_same_email_is_signed_in_not_duplicated(client, oidc_settings):
    erin = UserFactory(username="erin", email="erin.local@example.com", role=Role.VIEWER)

    sign_in_with_provider(client, "erin")

    assert _signed_in_user(client) == erin
    assert User.objects.filter(email__iexact="erin.local@example.com").count() == 1
    erin.refresh_from_db()
    assert erin.role == Role.MEMBER  # staff=member
    assert not erin.has_usable_password()  # the unverified local address no longer opens the account by password
    assert erin.socialaccount_set.get().provider == "oidc"


def test_a_deactivated_user_cannot_sign_in_with_single_sign_on(client, oidc_settings):
    UserFactory(username="erin", email="erin.local@example.com", is_active=False)

    response = sign_in_with_provider(client, "erin")

    assert _signed_in_user(client) is None
    assert response.status_code in (200, 302)
    assert "inactive" in (response.get("Location", "") + response.content.decode()).lower()


def test_wrong_client_secret_shows_a_clear_error_and_creates_nobody(client, oidc_settings, oidc_provider):
    oidc_settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": [provider_app(oidc_provider, secret="not-the-secret")]}
    }
    before = User.objects.count()

    response = sign_in_with_provider(client, "alice")

    assert response.status_code == 400
    page = response.content.decode()
    assert "Single sign-on failed" in page
    assert "OIDC_CLIENT_SECRET" in page
    assert "not-the-secret" not in page
    assert User.objects.count() == before
    assert _signed_in_user(client) is None


def test_an_id_token_from_another_issuer_is_refused_with_a_clear_error(client, oidc_settings, oidc_provider):
    # The discovery document says the issuer is someone else: the provider's ID token no longer matches it.
    app = provider_app(
        oidc_provider, settings={"openid_configuration_overrides": {"issuer": "https://idp.example.org"}}
    )
    oidc_settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [app]}}
    before = User.objects.count()

    response = sign_in_with_provider(client, "alice")

    assert response.status_code == 400
    assert "issuer" in response.content.decode()
    assert User.objects.count() == before
    assert _signed_in_user(client) is None


def test_an_unreachable_provider_shows_a_clear_error(client, oidc_settings, oidc_provider, unused_tcp_port):
    app = provider_app(oidc_provider, settings={"server_url": f"http://127.0.0.1:{unused_tcp_port}"})
    oidc_settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": [app]}}

    response = client.post("/accounts/oidc/oidc/login/")

    assert response.status_code == 502
    assert "could not be reached" in response.content.decode()


def test_several_providers_each_have_a_button_and_sign_in(client, oidc_settings, oidc_provider):
    oidc_settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                provider_app(oidc_provider, provider_id="oidc", name="Example SSO"),
                provider_app(oidc_provider, provider_id="corp", name="Corporate Login"),
            ]
        }
    }
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with Example SSO" in page
    assert "Sign in with Corporate Login" in page

    sign_in_with_provider(client, "alice", provider_id="corp")

    alice = User.objects.get(username="alice")
    assert _signed_in_user(client) == alice
    assert alice.socialaccount_set.get().provider == "corp"


def test_the_login_page_names_the_provider_on_its_button(client, oidc_settings):
    page = client.get("/accounts/login/").content.decode()

    assert "Sign in with Example SSO" in page
    assert 'name="password"' in page
