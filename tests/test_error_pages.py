"""500 and 503 answers in the product's layout with a useful message (issue 13 §9); JSON on the API."""

import pytest
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


@pytest.fixture
def browser(member):
    client = Client(raise_request_exception=False)
    client.force_login(member)
    return client


def test_an_unexpected_error_shows_the_500_page_in_the_layout(browser):
    response = browser.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert 'class="topbar"' in page and "TimeTracker" in page  # the product's layout, not a bare line
    assert "Something went wrong on our side" in page
    assert "Nothing was lost" in page
    assert "Back to the timer" in page
    assert "an unexpected bug" not in page  # no internals


def test_a_database_that_cannot_be_reached_is_a_503_with_retry_after(browser):
    response = browser.get("/database-gone/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert 'class="topbar"' in page
    assert "briefly unavailable" in page and "Nothing was lost" in page
    assert "5432" not in page


def test_the_api_answers_its_error_shape(browser):
    assert browser.get("/api/v1/boom/").json() == {
        "detail": "Something went wrong on our side; nothing half-done was saved. Try again.",
        "code": "server_error",
    }
    response = browser.get("/api/v1/database-gone/")
    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert "Retry-After" in response


def test_the_500_page_renders_without_a_request_context(rf):
    """It must not need the database (the context processors ask it for the running timer)."""
    from timetracker.error_pages import server_error

    response = server_error(rf.get("/somewhere/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content


def test_a_database_failure_outside_the_view_is_a_503_too(rf):
    """A middleware that reads the session or the user meets the database before any view does."""
    from django.db import OperationalError

    from timetracker.error_pages import server_error

    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(rf.get("/entries/"))
    assert response.status_code == 503
    assert b"briefly unavailable" in response.content
