"""Reading the single sign-on settings: the role map, the groups claim, and the start-up checks."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from accounts import checks, oidc


def test_the_role_map_is_read_from_group_equals_role_pairs():
    assert oidc.parse_role_map(" tt-admins=admin, tt-managers = manager,staff=member,finance=viewer ") == {
        "tt-admins": "admin",
        "tt-managers": "manager",
        "staff": "member",
        "finance": "viewer",
    }


def test_a_group_name_may_contain_an_equals_sign():
    assert oidc.parse_role_map("team=a=admin") == {"team=a": "admin"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [("tt-admins=boss", "not a role"), ("justagroup", "not of the form"), ("=admin", "not of the form")],
)
def test_a_wrong_role_map_is_refused_naming_the_bad_part(raw, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        oidc.parse_role_map(raw)


def test_the_most_privileged_matching_role_wins(settings):
    settings.OIDC_ROLE_MAP = "staff=member,finance=viewer,tt-managers=manager"

    assert oidc.role_for_groups(["finance", "staff"]) == "member"
    assert oidc.role_for_groups(["finance", "tt-managers"]) == "manager"


def test_without_a_matching_group_the_default_role_applies(settings):
    settings.OIDC_ROLE_MAP = "staff=member"
    settings.OIDC_DEFAULT_ROLE = "viewer"

    assert oidc.role_for_groups(["marketing"]) == "viewer"
    assert oidc.role_for_groups([]) == "viewer"


def test_without_a_role_map_single_sign_on_does_not_manage_roles(settings):
    settings.OIDC_ROLE_MAP = ""

    assert oidc.role_for_groups(["tt-admins"]) is None


@pytest.mark.parametrize(
    ("claims", "groups"),
    [
        ({"groups": ["a", "b"]}, ["a", "b"]),
        ({"groups": "a b"}, ["a", "b"]),
        ({"groups": "a,b"}, ["a", "b"]),
        ({}, []),
        ({"groups": {"unexpected": "shape"}}, []),
    ],
)
def test_the_groups_claim_is_read_as_a_list_of_names(settings, claims, groups):
    settings.OIDC_GROUPS_CLAIM = "groups"

    assert oidc.groups_from_claims(claims) == groups


def test_the_groups_claim_name_is_configurable(settings):
    settings.OIDC_GROUPS_CLAIM = "roles"

    assert oidc.groups_from_claims({"roles": ["x"], "groups": ["y"]}) == ["x"]


def test_userinfo_claims_win_over_the_id_token():
    merged = oidc.claims_of({"id_token": {"groups": ["old"], "sub": "1"}, "userinfo": {"groups": ["new"]}})

    assert merged == {"groups": ["new"], "sub": "1"}


def test_the_start_up_check_reports_a_wrong_role_map(settings):
    settings.OIDC_ROLE_MAP = "admins=superuser"

    errors = checks.check_oidc_settings(None)

    assert [e.id for e in errors] == ["accounts.E001"]
    assert "superuser" in errors[0].msg


def test_the_start_up_check_reports_a_provider_without_a_client_id(settings):
    settings.OIDC_ROLE_MAP = ""
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {"APPS": [{"provider_id": "oidc", "client_id": "", "settings": {"server_url": "x"}}]}
    }

    assert [e.id for e in checks.check_oidc_settings(None)] == ["accounts.E002"]


def test_the_start_up_check_passes_a_good_configuration(settings):
    settings.OIDC_ROLE_MAP = "tt-admins=admin"
    settings.OIDC_DEFAULT_ROLE = "member"

    assert checks.check_oidc_settings(None) == []
