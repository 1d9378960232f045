"""The subscriptions API: the contract, precise validation errors, write:reports, and only your own."""

import pytest

from reports.models import Subscription, Visibility
from reports.tests.factories import SavedReportFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/subscriptions/"


@pytest.fixture
def report(manager):
    return SavedReportFactory(
        owner=manager,
        visibility=Visibility.EVERYONE,
        definition={"preset": "last_30_days", "group_by": "project", "filters": {}, "chart": "bar"},
    )


def _weekly(report, **over):
    return {
        "saved_report": report.pk,
        "channel": "email",
        "target": None,
        "frequency": "weekly",
        "weekday": 0,
        "time": "09:00",
        **over,
    }


def test_create_list_and_delete_answer_the_contract(api_as, member, report):
    api = api_as(member)
    response = api.post(URL, _weekly(report), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["saved_report"] == report.pk and body["channel"] == "email" and body["target"] is None
    assert body["frequency"] == "weekly" and body["weekday"] == 0 and body["day"] is None and body["time"] == "09:00"
    assert body["active"] is True and body["last_error"] == ""
    monthly = api.post(
        URL, _weekly(report, frequency="monthly", weekday=None, day=28, target="boss@example.org"), format="json"
    )
    assert monthly.status_code == 201, monthly.json()
    listed = api.get(URL).json()
    assert {s["id"] for s in listed} == {body["id"], monthly.json()["id"]}
    assert api.delete(f"{URL}{body['id']}/").status_code == 204
    assert list(Subscription.objects.values_list("pk", flat=True)) == [monthly.json()["id"]]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"weekday": None}, "weekday", "Required for a weekly"),
        ({"weekday": 7}, "weekday", ""),
        ({"frequency": "monthly", "weekday": None}, "day", "Required for a monthly"),
        ({"frequency": "monthly", "weekday": None, "day": 29}, "day", "28"),
        ({"frequency": "monthly", "weekday": None, "day": 0}, "day", ""),
        ({"frequency": "monthly", "day": 3}, "weekday", "weekday is for weekly"),
        ({"time": "9:00"}, "time", "HH:MM"),
        ({"time": "24:00"}, "time", "HH:MM"),
        ({"time": "09:60"}, "time", "HH:MM"),
        ({"time": None}, "time", ""),
        ({"channel": "fax"}, "channel", ""),
        ({"frequency": "daily"}, "frequency", ""),
        ({"target": "not an address"}, "target", "email address"),
        ({"target": "a\x00b@example.org"}, "", "NUL"),
        ({"saved_report": "x"}, "saved_report", ""),
        ({"saved_report": 999999}, "saved_report", "No saved report"),
        ({"colour": "red"}, "colour", "Unknown field"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(api_as, member, report, changes, field, words):
    response = api_as(member).post(URL, _weekly(report, **changes), format="json")
    assert response.status_code == 400, response.json()
    assert field in str(response.json()) and words in str(response.json())
    assert not Subscription.objects.exists()


def test_a_report_you_may_not_see_cannot_be_subscribed_to(api_as, member, manager):
    private = SavedReportFactory(owner=manager, visibility=Visibility.PRIVATE)
    response = api_as(member).post(URL, _weekly(private), format="json")
    assert response.status_code == 400 and "saved_report" in str(response.json())


def test_email_to_me_needs_an_address(api_as, member, report):
    member.email = ""
    member.save(update_fields=["email"])
    response = api_as(member).post(URL, _weekly(report), format="json")
    assert response.status_code == 400 and "no email address" in str(response.json())


def test_scope_write_reports_is_needed(api_as, member, report):
    response = api_as(member, scopes=["read:reports"]).post(URL, _weekly(report), format="json")
    assert response.status_code == 403


def test_only_your_own_are_listed_and_deleted(api_as, member, other_member, report):
    mine = Subscription.objects.create(
        report=report, subscriber=member, channel="email", frequency="weekly", weekday=1, time="08:00"
    )
    assert api_as(other_member).get(URL).json() == []
    assert api_as(other_member).delete(f"{URL}{mine.pk}/").status_code == 404
    assert api_as(other_member).delete(f"{URL}nope/").status_code in (400, 404)
    assert Subscription.objects.filter(pk=mine.pk).exists()


def test_in_the_openapi_schema(api_as, member):
    schema = api_as(member).get("/api/schema/?format=json")
    text = schema.content.decode()
    assert "/api/v1/subscriptions/" in text and "/api/v1/subscriptions/{id}/" in text
