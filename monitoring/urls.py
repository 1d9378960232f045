from django.urls import path

from . import views

# Mounted at the site's root by timetracker.urls (the probes' paths are fixed by convention).
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("metrics", views.metrics_view, name="metrics"),
    path("admin/health/", views.health_admin_view, name="admin_health"),
    path("usage/", views.usage_page, name="usage"),
    path("onboarding/timezone/", views.onboarding_confirm_timezone, name="onboarding_timezone"),
    path("onboarding/reports/", views.onboarding_open_reports, name="onboarding_reports"),
    path("onboarding/dismiss/", views.onboarding_dismiss, name="onboarding_dismiss"),
]
