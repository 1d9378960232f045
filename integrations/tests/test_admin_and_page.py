"""The admin (secrets masked, set a new one, deliveries filter and replay) and the Integrations page."""

import json
import re

from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from integrations.models import Integration, WebhookDelivery
from tracking.models import Task, TimeEntry

from .conftest import ACCESS_TOKEN, WEBHOOK_SECRET, closed_payload, payload


def test_admin_integration_page_masks_secrets(client, admin_user, github):
    client.force_login(admin_user)
    response = client.get(f"/admin/integrations/integration/{github.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "webhook_secret: ••••••••" in html
    assert WEBHOOK_SECRET not in html
    assert ACCESS_TOKEN not in html
    listing = client.get("/admin/integrations/integration/").content.decode()
    assert WEBHOOK_SECRET not in listing and ACCESS_TOKEN not in listing


def test_admin_sets_a_new_secret_through_the_form(client, admin_user, github):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/integrations/integration/{github.pk}/change/",
        {
            "is_active": "on",
            "config": json.dumps(
                {"repository": "Codertocat/Hello-World", "default_project": github.config["default_project"]}
            ),
            "new_secret_name": "access_token",
            "new_secret_value": "ghp_replacedreplacedreplaced000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    github.refresh_from_db()
    assert github.secrets["access_token"] == "ghp_replacedreplacedreplaced000"
    assert github.secrets["webhook_secret"] == WEBHOOK_SECRET


def test_admin_refuses_an_invalid_config(client, admin_user, github):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/integrations/integration/{github.pk}/change/",
        {"is_active": "on", "config": '{"repository": "no good"}'},
    )
    assert response.status_code == 200
    assert "Use owner/name" in response.content.decode()


def test_managers_do_not_reach_the_integrations_admin(client, manager, github):
    client.force_login(manager)
    assert client.get(f"/admin/integrations/integration/{github.pk}/change/").status_code in (302, 403)
    assert client.get("/admin/integrations/webhookdelivery/").status_code in (302, 403)


def test_admin_filters_deliveries_by_status_and_replays_a_failed_one(client, admin_user, github, deliver, project):
    project.archived = True
    project.save(update_fields=["archived"])
    deliver(payload("issues.opened"), "issues", delivery="bad-1")
    deliver(payload("issues.opened"), "issues", delivery="forged", signature="sha256=" + "0" * 64)
    project.archived = False
    project.save(update_fields=["archived"])

    client.force_login(admin_user)
    failed_list = client.get("/admin/integrations/webhookdelivery/?status__exact=failed").content.decode()
    assert "bad-1" in failed_list and "forged" not in failed_list
    rejected_list = client.get("/admin/integrations/webhookdelivery/?status__exact=rejected").content.decode()
    assert "forged" in rejected_list

    failed = WebhookDelivery.objects.get(delivery_id="bad-1")
    response = client.post(
        "/admin/integrations/webhookdelivery/",
        {"action": "replay", "_selected_action": [failed.pk]},
        follow=True,
    )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == "processed"
    assert Task.objects.filter(external_ref="github:codertocat/hello-world#1").exists()


def test_setup_periodic_tasks_creates_the_beat_entries_once(db):
    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")
    sync = PeriodicTask.objects.get(name="integrations: sync github")
    assert sync.task == "integrations.sync_provider"
    assert sync.args == '["github"]'
    assert sync.crontab is not None
    assert PeriodicTask.objects.filter(name="integrations: prune webhook payloads").count() == 1
    delivery = PeriodicTask.objects.get(name__contains="subscriptions")
    assert delivery.task == "reports.deliver_subscriptions" and delivery.crontab.minute == "*/5"


def test_pruning_drops_old_payloads_but_keeps_the_log(github, deliver, settings):
    from datetime import timedelta

    from django.utils import timezone

    from integrations.services import webhook_deliveries_prune

    deliver(payload("ping"), "ping", delivery="old")
    # Each of GitHub's pings carries its own zen line: the same signed body twice would be a replay.
    deliver(payload("ping").replace(b"dilutes", b"weakens"), "ping", delivery="new")
    deliver(payload("ping"), "ping", delivery="old-forged", signature="sha256=" + "0" * 64)
    deliver(payload("ping"), "ping", delivery="new-forged", signature="sha256=" + "0" * 64)
    WebhookDelivery.objects.filter(delivery_id__startswith="old").update(
        received_at=timezone.now() - timedelta(days=31)
    )
    settings.WEBHOOK_PAYLOAD_RETENTION_DAYS = 30
    assert webhook_deliveries_prune() == 1
    assert WebhookDelivery.objects.get(delivery_id="old").payload is None
    assert WebhookDelivery.objects.get(delivery_id="new").payload is not None
    assert set(WebhookDelivery.objects.filter(status="rejected").values_list("delivery_id", flat=True)) == {
        "new-forged"
    }


def _card(html: str, provider: str, scope: str) -> str:
    match = re.search(rf'<section[^>]*id="card-{provider}-{scope}".*?</section>', html, re.DOTALL)
    assert match, f"no card for {provider}/{scope}"
    return match.group(0)


def test_integrations_page_needs_a_login(client):
    assert client.get("/integrations/").status_code == 302


def test_members_see_the_organisation_card_read_only(client, member, github):
    client.force_login(member)
    card = _card(client.get("/integrations/").content.decode(), "github", "organisation")
    assert "Managed by administrators" in card
    assert "Active" in card
    assert WEBHOOK_SECRET not in card


def test_a_new_admin_walks_through_the_github_set_up(client, admin_user, project, deliver, codertocat):
    """The issue's acceptance path: configure in the web UI, paste URL and secret into GitHub (a replayed real
    delivery), open → task, assign → timer, close → done, same delivery twice → no change, forged → refused and
    visible in the admin."""
    client.force_login(admin_user)
    page = client.get("/integrations/")
    assert page.status_code == 200
    assert "Not configured" in _card(page.content.decode(), "github", "organisation")

    saved = client.post(
        "/integrations/",
        {
            "provider": "github",
            "scope": "organisation",
            "action": "save",
            "is_active": "on",
            "repository": "Codertocat/Hello-World",
            "default_project": str(project.pk),
            "label_filter": "",
            "auto_start_timer": "on",
            "webhook_secret": "",
            "access_token": "",
        },
    )
    assert saved.status_code == 200
    card = _card(saved.content.decode(), "github", "organisation")
    secret = re.search(r'class="generated-secret">.*?<code>([^<]+)</code>', card, re.DOTALL).group(1)
    url = re.search(r'class="webhook-url">([^<]+)<', card).group(1)
    integration = Integration.objects.get(provider="github", owner=None)
    assert url.endswith(f"/api/integrations/github/webhook?integration={integration.pk}")
    # Shown once: the next visit does not show it.
    assert secret not in client.get("/integrations/").content.decode()

    query = url[url.index("?") :]
    assert deliver(payload("issues.opened"), "issues", secret=secret, query=query, delivery="o1").status_code == 200
    task = Task.objects.get(external_ref="github:codertocat/hello-world#1")
    assert deliver(payload("issues.assigned"), "issues", secret=secret, query=query).status_code == 200
    assert TimeEntry.objects.get(user=codertocat, end=None).task == task
    assert deliver(closed_payload(), "issues", secret=secret, query=query).status_code == 200
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert deliver(payload("issues.opened"), "issues", secret=secret, query=query, delivery="o1").json() == {
        "status": "duplicate"
    }
    task.refresh_from_db()
    assert task.status == Task.Status.DONE
    assert deliver(payload("issues.opened"), "issues", secret="forged", query=query, delivery="x").status_code == 401
    admin_log = client.get("/admin/integrations/webhookdelivery/?status__exact=rejected").content.decode()
    assert 'field-delivery_id">x<' in admin_log


def test_page_shows_validation_errors_with_400(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/integrations/",
        {"provider": "github", "scope": "organisation", "action": "save", "is_active": "on", "repository": "bad"},
    )
    assert response.status_code == 400
    assert "Use owner/name" in response.content.decode()
    assert not Integration.objects.exists()


def test_page_test_and_sync_buttons_report_results(client, admin_user, github, fake_github, in_process_tasks):
    fake_github.issue(7, "Seven")
    client.force_login(admin_user)
    tested = client.post("/integrations/", {"provider": "github", "scope": "organisation", "action": "test"})
    assert "Connected to Codertocat/Hello-World" in tested.content.decode()
    synced = client.post("/integrations/", {"provider": "github", "scope": "organisation", "action": "sync"})
    assert synced.status_code == 200
    card = _card(synced.content.decode(), "github", "organisation")
    assert "created: 1" in card


def test_admin_adds_an_integration_and_sees_the_generated_secret_once(client, admin_user, project):
    client.force_login(admin_user)
    response = client.post(
        "/admin/integrations/integration/add/",
        {
            "provider": "github",
            "is_active": "on",
            "config": json.dumps({"repository": "octo/site", "default_project": project.pk}),
        },
        follow=True,
    )
    assert response.status_code == 200
    integration = Integration.objects.get(provider="github", owner=None)
    secret = integration.secrets["webhook_secret"]
    assert secret in response.content.decode()  # the one time it is shown
    assert secret not in client.get(f"/admin/integrations/integration/{integration.pk}/change/").content.decode()


def test_a_secret_generated_in_the_admin_is_shown_once_on_the_response_not_in_a_cookie(client, admin_user, project):
    client.force_login(admin_user)
    response = client.post(
        "/admin/integrations/integration/add/",
        {
            "provider": "github",
            "owner": "",
            "is_active": "on",
            "config": json.dumps({"repository": "octo/site", "default_project": project.pk}),
            "new_secret_name": "",
            "new_secret_value": "",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    html = response.content.decode()
    shown = re.search(r'class="generated-secret">webhook_secret: <code>([^<]+)</code>', html).group(1)
    assert shown == Integration.objects.get(provider="github").secrets["webhook_secret"]
    assert "Copy the secret now" in html and "messages" not in response.cookies
