"""Web pages of the accounts app added by the web UI: personal settings and API tokens (/profile/)."""

from django.urls import path

from . import profile_views as views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="api_token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
