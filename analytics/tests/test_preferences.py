"""A user turns product analytics off (and on again) for themselves."""

import pytest

from analytics.models import AnalyticsPreference


@pytest.mark.django_db
def test_a_user_opts_out_and_back_in_on_the_preferences_page(client, member):
    client.force_login(member)

    page = client.get("/analytics/preferences/")
    assert page.status_code == 200
    assert "Opt out of product analytics" in page.content.decode()

    response = client.post("/analytics/preferences/", {"opted_out": "on"}, follow=True)
    assert response.redirect_chain[-1][0] == "/analytics/preferences/"
    assert "You have opted out" in response.content.decode()
    assert AnalyticsPreference.objects.get(user=member).opted_out is True

    client.post("/analytics/preferences/", {})
    assert AnalyticsPreference.objects.get(user=member).opted_out is False


@pytest.mark.django_db
def test_the_preferences_page_needs_a_signed_in_user(client):
    assert client.get("/analytics/preferences/").status_code == 302


@pytest.mark.django_db
def test_the_url_name_is_stable_for_the_profile_page(member):
    from django.urls import reverse

    assert reverse("analytics_preferences") == "/analytics/preferences/"
