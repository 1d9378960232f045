"""URLs of the accounts app, mounted under /accounts/ next to allauth's own."""

from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    # One account page, at /profile/; this address (allauth's pages and older links use it) redirects there.
    path("profile/", RedirectView.as_view(pattern_name="profile", permanent=True), name="account_profile"),
    path("export/", views.account_data_export, name="account_data_export"),
    path("email/", views.account_email_managed, name="account_email"),
    path("login/local/", views.account_login_local, name="accounts_login_local"),
    # allauth's OpenID Connect views, wrapped so an unreachable provider gets a clear page (same URL names).
    path("oidc/<str:provider_id>/login/", views.oidc_login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", views.oidc_callback, name="openid_connect_callback"),
]
