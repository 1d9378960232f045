"""Top-level URL routes."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "TimeTracker administration"
admin.site.site_title = "TimeTracker admin"
admin.site.index_title = "Administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/integrations/slack/", include("integrations.connectors.slack.urls")),
    path("api/integrations/", include("integrations.api.urls")),
    path("integrations/slack/", include("integrations.connectors.slack.page_urls")),
    path("integrations/", include("integrations.urls")),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="home"),
]
