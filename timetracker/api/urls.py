"""Routes under /api/: v1 resources, the OpenAPI schema and Swagger UI (served locally).

The browsable API uses the site's own session: people sign in at the shared sign-in page (rate limits, two-factor,
single sign-on). DRF's own login view is deliberately not routed, as it would be a password login that skips them.
"""

from django.urls import include, path, reverse
from django.views.generic import RedirectView
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.response import Response
from rest_framework.views import APIView

from timetracker.api.base import ApiViewMixin


class ApiRootView(ApiViewMixin, APIView):
    """TimeTracker REST API v1. Authenticate with `Authorization: Bearer tt_...`; see /api/docs/."""

    ENDPOINTS = {
        "clients": "api-client-list",
        "projects": "api-project-list",
        "tasks": "api-task-list",
        "tags": "api-tag-list",
        "time-entries": "api-time-entry-list",
        "timer": "api-timer",
        "reports/summary": "api-report-summary",
        "saved-reports": "api-saved-report-list",
        "annotations": "api-annotation-list",
        "timesheets": "api-timesheet-list",
        "locks": "api-lock-list",
        "users/me": "api-user-me",
        "users": "api-user-list",
        "health": "api-health",
    }
    # Per provider: integrations/<provider>/config/, status/, test/, sync/ (a provider is part of the path).

    @extend_schema(exclude=True)
    def get(self, request):
        return Response({name: request.build_absolute_uri(reverse(url)) for name, url in self.ENDPOINTS.items()})


v1 = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("", include("tracking.api.urls")),
    path("", include("reports.api.urls")),
    path("", include("accounts.api.urls")),
    path("integrations/", include("integrations.api.urls")),
    path("", include("monitoring.api_urls")),
]

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api-root", permanent=False), name="api-index"),
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
