"""The one PostHog client of the process.

No POSTHOG_API_KEY: no client at all (no thread, no socket). Otherwise events are queued and sent by the SDK's
background consumer (or synchronously with POSTHOG_SYNC_MODE, for tests), the queue is flushed at exit and when a
Celery worker stops, geo-IP is off, and every error is logged at debug level and swallowed.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings

from .privacy import before_send

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_client = None
_config: tuple | None = None


class _DemoteToDebug(logging.Filter):
    """The SDK logs network failures as errors with tracebacks; analytics failures are not the admin's emergency."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG:
            if record.exc_info and record.exc_info[1] is not None:
                record.msg = f"{record.getMessage()} ({record.exc_info[1].__class__.__name__})"
                record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno = logging.DEBUG
            record.levelname = "DEBUG"
        return logger.isEnabledFor(logging.DEBUG)


_demote = _DemoteToDebug()


def analytics_configured() -> bool:
    return bool(settings.POSTHOG_API_KEY)


def _current_config() -> tuple:
    return (
        settings.POSTHOG_API_KEY,
        settings.POSTHOG_HOST,
        settings.POSTHOG_SECRET_KEY,
        settings.POSTHOG_SYNC_MODE,
        settings.POSTHOG_FLAGS_TIMEOUT,
    )


def _on_error(error, batch) -> None:
    logger.debug("analytics: PostHog upload of %d event(s) failed: %s", len(batch or ()), error.__class__.__name__)


def _build(config: tuple):
    from posthog import Posthog

    api_key, host, secret_key, sync_mode, flags_timeout = config
    sdk_logger = logging.getLogger("posthog")
    if _demote not in sdk_logger.filters:
        sdk_logger.addFilter(_demote)
    return Posthog(
        api_key,
        host=host,
        secret_key=secret_key or None,
        enable_local_evaluation=bool(secret_key),
        sync_mode=sync_mode,
        disable_geoip=True,
        before_send=before_send,
        on_error=_on_error,
        timeout=5 if sync_mode else 10,
        max_retries=0 if sync_mode else 3,
        feature_flags_request_timeout_seconds=flags_timeout,
        feature_flags_request_max_retries=0,
        enable_exception_autocapture=False,
    )


def get_client():
    """The configured client, or None when analytics is off. Rebuilt when the POSTHOG_* settings change."""
    global _client, _config
    if not analytics_configured():
        if _client is not None:
            shutdown_client()
        return None
    config = _current_config()
    with _lock:
        if _client is None or _config != config:
            old = _client
            _client, _config = _build(config), config
        else:
            old = None
    if old is not None:
        _shutdown(old)
    return _client


def _shutdown(client) -> None:
    try:
        client.shutdown()
    except Exception as exc:  # never let analytics break a shutdown
        logger.debug("analytics: shutdown failed: %s", exc.__class__.__name__)


def flush_client() -> None:
    if _client is not None:
        try:
            _client.flush()
        except Exception as exc:
            logger.debug("analytics: flush failed: %s", exc.__class__.__name__)


def shutdown_client() -> None:
    """Flush the queue and stop the SDK's threads (at worker shutdown; the SDK also flushes at interpreter exit)."""
    global _client, _config
    with _lock:
        client, _client, _config = _client, None, None
    if client is not None:
        _shutdown(client)
