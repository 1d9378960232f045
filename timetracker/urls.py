"""Top-level URL routes."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "TimeTracker administration"
admin.site.site_title = "TimeTracker admin"
admin.site.index_title = "Administration"
# The admin signs in through allauth too, so rate limits, two-factor and single sign-on apply there as well.
admin.site.login = secure_admin_login(admin.site.login)


urlpatterns = [
    # /healthz, /readyz, /metrics, /admin/health/ (before the admin's own URLs) and /usage/.
    path("", include("monitoring.urls")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("analytics.urls")),
    # Webhook receivers (the generic one and connectors' own, e.g. Slack's); the old API paths redirect.
    path("api/integrations/", include("integrations.webhook_urls")),
    path("integrations/", include("integrations.urls")),
    path("api/", include("timetracker.api.urls")),  # REST API v1, schema and docs
    # --- Web UI (issue 5): the dashboard is the home page ---
    path("", include("reports.urls")),  # saved reports (issue 15), beside the ad-hoc report
    path("", include("tracking.urls")),
    path("", include("accounts.profile_urls")),
]

handler400 = "tracking.views.pages.bad_request"
handler403 = "tracking.views.pages.permission_denied"
handler404 = "tracking.views.pages.page_not_found"
handler500 = "timetracker.error_pages.server_error"
