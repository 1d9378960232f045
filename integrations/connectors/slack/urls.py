"""Slack's request URLs, included under /api/integrations/slack/ (see timetracker/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("commands", views.commands_view, name="slack_commands"),
    path("events", views.events_view, name="slack_events"),
]
