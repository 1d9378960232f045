"""Feature flags: PostHog's answers, per-request caching, defaults when off or down, and the flagged widget."""

import json
import time

import pytest
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from analytics import events
from analytics.flags import FeatureFlags, all_flags, feature_flag_required, flag_enabled, flag_payload
from analytics.services import track_feature_interaction

WIDGET = FeatureFlags.ACTIVITY_WIDGET


def request_for(user, path="/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


@pytest.mark.django_db
def test_flag_values_and_payloads_come_from_posthogs_flags_endpoint(posthog, member):
    posthog.flags = {WIDGET: True, "new-reports": "compact", "dark-mode": False}
    posthog.payloads = {WIDGET: {"limit": 3}}

    assert flag_enabled(member, WIDGET) is True
    assert flag_enabled(member, "dark-mode", default=True) is False
    assert flag_enabled(member, "unknown-flag", default=True) is True
    assert flag_payload(member, WIDGET) == {"limit": 3}
    assert flag_payload(member, "dark-mode", default="none") == "none"
    assert all_flags(member) == {WIDGET: True, "new-reports": "compact", "dark-mode": False}
    [first, *_] = posthog.flag_requests()
    assert first.path == "/flags/?v=4"
    assert first.body["person_properties"] == {"role": "member", "is_admin": False}
    assert first.body["geoip_disable"] is True


@pytest.mark.django_db
def test_flags_are_asked_once_per_request(posthog, member):
    posthog.flags = {WIDGET: True}
    request = request_for(member)

    for _ in range(3):
        flag_enabled(member, WIDGET, request=request)
        flag_payload(member, WIDGET, request=request)
        all_flags(member, request=request)

    assert len(posthog.flag_requests()) == 1
    flag_enabled(member, WIDGET, request=request_for(member))
    assert len(posthog.flag_requests()) == 2


@pytest.mark.django_db
def test_unreachable_posthog_gives_defaults_fast_and_is_not_asked_again_for_a_while(posthog_down, member):
    started = time.monotonic()
    assert flag_enabled(member, WIDGET) is False
    assert flag_enabled(member, WIDGET, default=True) is True
    assert flag_payload(member, WIDGET, default={"limit": 5}) == {"limit": 5}
    assert all_flags(member) == FeatureFlags.DEFAULTS
    # One refused connection, then the backoff answers without a socket at all (a budget, not a timing test).
    assert time.monotonic() - started < 5


@pytest.mark.django_db
def test_after_a_failure_flags_stay_on_defaults_during_the_backoff(posthog, member):
    posthog.status = 503
    assert flag_enabled(member, WIDGET) is False
    posthog.status = 200
    posthog.flags = {WIDGET: True}

    assert flag_enabled(member, WIDGET) is False
    assert len(posthog.flag_requests()) == 1


@pytest.mark.django_db
def test_without_posthog_flags_answer_their_defaults(settings, member):
    settings.POSTHOG_API_KEY = ""

    assert flag_enabled(member, WIDGET) is False
    assert flag_enabled(member, WIDGET, default=True) is True
    assert all_flags(member) == {WIDGET: False}


@pytest.mark.django_db
def test_with_analytics_off_flags_do_not_even_read_the_cache(settings, member):
    """Redis down must not matter to flags nobody configured (issue 13 §6): the cache is not asked at all."""
    from django.core.cache import cache

    from analytics.services.identity import flags_cache_key

    settings.POSTHOG_API_KEY = ""
    cache.set(flags_cache_key(member.pk), ({FeatureFlags.ACTIVITY_WIDGET: True}, {}), 60)
    try:
        assert flag_enabled(member, FeatureFlags.ACTIVITY_WIDGET) is False
        assert all_flags(member) == FeatureFlags.DEFAULTS
    finally:
        cache.delete(flags_cache_key(member.pk))


def test_anonymous_visitors_get_defaults_without_a_request(posthog, rf):
    from django.contrib.auth.models import AnonymousUser

    assert flag_enabled(AnonymousUser(), WIDGET) is False
    assert posthog.requests == []


@pytest.mark.django_db
def test_feature_flag_required_answers_404_when_the_flag_is_off(posthog, member):
    @feature_flag_required(WIDGET)
    def view(request):
        return HttpResponse("hello")

    from django.http import Http404

    posthog.flags = {WIDGET: False}
    with pytest.raises(Http404):
        view(request_for(member))
    posthog.flags = {WIDGET: True}
    assert view(request_for(member)).content == b"hello"


@pytest.mark.django_db
def test_drf_permission_answers_404_when_the_flag_is_off(posthog, member):
    from rest_framework.exceptions import NotFound
    from rest_framework.request import Request

    from analytics.permissions import FeatureFlagPermission

    permission = FeatureFlagPermission.for_flag(WIDGET)()
    posthog.flags = {WIDGET: False}
    with pytest.raises(NotFound):
        permission.has_permission(Request(request_for(member)), view=None)
    posthog.flags = {WIDGET: True}
    drf_request = Request(request_for(member))
    drf_request.user = member
    assert permission.has_permission(drf_request, view=None) is True


@pytest.mark.django_db
def test_templates_branch_on_flags_and_get_window_feature_flags(posthog, member):
    posthog.flags = {WIDGET: True, "new-reports": "compact"}
    request = request_for(member)
    template = Template(
        "{% load analytics_tags %}{% flag_enabled 'activity-widget' as on %}{% if on %}ON{% endif %}"
        "{% if feature_flags.activity_widget %}CTX{% endif %}{% feature_flags_script %}"
    )
    from analytics.context_processors import feature_flags

    html = template.render(Context({"request": request, **feature_flags(request)}))

    assert "ON" in html and "CTX" in html
    assert "window.featureFlags" in html
    data = html.split('id="feature-flags-data" type="application/json">')[1].split("</script>")[0]
    assert json.loads(data) == {WIDGET: True, "new-reports": "compact"}
    assert len(posthog.flag_requests()) == 1


@pytest.mark.django_db
def test_the_flagged_activity_widget_appears_only_when_its_flag_is_on(posthog, client, admin_user):
    client.force_login(admin_user)
    posthog.flags = {WIDGET: False}
    assert "Your recent activity" not in client.get("/activity/").content.decode()

    from analytics.models import ActivityLog, Verb

    for _ in range(4):
        ActivityLog.objects.create(verb=Verb.LOGIN, actor=admin_user, owner=admin_user)
    posthog.flags = {WIDGET: True}
    posthog.payloads = {WIDGET: {"limit": 2}}
    page = client.get("/activity/").content.decode()
    assert "Your recent activity" in page
    widget = page.split('class="card activity-widget"')[1].split("</section>")[0]
    assert widget.count("<li") == 2  # the payload's remote configuration
    assert 'data-feature-flag="activity-widget"' in page
    assert '"activity-widget": true' in page  # window.featureFlags for front-end code


@pytest.mark.django_db
def test_the_activity_page_still_renders_when_posthog_is_down(posthog_down, client, admin_user):
    client.force_login(admin_user)

    response = client.get("/activity/")

    assert response.status_code == 200
    assert "Your recent activity" not in response.content.decode()


@pytest.mark.django_db
def test_feature_interactions_are_tracked(posthog, client, admin_user):
    track_feature_interaction(admin_user, WIDGET, "dismissed")
    client.force_login(admin_user)
    client.get(f"/activity/?ref={WIDGET}")

    interactions = posthog.events_named(events.FEATURE_INTERACTION)
    assert [(e["properties"]["feature_flag"], e["properties"]["action"]) for e in interactions] == [
        (WIDGET, "dismissed"),
        (WIDGET, "clicked"),
    ]
    assert interactions[1]["properties"]["$current_url"] == "/activity/"


@pytest.mark.django_db
def test_with_a_secret_key_flags_are_evaluated_locally_even_for_opted_out_users(posthog, settings, member):
    from analytics.services import analytics_preference_set

    settings.POSTHOG_SECRET_KEY = "phs_testsecret"
    posthog.definitions = [posthog.rollout(WIDGET, 100, payload={"limit": 4})]
    analytics_preference_set(user=member, opted_out=True)

    assert flag_enabled(member, WIDGET) is True
    assert flag_payload(member, WIDGET) == {"limit": 4}
    definitions = [r for r in posthog.requests if r.path.startswith("/flags/definitions")]
    assert definitions and definitions[0].headers["Authorization"] == "Bearer phs_testsecret"
    assert posthog.flag_requests() == []  # nothing about the user left the server


@pytest.mark.django_db
def test_flags_are_kept_in_the_cache_between_requests_and_forgotten_when_the_user_opts_out(
    posthog, settings, member, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from analytics.services import analytics_preference_set

    cache.clear()
    settings.POSTHOG_FLAGS_CACHE_SECONDS = 30
    posthog.flags = {WIDGET: True}
    assert flag_enabled(member, WIDGET, request=request_for(member)) is True
    posthog.flags = {WIDGET: False}
    assert flag_enabled(member, WIDGET, request=request_for(member)) is True
    assert len(posthog.flag_requests()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        analytics_preference_set(user=member, opted_out=True)

    assert flag_enabled(member, WIDGET, request=request_for(member)) is False
    assert len(posthog.flag_requests()) == 1


@pytest.mark.django_db
def test_failed_answers_are_not_kept_in_the_cache(posthog, settings, member):
    from django.core.cache import cache

    cache.clear()
    settings.POSTHOG_FLAGS_CACHE_SECONDS = 30
    settings.POSTHOG_FLAGS_BACKOFF_SECONDS = 0
    posthog.status = 503
    assert flag_enabled(member, WIDGET) is False
    posthog.status = 200
    posthog.flags = {WIDGET: True}

    assert flag_enabled(member, WIDGET) is True


@pytest.mark.django_db
def test_a_member_sees_the_flagged_widget_on_the_dashboard_when_the_flag_is_on(posthog, client, member):
    client.force_login(member)
    posthog.flags = {WIDGET: False}
    assert "Your recent activity" not in client.get("/").content.decode()
    posthog.flags = {WIDGET: True}
    from django.core.cache import cache

    cache.clear()  # flags are cached between pages for a short while
    page = client.get("/").content.decode()
    assert 'data-feature-flag="activity-widget"' in page
    assert "See all activity" not in page  # the Activity page is for admins and managers
