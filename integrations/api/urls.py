from django.urls import path

from . import views

app_name = "integrations_api"

urlpatterns = [
    path("<slug:provider>/config", views.IntegrationConfigApi.as_view(), name="config"),
    path("<slug:provider>/status", views.IntegrationStatusApi.as_view(), name="status"),
    path("<slug:provider>/test", views.IntegrationTestApi.as_view(), name="test"),
    path("<slug:provider>/sync", views.IntegrationSyncApi.as_view(), name="sync"),
    path("<slug:provider>/webhook", views.webhook_view, name="webhook"),
]
