"""Identification on login: person properties under a pseudonymous, stable distinct id."""

import pytest

from accounts import signals as accounts_signals
from accounts.models import Role
from accounts.tests.factories import UserFactory
from analytics import services
from analytics.events import AUTH_LOGIN


def _login(user, method):
    accounts_signals.user_logged_in.send(sender=type(user), user_id=user.pk, method=method)


def _person_events(server, kind):
    return [e for e in server.events() if e["event"] == kind]


@pytest.mark.django_db
def test_local_login_sets_role_admin_flag_auth_method_and_login_times(posthog, admin_user):
    _login(admin_user, accounts_signals.LOCAL)

    ident = services.distinct_id(admin_user.pk)
    [set_event] = _person_events(posthog, "$set")
    assert set_event["distinct_id"] == ident
    props = set_event["$set"]
    assert props["role"] == Role.ADMIN
    assert props["is_admin"] is True
    assert props["auth_method"] == "local"
    assert props["last_login"]
    [set_once] = _person_events(posthog, "$set_once")
    assert set_once["distinct_id"] == ident
    assert set_once["$set_once"]["signup_method"] == "local"
    assert set_once["$set_once"]["first_login"] == props["last_login"]
    [login] = posthog.events_named(AUTH_LOGIN)
    assert login["distinct_id"] == ident
    assert login["properties"]["auth_method"] == "local"


@pytest.mark.django_db
def test_sso_login_reports_oidc_as_the_auth_method(posthog, member):
    _login(member, accounts_signals.OIDC)

    [set_event] = _person_events(posthog, "$set")
    assert set_event["$set"]["auth_method"] == "oidc"
    assert set_event["$set"]["role"] == Role.MEMBER
    assert set_event["$set"]["is_admin"] is False
    [set_once] = _person_events(posthog, "$set_once")
    assert set_once["$set_once"]["signup_method"] == "oidc"


@pytest.mark.django_db
def test_distinct_id_is_stable_pseudonymous_and_the_same_for_events_and_flags(posthog, member):
    posthog.flags = {"activity-widget": True}
    _login(member, accounts_signals.LOCAL)
    _login(member, accounts_signals.LOCAL)
    from analytics.flags import flag_enabled

    flag_enabled(member, "activity-widget")

    ids = {e["distinct_id"] for e in posthog.events()}
    [flag_request] = posthog.flag_requests()
    assert ids == {flag_request.body["distinct_id"]}
    ident = ids.pop()
    assert len(ident) == 32
    assert str(member.pk) != ident
    for personal in (member.username, member.email, member.full_name):
        assert personal not in ident
    other = UserFactory()
    assert services.distinct_id(other.pk) != ident


@pytest.mark.django_db
def test_djangos_own_login_signal_sends_nothing_analytics_listens_only_to_the_domain_signal(posthog, client, member):
    client.force_login(member)  # django.contrib.auth's own signal, not accounts.signals.user_logged_in

    assert posthog.requests == []
