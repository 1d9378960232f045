"""Local sign-in: username or email with a password, rate limits, logout, password reset, OIDC_ONLY, two-factor."""

import pytest
from allauth.mfa.models import Authenticator

from accounts import signals
from accounts.tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def captured():
    """Domain signals of accounts received, as (signal name, kwargs); wrap the action in on-commit capturing."""
    received = []
    names = {"user_logged_in": signals.user_logged_in, "user_logged_out": signals.user_logged_out}
    for name, signal in names.items():
        signal.connect(
            lambda sender, _name=name, **kw: received.append((_name, kw)), weak=False, dispatch_uid=f"test-{name}"
        )
    yield received
    for name, signal in names.items():
        signal.disconnect(dispatch_uid=f"test-{name}")


def _signed_in_id(client):
    return client.session.get("_auth_user_id")


@pytest.mark.parametrize("login", ["username", "email"])
def test_a_person_signs_in_with_username_or_email_and_a_password(client, member, login):
    response = client.post("/accounts/login/", {"login": getattr(member, login), "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert _signed_in_id(client) == str(member.pk)


def test_a_local_sign_in_sends_user_logged_in_with_method_local(
    client, member, captured, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})

    assert ("user_logged_in", {"signal": signals.user_logged_in, "user_id": member.pk, "method": "local"}) in captured


def test_signing_out_sends_user_logged_out(client, member, captured, django_capture_on_commit_callbacks):
    client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/logout/")

    assert _signed_in_id(client) is None
    assert ("user_logged_out", {"signal": signals.user_logged_out, "user_id": member.pk}) in captured


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, member):
    response = client.post("/accounts/login/", {"login": member.username, "password": "wrong"})

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert _signed_in_id(client) is None


def test_repeated_failed_sign_ins_are_rate_limited_even_with_the_right_password_afterwards(client, member, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "100/m/ip,3/5m/key"}
    for _ in range(3):
        client.post("/accounts/login/", {"login": member.username, "password": "wrong"})

    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert _signed_in_id(client) is None


def test_the_failed_sign_in_limit_of_one_account_does_not_lock_out_another(client, member, other_member, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login_failed": "100/m/ip,3/5m/key"}
    for _ in range(3):
        client.post("/accounts/login/", {"login": member.username, "password": "wrong"})

    client.post("/accounts/login/", {"login": other_member.username, "password": PASSWORD})

    assert _signed_in_id(client) == str(other_member.pk)


def test_password_reset_sends_a_link_by_email(client, member, mailoutbox):
    response = client.post("/accounts/password/reset/", {"email": member.email})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [member.email]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_sign_up_is_closed_by_default(client, db):
    response = client.get("/accounts/signup/")

    assert "Sign Up Closed" in response.content.decode() or response.status_code == 403


def test_the_admin_site_signs_in_through_the_account_sign_in_page(client, db):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_deactivated_user_cannot_sign_in(client, db):
    user = UserFactory(is_active=False)

    client.post("/accounts/login/", {"login": user.username, "password": PASSWORD})

    assert _signed_in_id(client) is None


# --- OIDC_ONLY: single sign-on only, with a break-glass page for administrators ---------------------------------------


@pytest.fixture
def oidc_only(settings):
    settings.OIDC_ONLY = True
    return settings


def test_with_oidc_only_the_sign_in_page_shows_no_password_form(client, db, oidc_only):
    page = client.get("/accounts/login/").content.decode()

    assert 'name="password"' not in page


def test_with_oidc_only_a_password_sign_in_is_refused(client, oidc_only, member):
    response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})

    assert "Password sign-in is turned off" in response.content.decode()
    assert _signed_in_id(client) is None


def test_with_oidc_only_an_admin_signs_in_with_a_password_on_the_break_glass_page(client, oidc_only, admin_user):
    page = client.get("/accounts/login/local/").content.decode()
    assert 'name="password"' in page

    client.post("/accounts/login/local/", {"login": admin_user.username, "password": PASSWORD})

    assert _signed_in_id(client) == str(admin_user.pk)


def test_with_oidc_only_the_break_glass_page_refuses_everyone_but_admins(client, oidc_only, manager):
    response = client.post("/accounts/login/local/", {"login": manager.username, "password": PASSWORD})

    assert "Password sign-in is turned off" in response.content.decode()
    assert _signed_in_id(client) is None


# --- Two-factor authentication required for admins --------------------------------------------------------------------


def test_an_admin_without_two_factor_is_sent_to_set_it_up_when_it_is_required(client, settings, admin_user):
    settings.MFA_REQUIRED_FOR_ADMINS = True
    client.post("/accounts/login/", {"login": admin_user.username, "password": PASSWORD})

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_an_admin_with_two_factor_set_up_goes_on(client, settings, admin_user):
    settings.MFA_REQUIRED_FOR_ADMINS = True
    Authenticator.objects.create(user=admin_user, type=Authenticator.Type.TOTP, data={"secret": "unused"})
    client.force_login(admin_user)

    response = client.get("/admin/")

    assert response.status_code == 200


def test_two_factor_is_not_forced_on_other_roles(client, settings, manager):
    settings.MFA_REQUIRED_FOR_ADMINS = True
    client.post("/accounts/login/", {"login": manager.username, "password": PASSWORD})

    assert client.get("/admin/").status_code == 200


def test_two_factor_is_not_forced_on_admins_when_not_required(client, settings, admin_user):
    settings.MFA_REQUIRED_FOR_ADMINS = False
    client.post("/accounts/login/", {"login": admin_user.username, "password": PASSWORD})

    assert client.get("/admin/").status_code == 200


@pytest.mark.parametrize("url", ["/accounts/password/reset/", "/accounts/2fa/", "/accounts/password/change/"])
def test_account_pages_render_inside_the_site_layout(client, member, url):
    client.force_login(member)

    page = client.get(url).content.decode()

    assert "· TimeTracker</title>" in page
    assert "<main" in page


def test_people_cannot_add_email_addresses_to_their_account(client, member):
    client.force_login(member)

    page = client.get("/accounts/email/")
    post = client.post("/accounts/email/", {"action_add": "", "email": "someone.else@example.com"})

    assert "managed by your administrator" in page.content.decode()
    assert post.status_code == 405
    member.refresh_from_db()
    assert member.email != "someone.else@example.com"
    assert not member.emailaddress_set.filter(email="someone.else@example.com").exists()


def test_a_session_without_remember_me_ends_with_the_browser(client, member):
    client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})

    assert client.session.get_expire_at_browser_close()


def test_a_remembered_session_expires_after_the_session_age(client, member, settings):
    settings.SESSION_COOKIE_AGE = 3600

    client.post("/accounts/login/", {"login": member.username, "password": PASSWORD, "remember": "on"})

    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 3600
