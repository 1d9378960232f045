"""The real routes plus two that fail, for tests/test_error_pages.py."""

from django.db import OperationalError
from django.urls import path

from timetracker import urls


def boom(request):
    raise RuntimeError("an unexpected bug")


def database_gone(request):
    raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")


urlpatterns = [
    path("boom/", boom),
    path("api/v1/boom/", boom),
    path("database-gone/", database_gone),
    path("api/v1/database-gone/", database_gone),
    *urls.urlpatterns,
]
handler403 = urls.handler403
handler404 = urls.handler404
handler500 = urls.handler500
