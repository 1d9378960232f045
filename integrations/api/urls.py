"""The integrations management API under /api/v1/integrations/ (mounted by timetracker.api.urls)."""

from django.urls import path

from . import views

app_name = "integrations_api"

urlpatterns = [
    path("<str:provider>/config/", views.IntegrationConfigApi.as_view(), name="config"),
    path("<str:provider>/status/", views.IntegrationStatusApi.as_view(), name="status"),
    path("<str:provider>/test/", views.IntegrationTestApi.as_view(), name="test"),
    path("<str:provider>/sync/", views.IntegrationSyncApi.as_view(), name="sync"),
]
