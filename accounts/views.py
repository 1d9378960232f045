"""Web pages of the accounts app: the profile page, the data export, the break-glass sign-in."""

import json

from allauth.account.views import LoginView
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import services


@login_required
@require_GET
def account_profile(request):
    return render(request, "accounts/profile.html", {"oidc_only": settings.OIDC_ONLY})


@login_required
@require_GET
def account_data_export(request):
    """Everything TimeTracker holds about the signed-in person, as a JSON download."""
    data = services.user_data_export(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json; charset=utf-8"
    )
    filename = f"timetracker-{request.user.username}-{timezone.now():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class BreakGlassLoginView(LoginView):
    """The password form for administrators when OIDC_ONLY hides it on the normal sign-in page."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["break_glass"] = True
        return context


account_login_local = BreakGlassLoginView.as_view()
