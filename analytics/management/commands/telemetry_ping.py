"""Send the installation telemetry report now, so an administrator can check it arrives."""

from django.core.management.base import BaseCommand, CommandError

from analytics.client import analytics_configured
from analytics.models import Installation
from analytics.telemetry import health_properties, send_telemetry, telemetry_enabled


class Command(BaseCommand):
    help = "Send the anonymous installation telemetry report now (telemetry must be on)."

    def handle(self, *args, **options):
        if not analytics_configured():
            raise CommandError("PostHog is not configured: set POSTHOG_API_KEY (and POSTHOG_HOST) first.")
        installation = Installation.get()
        if not telemetry_enabled(installation):
            raise CommandError(
                "Telemetry is off. Turn it on with TELEMETRY_ENABLED=true or on the installation in the admin "
                "(Analytics › Installation)."
            )
        sent = send_telemetry()
        self.stdout.write(f"Installation {installation.installation_id}: sent {', '.join(sent)}.")
        for key, value in health_properties().items():
            self.stdout.write(f"  {key}: {value}")
