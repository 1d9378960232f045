"""Fixtures for API tests (imported by the conftest of each app's tests/api/ folder)."""

import pytest
from rest_framework.test import APIClient

from accounts.models import SCOPES
from accounts.services import api_token_create

ALL_BUT_ADMIN = [s for s in SCOPES if s != "admin"]


@pytest.fixture(autouse=True)
def _api_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.API_THROTTLE_RATE = None


@pytest.fixture
def api_as():
    """api_as(user, scopes=...) -> an APIClient sending a fresh token of `user` with those scopes."""

    def make(user, scopes=None) -> APIClient:
        _, raw = api_token_create(actor=user, name="test", scopes=scopes or ALL_BUT_ADMIN)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        client.token = raw
        return client

    return make


@pytest.fixture
def anon_api():
    return APIClient()
