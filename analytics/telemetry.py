"""Opt-in installation telemetry: one anonymous health report a day.

Off unless TELEMETRY_ENABLED=true or an administrator ticks it on the installation in the admin. It needs the
PostHog client (POSTHOG_API_KEY). The installation appears under a random UUID; no user, project or entry data.
"""

from __future__ import annotations

import platform

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from .client import flush_client, get_client
from .context import app_version, deployment_method, platform_name
from .events import GROUP_PLATFORM, GROUP_VERSION, TELEMETRY_HEALTH, TELEMETRY_INSTALL, TELEMETRY_UPDATE, Prop
from .models import Installation


def telemetry_enabled(installation: Installation | None = None) -> bool:
    if settings.TELEMETRY_ENABLED:
        return True
    return (installation or Installation.get()).telemetry_enabled


def health_properties() -> dict:
    return {
        Prop.APP_VERSION: app_version(),
        Prop.PLATFORM: platform_name(),
        Prop.PYTHON_VERSION: platform.python_version(),
        Prop.ENVIRONMENT: settings.ENVIRONMENT_NAME,
        Prop.DEPLOYMENT_METHOD: deployment_method(),
        Prop.TIMEZONE: settings.TIME_ZONE,
    }


def _claim_today(installation: Installation) -> bool:
    """Claim today's (UTC) scheduled report in the database: only the first caller of the day gets True, so a
    second beat scheduler, or the job running twice, still sends one report a day."""
    now = timezone.now()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    not_yet_today = Q(last_reported_at__isnull=True) | Q(last_reported_at__lt=midnight)
    return Installation.objects.filter(not_yet_today, pk=installation.pk).update(last_reported_at=now) == 1


def send_telemetry(*, force: bool = False, scheduled: bool = False) -> list[str]:
    """Send the report now; returns the event names sent ([] when telemetry or PostHog is off). `scheduled` (the
    daily job): only when no report went out yet today."""
    installation = Installation.get()
    client = get_client()
    if client is None or not (force or telemetry_enabled(installation)):
        return []
    if scheduled and not _claim_today(installation):
        return []
    distinct_id = f"installation-{installation.installation_id}"
    health = health_properties()
    version, platform_key = health[Prop.APP_VERSION], health[Prop.PLATFORM]
    groups = {GROUP_VERSION: version, GROUP_PLATFORM: platform_key}
    person = {
        Prop.SET: {
            Prop.CURRENT_VERSION: version,
            Prop.CURRENT_PLATFORM: platform_key,
            Prop.ENVIRONMENT: health[Prop.ENVIRONMENT],
            Prop.DEPLOYMENT_METHOD: health[Prop.DEPLOYMENT_METHOD],
            Prop.TIMEZONE: health[Prop.TIMEZONE],
        },
        Prop.SET_ONCE: {Prop.FIRST_SEEN_VERSION: version, Prop.FIRST_SEEN_PLATFORM: platform_key},
    }
    client.group_identify(GROUP_VERSION, version, {"version": version}, distinct_id=distinct_id)
    client.group_identify(GROUP_PLATFORM, platform_key, {"platform": platform_key}, distinct_id=distinct_id)

    sent = []
    if installation.install_reported_at is None:
        client.capture(TELEMETRY_INSTALL, distinct_id=distinct_id, properties={**health, **person}, groups=groups)
        sent.append(TELEMETRY_INSTALL)
    elif installation.last_reported_version and installation.last_reported_version != version:
        client.capture(
            TELEMETRY_UPDATE,
            distinct_id=distinct_id,
            properties={**health, **person, Prop.PREVIOUS_VERSION: installation.last_reported_version},
            groups=groups,
        )
        sent.append(TELEMETRY_UPDATE)
    client.capture(TELEMETRY_HEALTH, distinct_id=distinct_id, properties={**health, **person}, groups=groups)
    sent.append(TELEMETRY_HEALTH)
    flush_client()

    now = timezone.now()
    Installation.objects.filter(pk=installation.pk).update(
        install_reported_at=installation.install_reported_at or now,
        last_reported_version=version,
        last_reported_at=now,
    )
    return sent
