"""Deliveries arriving at the same moment, against a real PostgreSQL."""

import threading

import pytest
from django.db import connection, connections

from integrations.models import WebhookDelivery
from tracking.models import Task

from .conftest import Deliverer, payload

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL), as CI does"),
]


def run_together(workers):
    barrier = threading.Barrier(len(workers))
    results = [None] * len(workers)

    def target(i, fn):
        try:
            barrier.wait(timeout=10)
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(i, fn)) for i, fn in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


@pytest.mark.parametrize("attempt", range(3))
def test_the_same_delivery_twice_at_once_is_processed_once(github, attempt):
    body = payload("issues.opened")
    results = run_together([lambda: Deliverer()(body, "issues", delivery="same")] * 2)
    assert sorted(r.json()["status"] for r in results) == ["duplicate", "processed"], results
    assert Task.objects.count() == 1
    assert WebhookDelivery.objects.filter(delivery_id="same", status="processed").count() == 1


@pytest.mark.parametrize("attempt", range(3))
def test_two_deliveries_about_one_new_issue_at_once_make_one_task(github, attempt):
    opened, edited = payload("issues.opened"), payload("issues.edited")
    results = run_together([lambda: Deliverer()(opened, "issues"), lambda: Deliverer()(edited, "issues")])
    assert [r.status_code for r in results] == [200, 200], [r.content for r in results]
    assert Task.objects.filter(external_ref="github:codertocat/hello-world#1").count() == 1
