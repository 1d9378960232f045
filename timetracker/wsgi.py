"""WSGI entry point."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timetracker.settings")
application = get_wsgi_application()


def _settle() -> None:
    """Load the URLconf now (every view, serializer, form and admin module) rather than on the first request, then
    take everything loaded so far out of the garbage collector's sight. Without it each full collection walks the
    whole loaded application; a request allocating many objects (a month's report by person then day builds
    ~10,000 groups) triggers several: freezing took ~40% off that request's CPU and a little off every page's.
    Here rather than in a server's hook, so any WSGI server (gunicorn with or without deploy/gunicorn.conf.py)
    gets it."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()


_settle()
