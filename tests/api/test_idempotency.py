"""Idempotency-Key on POST (timetracker.api.idempotency), shown on the clients and timer endpoints."""

import pytest

from accounts.models import IdempotencyKey
from tracking.models import Client, TimeEntry

pytestmark = pytest.mark.django_db


class TestIdempotency:
    def test_a_retried_post_with_the_same_key_returns_the_first_response_and_creates_nothing(self, api_as, manager):
        api = api_as(manager)
        first = api.post("/api/v1/clients/", {"name": "Acme"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        again = api.post("/api/v1/clients/", {"name": "Acme"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
        assert first.status_code == again.status_code == 201
        assert again.json() == first.json()
        assert again.headers["Idempotent-Replayed"] == "true"
        assert Client.objects.count() == 1

    def test_a_replayed_timer_start_is_not_a_409(self, api_as, member, project):
        api = api_as(member)
        first = api.post("/api/v1/timer/start/", {"project": project.pk}, format="json", HTTP_IDEMPOTENCY_KEY="s")
        again = api.post("/api/v1/timer/start/", {"project": project.pk}, format="json", HTTP_IDEMPOTENCY_KEY="s")
        assert (first.status_code, again.status_code) == (201, 201)
        assert TimeEntry.objects.count() == 1

    def test_the_same_key_for_a_different_request_is_409(self, api_as, manager):
        api = api_as(manager)
        api.post("/api/v1/clients/", {"name": "Acme"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        other = api.post("/api/v1/clients/", {"name": "Globex"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert other.status_code == 409 and other.json()["code"] == "idempotency_key_reused"
        assert not Client.objects.filter(name="Globex").exists()

    def test_keys_are_per_user(self, api_as, manager, admin_user):
        api_as(manager).post("/api/v1/clients/", {"name": "Acme"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        response = api_as(admin_user).post(
            "/api/v1/clients/", {"name": "Globex"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
        )
        assert response.status_code == 201
        assert Client.objects.count() == 2

    def test_without_a_key_each_post_runs(self, api_as, manager):
        api = api_as(manager)
        api.post("/api/v1/clients/", {"name": "Acme"}, format="json")
        assert api.post("/api/v1/clients/", {"name": "Acme"}, format="json").status_code == 400

    def test_an_expired_key_runs_the_request_again(self, settings, api_as, manager):
        settings.API_IDEMPOTENCY_TTL_HOURS = 0
        api = api_as(manager)
        api.post("/api/v1/clients/", {"name": "Acme"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        again = api.post("/api/v1/clients/", {"name": "Acme"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert again.status_code == 400  # ran again: the name is now taken

    def test_a_retry_while_the_first_request_still_runs_is_409_in_progress(self, api_as, manager):
        api = api_as(manager)
        api.post("/api/v1/clients/", {"name": "Acme"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        IdempotencyKey.objects.update(status_code=None, response_body=None)  # as if the first were still running
        again = api.post("/api/v1/clients/", {"name": "Acme"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
        assert again.status_code == 409 and again.json()["code"] == "idempotency_request_in_progress"

    def test_an_overlong_key_is_400(self, api_as, manager):
        response = api_as(manager).post(
            "/api/v1/clients/", {"name": "A"}, format="json", HTTP_IDEMPOTENCY_KEY="k" * 256
        )
        assert response.status_code == 400 and "Idempotency-Key" in response.json()["errors"]
        assert not Client.objects.exists()
