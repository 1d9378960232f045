"""Sign-in and sign-out with Django's own views, under the URL names allauth uses.

Included by timetracker/urls.py only while django-allauth is not installed, so the web UI works on its own;
once allauth is in INSTALLED_APPS its `account_login` / `account_logout` take over.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="account_login"),
    path("logout/", auth_views.LogoutView.as_view(), name="account_logout"),
]
