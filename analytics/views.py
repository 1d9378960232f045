"""The Activity page and the analytics preference of the signed-in user."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .client import analytics_configured
from .flags import FeatureFlags
from .forms import ActivityFilterForm, AnalyticsPreferenceForm

PAGE_SIZE = 50


@login_required
def activity(request):
    """Activity log, filterable by user, action and date. Admins see everything, managers their teams."""
    viewer = request.user
    if not selectors.activity_page_allowed(viewer):
        raise PermissionDenied(_("The activity log is for administrators and managers."))
    if request.GET.get("ref") == FeatureFlags.ACTIVITY_WIDGET:
        services.track_feature_interaction(viewer, FeatureFlags.ACTIVITY_WIDGET, "clicked", request=request)
    users = selectors.activity_visible_users(viewer)
    form = ActivityFilterForm(request.GET or None, users=users)
    status = 200
    filters = {}
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = {
                "user_id": data["user"].pk if data["user"] else None,
                "verb": data["verb"],
                "date_from": data["date_from"],
                "date_to": data["date_to"],
            }
        else:
            status = 400
    entries = (
        selectors.activity_list(viewer=viewer, **filters)
        if status == 200
        else selectors.activity_list(viewer=viewer).none()
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "analytics/activity.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def analytics_preferences(request):
    """The user's own opt-out of product analytics (linked from the profile page)."""
    preference = services.analytics_preference_get(user=request.user)
    if request.method == "POST":
        form = AnalyticsPreferenceForm(request.POST)
        if form.is_valid():
            services.analytics_preference_set(user=request.user, opted_out=form.cleaned_data["opted_out"])
            if form.cleaned_data["opted_out"]:
                messages.success(request, _("You have opted out: nothing about you is sent to product analytics."))
            else:
                messages.success(request, _("Product analytics is on for you. Thank you."))
            return redirect("analytics_preferences")
    else:
        form = AnalyticsPreferenceForm(initial={"opted_out": preference.opted_out})
    return render(
        request,
        "analytics/preferences.html",
        {"form": form, "preference": preference, "analytics_configured": analytics_configured()},
    )
