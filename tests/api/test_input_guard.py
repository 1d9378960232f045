"""The one guard on request bodies (timetracker.jsonsafe): JSON nested too deep, NUL characters and bodies that are
not UTF-8 are refused with 400 in the API's error shape (and the product's 400 page on the web), never a 500."""

import json

import pytest
from django.test import Client

from timetracker import jsonsafe
from tracking.models import TimeEntry

pytestmark = pytest.mark.django_db

ENTRIES = "/api/v1/time-entries/"


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def entry_body(project, **extra) -> dict:
    return {"project": project.pk, "start": "2026-03-02T09:00:00Z", "end": "2026-03-02T10:00:00Z", **extra}


@pytest.mark.parametrize("path", [ENTRIES, "/api/v1/projects/", "/api/v1/timer/start/", "/api/v1/clients/"])
def test_json_nested_100k_deep_is_a_400_on_any_endpoint(api_as, admin_user, path):
    response = api_as(admin_user).post(path, data=nested(100_000), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json() == {"detail": "JSON nested deeper than 32 levels is refused.", "code": "parse_error"}


def test_tags_nested_5k_deep_are_a_400(api_as, member, project):
    body = json.dumps(entry_body(project, tags="TAGS")).replace('"TAGS"', nested(5000))  # too deep for json.dumps
    response = api_as(member).post(ENTRIES, data=body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"
    assert not TimeEntry.objects.exists()


def test_nul_in_entry_notes_is_refused(api_as, member, project):
    response = api_as(member).post(ENTRIES, entry_body(project, notes="before\u0000after"), format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Text may not contain NUL (\\u0000) characters.", "code": "parse_error"}
    assert not TimeEntry.objects.exists()


def test_nul_in_integration_config_is_refused(client, admin_user):
    client.force_login(admin_user)
    body = json.dumps({"is_active": True, "config": {"repository": "octo/\u0000site"}})
    response = client.put("/api/v1/integrations/github/config/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_nul_in_a_key_is_refused_too():
    with pytest.raises(jsonsafe.UnsafeInput):
        jsonsafe.loads('{"a\\u0000": 1}')


def test_the_limit_itself_is_accepted(settings):
    settings.INPUT_MAX_JSON_DEPTH = 4
    assert jsonsafe.loads(nested(4)) == [[[[]]]]
    with pytest.raises(jsonsafe.UnsafeInput, match="deeper than 4 levels"):
        jsonsafe.loads(nested(5))


def test_a_non_utf8_form_body_is_a_400_in_the_api(api_as, member, project):
    body = f"project={project.pk}&start=2026-03-02T09:00:00Z&end=2026-03-02T10:00:00Z&notes=caf\xe9".encode("latin-1")
    response = api_as(member).post(ENTRIES, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert response.json() == {"detail": "The body is not valid UTF-8.", "code": "parse_error"}
    assert not TimeEntry.objects.exists()


@pytest.mark.parametrize("notes", [b"caf\xe9", b"caf%E9", b"nul%00"], ids=["raw-latin1", "escaped-latin1", "nul"])
def test_a_non_utf8_form_body_is_the_products_400_page_on_the_web(member, project, notes):
    client = Client()
    client.force_login(member)
    body = f"project={project.pk}&date=2026-03-02&start_time=09:00&end_time=10:00&notes=".encode() + notes
    response = client.post("/entries/add/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()
    assert not TimeEntry.objects.exists()


def test_a_utf8_form_body_still_works(member, project):
    client = Client()
    client.force_login(member)
    body = f"project={project.pk}&date=2026-03-02&start_time=09:00&end_time=10:00&notes=caf%C3%A9".encode()
    response = client.post("/entries/add/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    assert TimeEntry.objects.get().notes == "café"


def test_a_non_utf8_sign_in_form_is_a_400_page_for_a_signed_out_visitor():
    body = b"login=caf\xe9&password=x"
    response = Client().post("/accounts/login/", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "Nothing was changed" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/api/v1/integrations/github/config/?scope=%00organisation", "/api/v1/integrations/git%00hub/config/"],
    ids=["query", "path"],
)
def test_a_nul_in_a_path_or_query_is_a_400_before_anything_echoes_or_stores_it(api_as, admin_user, path):
    response = api_as(admin_user, scopes=["admin"]).post(path, {}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 400
    assert response.json() == {"detail": "Text may not contain NUL (\\u0000) characters.", "code": "parse_error"}


def test_a_nul_in_a_web_pages_query_is_the_400_page(member):
    client = Client()
    client.force_login(member)
    response = client.get("/entries/?start=%00")
    assert response.status_code == 400 and "Nothing was changed" in response.content.decode()
