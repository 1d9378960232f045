"""Share links of saved reports: the API contract, tokens stored hashed, the public page and its data, passwords and
their throttle, snapshots against live links, revoking, expiry, deactivated sharers, names and headers."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Role
from accounts.tests.factories import UserFactory
from reports import services, sharing
from reports.models import ShareLink
from reports.tests.factories import AnnotationFactory, SavedReportFactory
from tracking.models import TimeEntry
from tracking.tests.factories import ClientFactory, ProjectFactory, TimeEntryFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a long shared secret"  # noqa: S105 - a test value


@pytest.fixture(autouse=True)
def _clean(settings):
    from django.core.cache import cache

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def entry(manager):
    client = ClientFactory(name="Acme")
    project = ProjectFactory(client=client, is_public=True, hourly_rate=100)
    start = timezone.now().replace(microsecond=0) - timedelta(days=2)
    return TimeEntryFactory(
        user=manager, project=project, start=start, end=start + timedelta(hours=2), billable=True, notes="SECRET NOTE"
    )


@pytest.fixture
def report(manager, entry):
    return SavedReportFactory(
        owner=manager,
        name="Billable hours by client",
        description="What we bill",
        definition={"preset": "last_30_days", "group_by": "client", "filters": {"billable": True}, "chart": "bar"},
    )


def _url(response) -> str:
    return "/" + response.json()["url"].split("/", 3)[3]


def _create(api_as, user, report, **options):
    return api_as(user).post(f"/api/v1/saved-reports/{report.pk}/links/", options, format="json")


def _unlock(client, path, password=PASSWORD):
    return client.post(path, {"password": password})


# --- the API ------------------------------------------------------------------------------------------------------
def test_create_answers_the_contract_and_stores_only_the_tokens_hash(api_as, manager, report):
    expires = (timezone.now() + timedelta(days=7)).isoformat()
    response = _create(
        api_as, manager, report, kind="snapshot", expires_at=expires, password=PASSWORD, note="For the client"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["url"].startswith("http://testserver/s/") and body["url"].endswith("/")
    token = body["url"].rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    link = ShareLink.objects.get(pk=body["id"])
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(ShareLink.objects.filter(pk=link.pk).values().get())
    assert PASSWORD not in link.password_hash and link.password_hash
    assert body["kind"] == "snapshot" and body["has_password"] is True and body["views"] == 0
    assert body["members_only"] is False and body["show_names"] is False and body["allow_csv"] is False
    assert body["note"] == "For the client" and body["created_at"]
    listed = api_as(manager).get(f"/api/v1/saved-reports/{report.pk}/links/").json()
    assert [item["id"] for item in listed] == [link.pk]
    assert "url" not in listed[0] and token not in str(listed)


def test_null_expiry_is_the_installations_default(api_as, manager, report, settings):
    body = _create(api_as, manager, report, expires_at=None).json()
    expires = ShareLink.objects.get(pk=body["id"]).expires_at
    assert timedelta(days=29, hours=23) < expires - timezone.now() <= timedelta(days=30)
    settings.SHARE_LINK_ALLOW_NEVER = True
    body = _create(api_as, manager, report, expires_at=None).json()
    assert body["expires_at"] is None


@pytest.mark.parametrize(
    ("options", "field", "words"),
    [
        ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at", "in the future"),
        ({"expires_at": "soon"}, "expires_at", ""),
        ({"expires_at": "2999-01-01T00:00:00Z"}, "expires_at", "at most 365 days"),
        ({"kind": "forever"}, "kind", ""),
        ({"password": "short"}, "password", "8 to 128"),
        ({"password": "x" * 129}, "password", ""),
        ({"note": "x" * 501}, "note", ""),
        ({"note": "a\x00b"}, "", "NUL"),  # refused by the platform for any body
        ({"members_only": "perhaps"}, "members_only", ""),
        ({"token": "mine"}, "token", "Unknown field"),
    ],
)
def test_bad_options_are_refused_with_the_field_named(api_as, manager, report, options, field, words):
    response = _create(api_as, manager, report, **options)
    assert response.status_code == 400, response.json()
    assert field in str(response.json())
    assert words in str(response.json())
    assert not ShareLink.objects.exists()


def test_public_links_switched_off_allow_members_only_links(api_as, manager, report, settings, client):
    settings.SHARE_LINKS_PUBLIC = False
    response = _create(api_as, manager, report)
    assert response.status_code == 400 and "members_only" in str(response.json())
    settings.SHARE_LINKS_PUBLIC = True
    path = _url(_create(api_as, manager, report))
    settings.SHARE_LINKS_PUBLIC = False  # an existing public link now needs sign-in
    assert client.get(path).status_code == 302


def test_who_may_share_and_revoke(api_as, manager, member, viewer, admin_user, report):
    assert _create(api_as, viewer, report).status_code == 403
    assert api_as(manager, scopes=["read:reports"]).post(
        f"/api/v1/saved-reports/{report.pk}/links/", {}, format="json"
    ).status_code in (401, 403)
    link_id = _create(api_as, manager, report).json()["id"]
    assert api_as(member).delete(f"/api/v1/share-links/{link_id}/").status_code == 404
    assert api_as(member).get(f"/api/v1/saved-reports/{report.pk}/links/").json() == []
    assert [x["id"] for x in api_as(admin_user).get(f"/api/v1/saved-reports/{report.pk}/links/").json()] == [link_id]
    assert api_as(admin_user).delete(f"/api/v1/share-links/{link_id}/").status_code == 204
    assert ShareLink.objects.get(pk=link_id).revoked_by == admin_user
    assert api_as(manager).delete("/api/v1/share-links/nope/").status_code in (400, 404)


# --- the public page ------------------------------------------------------------------------------------------------
def test_snapshot_with_password_shows_aggregates_after_the_password_and_never_notes(
    api_as, manager, report, entry, client
):
    AnnotationFactory(start=entry.start.date(), end=entry.start.date(), text="Launch week", author=manager)
    path = _url(_create(api_as, manager, report, kind="snapshot", password=PASSWORD))

    form = client.get(path)
    assert form.status_code == 401 and b'name="password"' in form.content and b"Acme" not in form.content
    assert client.get(path + "data.json").status_code == 401
    wrong = _unlock(client, path, "not the password")
    assert wrong.status_code == 401 and b"not right" in wrong.content

    unlocked = _unlock(client, path)
    assert unlocked.status_code == 303 and unlocked["Location"] == path
    cookie = unlocked.cookies["tt_share"]
    assert cookie["path"] == path and cookie["httponly"] and int(cookie["max-age"]) <= 3600

    page = client.get(path)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Billable hours by client" in html and "What we bill" in html and "Acme" in html
    assert "Launch week" in html and "as of" in html and 'id="chart-data"' in html
    assert "SECRET NOTE" not in html and 'id="nav"' not in html and manager.full_name not in html
    data = client.get(path + "data.json").json()
    assert data["total"]["seconds"] == 7200 and data["groups"][0]["label"] == "Acme"
    assert data["annotations"] == [
        {"start": str(entry.start.date()), "end": str(entry.start.date()), "text": "Launch week"}
    ]
    assert "SECRET NOTE" not in str(data)
    assert ShareLink.objects.get().views == 2


def test_the_password_cookie_opens_only_its_own_link(api_as, manager, report, client):
    first = _url(_create(api_as, manager, report, password=PASSWORD))
    second = _url(_create(api_as, manager, report, password=PASSWORD))
    cookie = _unlock(client, first).cookies["tt_share"]
    client.cookies["tt_share"] = cookie.value  # even sent to the other link's path, it is not that link's
    assert client.get(second).status_code == 401


def test_wrong_passwords_are_throttled_even_before_the_right_one(api_as, manager, report, client, settings):
    settings.SHARE_LINK_MAX_ATTEMPTS = 3
    path = _url(_create(api_as, manager, report, password=PASSWORD))
    for _ in range(3):
        assert _unlock(client, path, "guess guess").status_code == 401
    blocked = _unlock(client, path)
    assert blocked.status_code == 429 and "tt_share" not in blocked.cookies


def test_guessing_tokens_is_throttled_per_address(api_as, manager, report, client, settings):
    settings.SHARE_LINK_MAX_MISSES = 3
    path = _url(_create(api_as, manager, report))
    for n in range(3):
        assert client.get(f"/s/guess{n}/").status_code == 404
    assert client.get(path).status_code == 429  # even a good token, from that address, for a while


def test_tokens_are_compared_in_constant_time(api_as, manager, report, monkeypatch):
    calls = []
    real = sharing.hmac.compare_digest
    monkeypatch.setattr(sharing.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    token = _url(_create(api_as, manager, report)).split("/")[2]
    assert sharing.share_link_find(token) is not None
    assert calls and calls[0][0] == calls[0][1] == hashlib.sha256(token.encode()).hexdigest()
    assert sharing.share_link_find(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert sharing.share_link_find("x" * 500) is None and sharing.share_link_find("a\x00b") is None


def test_a_snapshot_keeps_its_numbers_while_a_live_link_follows_edits(api_as, manager, report, entry, client):
    snapshot = _url(_create(api_as, manager, report, kind="snapshot"))
    live = _url(_create(api_as, manager, report, kind="live"))
    TimeEntry.objects.filter(pk=entry.pk).update(end=entry.start + timedelta(hours=5), duration_seconds=5 * 3600)
    assert client.get(snapshot + "data.json").json()["total"]["seconds"] == 2 * 3600
    assert client.get(live + "data.json").json()["total"]["seconds"] == 5 * 3600
    assert ">5.00<" in client.get(live).content.decode()


def test_revoked_expired_and_unknown_links_answer_the_same_neutral_page(api_as, manager, report, client):
    revoked = _create(api_as, manager, report).json()
    expired = _url(_create(api_as, manager, report))
    ShareLink.objects.filter(pk=_url_id(expired)).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(_url_from(revoked)).status_code == 200
    assert api_as(manager).delete(f"/api/v1/share-links/{revoked['id']}/").status_code == 204
    answers = [client.get(p) for p in (_url_from(revoked), expired, "/s/never-made-this-one/")]
    assert {a.status_code for a in answers} == {404}
    assert len({a.content for a in answers}) == 1
    assert b"not available" in answers[0].content
    assert {client.get(p + "data.json").status_code for p in (_url_from(revoked), expired)} == {404}


def _url_from(body) -> str:
    return "/" + body["url"].split("/", 3)[3]


def _url_id(path) -> int:
    return ShareLink.objects.get(token_hash=hashlib.sha256(path.split("/")[2].encode()).hexdigest()).pk


def test_a_live_link_shows_nothing_once_its_sharer_is_deactivated(api_as, manager, report, client):
    live = _url(_create(api_as, manager, report, kind="live"))
    snapshot = _url(_create(api_as, manager, report, kind="snapshot"))
    manager.is_active = False
    manager.save(update_fields=["is_active"])
    assert client.get(live).status_code == 404 and client.get(live + "data.json").status_code == 404
    assert client.get(snapshot).status_code == 200  # frozen when it was made, with what they could see then


def test_a_live_link_follows_the_sharers_visibility_at_view_time(api_as, manager, member, client):
    project = ProjectFactory(is_public=True)
    TimeEntryFactory(user=member, project=project)
    other = UserFactory(role=Role.MEMBER)
    TimeEntryFactory(user=other, project=project)
    mine = SavedReportFactory(owner=member, definition={"preset": "last_30_days", "group_by": "user", "filters": {}})
    path = _url(_create(api_as, member, mine, show_names=True))
    data = client.get(path + "data.json").json()
    assert [g["label"] for g in data["groups"]] == [member.display_name]
    mine.visibility = "private"
    mine.owner = other
    mine.save()
    assert client.get(path).status_code == 404  # the sharer may no longer see the report


def test_people_are_numbered_unless_names_are_shown(api_as, admin_user, client):
    project = ProjectFactory(is_public=True)
    busy, quiet = UserFactory(full_name="Busy Bee"), UserFactory(full_name="Quiet Quail")
    start = timezone.now().replace(microsecond=0) - timedelta(days=1)
    TimeEntryFactory(user=busy, project=project, start=start, end=start + timedelta(hours=3))
    TimeEntryFactory(user=quiet, project=project, start=start, end=start + timedelta(hours=1))
    AnnotationFactory(start=start.date(), scope="user", user=quiet, text="Quail was ill", author=admin_user)
    report = SavedReportFactory(
        owner=admin_user, definition={"preset": "last_30_days", "group_by": "user", "then_by": "project", "filters": {}}
    )
    for kind in ("live", "snapshot"):
        path = _url(_create(api_as, admin_user, report, kind=kind))
        data = client.get(path + "data.json").json()
        html = client.get(path).content.decode()
        assert [(g["label"], g["key"]) for g in data["groups"]] == [("Person 1", None), ("Person 2", None)]
        assert data["groups"][0]["seconds"] == 3 * 3600
        assert "Busy" not in html + str(data) and "Quail" not in html + str(data)
    named = _url(_create(api_as, admin_user, report, show_names=True))
    assert "Busy Bee" in client.get(named).content.decode()


def test_members_only_links_need_sign_in(api_as, manager, member, report, client):
    path = _url(_create(api_as, manager, report, members_only=True))
    assert client.get(path).status_code == 302 and "/login" in client.get(path)["Location"]
    assert client.get(path + "data.json").status_code == 401
    client.force_login(member)
    assert client.get(path).status_code == 200


def test_csv_only_when_allowed_and_neutralised(api_as, manager, report, client):
    report.owner.save()
    ClientFactory  # noqa: B018
    no_csv = _url(_create(api_as, manager, report))
    assert client.get(no_csv + "data.csv").status_code == 404
    path = _url(_create(api_as, manager, report, allow_csv=True))
    from tracking.models import Client

    Client.objects.filter(name="Acme").update(name="=HYPERLINK(1)")
    csv = client.get(path + "data.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode()
    assert "'=HYPERLINK(1)" in text and "Total" in text and "SECRET NOTE" not in text


def test_the_page_sends_noindex_no_referrer_and_a_strict_csp(api_as, manager, report, client):
    path = _url(_create(api_as, manager, report))
    for answer in (client.get(path), client.get("/s/unknown/"), client.get(path + "data.json")):
        assert answer["X-Robots-Tag"].startswith("noindex")
        assert answer["Referrer-Policy"] == "no-referrer"
        assert "no-store" in answer["Cache-Control"]
    page = client.get(path)
    csp = page["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert b'<meta name="robots" content="noindex' in page.content


def test_views_are_counted(api_as, manager, report, client):
    path = _url(_create(api_as, manager, report))
    client.get(path)
    client.get(path)
    link = ShareLink.objects.get()
    assert link.views == 2 and link.last_viewed_at is not None


def test_a_deleted_report_takes_its_links_with_it(api_as, manager, report, client):
    path = _url(_create(api_as, manager, report))
    services.saved_report_delete(actor=manager, report=report)
    assert client.get(path).status_code == 404


def test_opening_a_link_takes_a_bounded_number_of_queries(
    api_as, manager, report, client, django_assert_max_num_queries
):
    snapshot = _url(_create(api_as, manager, report, kind="snapshot"))
    live = _url(_create(api_as, manager, report, kind="live"))
    with django_assert_max_num_queries(4):
        assert client.get(snapshot).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(live).status_code == 200
