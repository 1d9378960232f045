"""The personal Slack preferences page, mounted by the framework at /integrations/slack/ (`integrations:` names)."""

from django.urls import path

from . import views

urlpatterns = [
    path("preferences", views.preferences_view, name="slack_preferences"),
]
