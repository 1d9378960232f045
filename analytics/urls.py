from django.urls import path

from . import views

urlpatterns = [
    path("activity/", views.activity, name="activity"),
    path("analytics/preferences/", views.analytics_preferences, name="analytics_preferences"),
]
