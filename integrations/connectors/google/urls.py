"""Mounted at /integrations/google/ by integrations/urls.py (names in the `integrations` namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("connect", views.connect, name="google_connect"),
    path("callback", views.callback, name="google_callback"),
    path("disconnect", views.disconnect, name="google_disconnect"),
]
