"""The personal Slack preferences page, included under /integrations/slack/ (see timetracker/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("preferences", views.preferences_view, name="slack_preferences"),
]
