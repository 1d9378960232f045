"""The saved report's Subscribe page: subscribe by email, errors next to their field, list and delete your own."""

import pytest

from reports.models import Subscription, Visibility
from reports.tests.factories import SavedReportFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(manager):
    return SavedReportFactory(
        owner=manager,
        name="Hours by project",
        visibility=Visibility.EVERYONE,
        definition={"preset": "last_30_days", "group_by": "project", "filters": {}, "chart": "bar"},
    )


def test_subscribe_list_and_unsubscribe(client, member, other_member, report):
    client.force_login(member)
    detail = client.get(f"/reports/saved/{report.pk}/")
    assert f'href="/reports/saved/{report.pk}/subscribe/"' in detail.content.decode()
    url = f"/reports/saved/{report.pk}/subscribe/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"channel": "email", "target": "", "frequency": "weekly", "weekday": "4", "time": "08:30"}
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert (subscription.subscriber, subscription.weekday, subscription.day) == (member, 4, None)
    page = client.get(url).content.decode()
    assert "Weekly on Friday at 08:30" in page
    client.force_login(other_member)
    assert client.post(f"{url}{subscription.pk}/delete/").status_code == 404
    assert "Weekly on Friday" not in client.get(url).content.decode()
    client.force_login(member)
    assert client.post(f"{url}{subscription.pk}/delete/").status_code == 302
    assert not Subscription.objects.exists()


def test_errors_are_shown_next_to_their_field(client, member, report):
    client.force_login(member)
    url = f"/reports/saved/{report.pk}/subscribe/"
    response = client.post(url, {"channel": "email", "target": "", "frequency": "monthly", "day": "", "time": "08:30"})
    assert response.status_code == 400 and "required for a monthly" in response.content.decode()
    response = client.post(
        url, {"channel": "email", "target": "nope", "frequency": "weekly", "weekday": "0", "time": "08:30"}
    )
    assert response.status_code == 400 and "email address" in response.content.decode()
    assert not Subscription.objects.exists()
