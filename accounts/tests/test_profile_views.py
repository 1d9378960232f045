"""The profile page: settings and API tokens."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_authenticate, api_token_create
from tracking.tests.factories import TimeEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(member):
    client = Client()
    client.force_login(member)
    return client


def test_profile_saves_name_timezone_rounding_and_identities(signed_in, member):
    response = signed_in.post(
        reverse("profile"),
        {
            "full_name": "Sam Sample",
            "timezone": "America/New_York",
            "rounding_mode": "up",
            "rounding_minutes": "15",
            "github_username": "samdev",
            "slack_user_id": "U012AB3CD",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.timezone, member.rounding_mode, member.rounding_minutes) == (
        "Sam Sample",
        "America/New_York",
        "up",
        15,
    )
    assert (member.github_username, member.slack_user_id) == ("samdev", "U012AB3CD")


def _profile(**identities) -> dict:
    return {"full_name": "Sam", "timezone": "UTC", "rounding_mode": "none", "rounding_minutes": "1", **identities}


@pytest.mark.parametrize(
    ("field", "taken_by_other", "given", "message"),
    [
        ("slack_user_id", "U0OTHER99", "u0other99", "already linked to another person"),
        ("slack_user_id", "U0OTHER99", "U0OTHER99", "already linked to another person"),
        ("github_username", "Octo-Cat", "octo-cat", "Another person already uses this GitHub username"),
        ("github_username", "Octo-Cat", "OCTO-CAT", "Another person already uses this GitHub username"),
    ],
)
def test_another_persons_identity_is_refused_in_any_case(
    signed_in, member, other_member, field, taken_by_other, given, message
):
    setattr(other_member, field, taken_by_other)
    other_member.save()
    response = signed_in.post(reverse("profile"), _profile(**{field: given}))
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    member.refresh_from_db()
    assert getattr(member, field) == ""


@pytest.mark.parametrize(
    ("field", "given"),
    [
        ("slack_user_id", "not an id"),
        ("slack_user_id", "X012AB3CD"),
        ("github_username", "-leading"),
        ("github_username", "two--hyphens"),
        ("github_username", "has space"),
        ("github_username", "a" * 40),
    ],
)
def test_identities_must_look_like_the_providers(signed_in, member, field, given):
    response = signed_in.post(reverse("profile"), _profile(**{field: given}))
    assert response.status_code == 400
    assert field in response.context["form"].errors


def test_a_slack_id_is_stored_upper_case_and_ones_own_identity_may_be_saved_again(signed_in, member):
    assert (
        signed_in.post(reverse("profile"), _profile(slack_user_id="u012ab3cd", github_username="Sam")).status_code
        == 302
    )
    assert (
        signed_in.post(reverse("profile"), _profile(slack_user_id="U012AB3CD", github_username="sam")).status_code
        == 302
    )
    member.refresh_from_db()
    assert (member.slack_user_id, member.github_username) == ("U012AB3CD", "sam")


def test_unknown_timezone_is_refused_next_to_the_field(signed_in, member):
    response = signed_in.post(
        reverse("profile"), {"timezone": "Mars/Olympus", "rounding_mode": "none", "rounding_minutes": "15"}
    )
    assert response.status_code == 400
    assert "timezone" in response.context["form"].errors
    member.refresh_from_db()
    assert member.timezone == "UTC"


def test_times_on_pages_follow_the_profile_timezone(signed_in, member, project):
    start = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=1)
    TimeEntryFactory(user=member, project=project, start=start)
    html = signed_in.get(reverse("dashboard")).content.decode()  # the recent entry's start and end fields
    assert 'name="start" value="12:00"' in html and 'name="end" value="13:00"' in html
    member.timezone = "Asia/Kolkata"  # UTC+05:30
    member.save()
    html = signed_in.get(reverse("dashboard")).content.decode()
    assert 'name="start" value="17:30"' in html and 'name="end" value="18:30"' in html


def test_token_is_shown_once_then_only_its_prefix(signed_in, member):
    response = signed_in.post(
        reverse("api_token_create"), {"name": "laptop", "scopes": ["read:time_entries"], "expires_in_days": "30"}
    )
    assert response.status_code == 200
    plaintext = response.context["new_token"]
    assert plaintext.startswith("tt_") and plaintext in response.content.decode()
    token = api_token_authenticate(plaintext)
    assert token.owner == member and token.scopes == ["read:time_entries"] and token.expires_at is not None
    again = signed_in.get(reverse("profile")).content.decode()
    assert plaintext not in again and token.prefix in again


def test_token_without_scopes_or_name_is_refused(signed_in):
    response = signed_in.post(reverse("api_token_create"), {"name": "", "scopes": []})
    assert response.status_code == 400
    assert {"name", "scopes"} <= set(response.context["token_form"].errors)
    assert not ApiToken.objects.exists()


def test_token_can_be_revoked_by_its_owner_only(signed_in, member, other_member):
    mine, _ = api_token_create(actor=member, name="mine", scopes=["read:reports"])
    theirs, _ = api_token_create(actor=other_member, name="theirs", scopes=["read:reports"])
    assert signed_in.post(reverse("api_token_revoke", args=[theirs.pk])).status_code == 404
    signed_in.post(reverse("api_token_revoke", args=[mine.pk]))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None
    assert "revoked" in signed_in.get(reverse("profile")).content.decode()


def test_data_export_link_appears_only_when_that_page_exists(signed_in):
    from django.urls import NoReverseMatch

    page = signed_in.get(reverse("profile")).content.decode()
    try:
        url = reverse("account_data_export")
    except NoReverseMatch:
        assert "Download all my data" not in page
    else:
        assert url in page


def test_the_old_account_address_redirects_to_the_one_account_page(signed_in):
    response = signed_in.get("/accounts/profile/")

    assert response.status_code == 301
    assert response["Location"] == "/profile/"


def test_the_account_page_shows_who_you_are_and_links_to_security_and_your_data(signed_in, member):
    page = signed_in.get("/profile/").content.decode()

    assert "<h1>Your account</h1>" in page
    assert member.username in page and member.email in page and member.get_role_display() in page
    assert 'href="/accounts/export/"' in page
    assert 'href="/accounts/2fa/"' in page
    assert 'action="/profile/tokens/"' in page
