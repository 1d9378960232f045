from django.urls import path

from .api import HealthApi

urlpatterns = [path("health/", HealthApi.as_view(), name="api-health")]
