"""Web pages of the accounts app: the profile and its API tokens."""

from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/tokens/", views.token_create, name="api_token_create"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="api_token_revoke"),
]
