"""Slack's request URLs, mounted by the framework at /api/integrations/slack/ (see integrations/webhook_urls.py).

Both go through the framework's webhook endpoint; the events URL also takes slash commands.
"""

from django.urls import path

from ...webhook_views import webhook_endpoint

urlpatterns = [
    path("commands", webhook_endpoint, {"provider": "slack"}, name="slack_commands"),
    path("events", webhook_endpoint, {"provider": "slack"}, name="slack_events"),
]
