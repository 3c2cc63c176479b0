"""Webhooks: subscribing through the API, and signed, ordered, retried deliveries to a real
HTTP receiver (in this process, and through a real Celery worker)."""

import time
from pathlib import Path
from textwrap import dedent

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from portfolio import roles
from portfolio.models import Area, Project
from portfolio.webhooks import delivery, signing
from portfolio.webhooks.models import Delivery, Subscription
from reports.demo.seed import PROJECT_SLUG as DEMO_SLUG
from reports.models import Publication
from tests import factories
from tests.api.webhook_receiver import Receiver, valid_signature
from tests.worker import running_worker

pytestmark = pytest.mark.django_db

HOOKS = "/api/v1/webhooks/"


@pytest.fixture
def admin(client_for):
    return client_for(factories.admin())


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.stop()


@pytest.fixture
def quick(settings):
    settings.WEBHOOK_BACKOFF_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_TIMEOUT_SECONDS = 2


def subscribe(client, url, kinds=("*",), **scope) -> dict:
    answer = client.post(HOOKS, {"url": url, "kinds": list(kinds), **scope}, format="json")
    assert answer.status_code == 201, answer.json()
    return answer.json()


def test_admin_subscribes_and_sees_the_secret_once(admin, receiver):
    created = subscribe(admin, receiver.url, ["Milestone.*", "Project.Created"])

    assert created["secret"].startswith("whsec_")
    assert created["scope"] == "portfolio"
    listed = admin.get(HOOKS).json()
    assert [w["id"] for w in listed["results"]] == [created["id"]]
    assert "secret" not in listed["results"][0]
    assert "secret" not in admin.get(f"{HOOKS}{created['id']}/").json()
    assert listed["results"][0]["kinds"] == ["Milestone.*", "Project.Created"]


def test_readers_and_the_steering_group_manage_no_webhooks(users, client_for, receiver):
    for name in ("reader", "steering"):
        client = client_for(users[name])
        assert client.get(HOOKS).status_code == 403
        answer = client.post(HOOKS, {"url": receiver.url, "kinds": ["*"]}, format="json")
        assert answer.status_code == 403
    assert client_for(None).get(HOOKS).status_code == 401


def test_a_project_manager_manages_webhooks_of_their_own_projects_only(
    users, client_for, admin, receiver
):
    # given
    manager, other = client_for(users["manager"]), client_for(users["other_manager"])
    factories.project(users["manager"], slug="mine")
    factories.project(users["other_manager"], slug="theirs")
    portfolio_wide = subscribe(admin, receiver.url)

    # when
    mine = subscribe(manager, receiver.url, ["Milestone.*"], project="mine")

    # then
    for scope in ({"project": "theirs"}, {}, {"area": Area.objects.first().slug}):
        body = {"url": receiver.url, "kinds": ["*"], **scope}
        assert manager.post(HOOKS, body, format="json").status_code == 403, scope
    assert [w["id"] for w in manager.get(HOOKS).json()["results"]] == [mine["id"]]
    assert other.get(HOOKS).json()["results"] == []
    assert manager.get(f"{HOOKS}{portfolio_wide['id']}/").status_code == 403
    assert other.get(f"{HOOKS}{mine['id']}/deliveries/").status_code == 403
    assert other.delete(f"{HOOKS}{mine['id']}/").status_code == 403
    assert manager.delete(f"{HOOKS}{mine['id']}/").status_code == 204
    assert len(admin.get(HOOKS).json()["results"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://127.0.0.1/x", "kinds": ["*"]}, "url"),
        ({"url": "file:///etc/passwd", "kinds": ["*"]}, "url"),
        ({"url": "http://127.0.0.1/x", "kinds": []}, "kinds"),
        ({"url": "http://127.0.0.1/x", "kinds": ["Milestone.**"]}, "kinds"),
        ({"url": "http://127.0.0.1/x", "kinds": ["*"], "project": "nope"}, "project"),
    ],
)
def test_a_bad_subscription_is_a_400_naming_the_field(admin, body, field):
    answer = admin.post(HOOKS, body, format="json")

    assert answer.status_code == 400
    assert answer.json()["field"].startswith(field)


def test_delete_stops_deliveries(admin, receiver, quick):
    hook = subscribe(admin, receiver.url)
    assert admin.delete(f"{HOOKS}{hook['id']}/").status_code == 204
    factories.project(factories.user(roles.PROJECT_MANAGERS))

    delivery.pump()

    assert receiver.received == []
    assert admin.get(f"{HOOKS}{hook['id']}/").status_code == 404


def test_events_arrive_signed_in_order_with_the_feeds_shape(admin, receiver, quick):
    # given
    hook = subscribe(admin, receiver.url)
    manager = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(manager)
    factories.milestone(manager, project_id, title="Første")

    # when
    delivery.pump()

    # then
    positions = [r["event"]["position"] for r in receiver.received]
    assert len(positions) == 3 and positions == sorted(positions)
    assert [r["event"]["type"] for r in receiver.received] == [
        "Area.Created",
        "Project.Created",
        "Milestone.Planned",
    ]
    feed = admin.get("/api/v1/events/").json()["results"]
    assert [r["event"] for r in receiver.received] == feed[-3:]
    for request in receiver.received:
        headers = request["headers"]
        assert valid_signature(hook["secret"], headers["Portefolje-Signature"], request["raw"])
        assert not valid_signature("whsec_other", headers["Portefolje-Signature"], request["raw"])
        assert headers["Idempotency-Key"] == str(request["event"]["position"])
    log = admin.get(f"{HOOKS}{hook['id']}/deliveries/?ordering=position").json()["results"]
    assert [(d["state"], d["status_code"], d["attempts"]) for d in log] == [
        ("delivered", 200, 1)
    ] * 3


def test_kinds_and_project_scope_choose_the_events(admin, receiver, quick):
    manager = factories.user(roles.PROJECT_MANAGERS)
    mine, other = factories.project(manager, slug="mine"), factories.project(manager)
    subscribe(admin, receiver.url, ["Milestone.*"], project="mine")

    factories.milestone(manager, other, title="Not mine")
    factories.milestone(manager, mine, title="Mine")
    delivery.pump()

    assert [r["event"]["data"]["title"] for r in receiver.received] == ["Mine"]


def test_an_area_subscription_gets_its_projects_events_and_their_milestones(admin, receiver, quick):
    manager = factories.user(roles.PROJECT_MANAGERS)
    ours, elsewhere = factories.area(slug="ours"), factories.area(slug="elsewhere")
    subscribe(admin, receiver.url, area="ours")

    far = factories.project(manager, area_id=elsewhere, slug="far")
    near = factories.project(manager, area_id=ours, slug="near")
    factories.milestone(manager, far, title="Far")
    milestone = factories.milestone(manager, near, title="Near")
    delivery.pump()

    assert [(r["event"]["type"], r["event"]["stream"]) for r in receiver.received] == [
        ("Project.Created", near),
        ("Milestone.Planned", milestone),
    ]


def test_every_event_of_a_project_names_it_the_withdrawn_publication_too(
    settings, tmp_path, admin, receiver, quick, django_capture_on_commit_callbacks
):
    # given the demo project, a subscription to its events, and its manager
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", verbosity=0)
    subscribe(admin, receiver.url, project=DEMO_SLUG)
    leader = get_user_model().objects.get(username="projektleder")
    manager = Client()
    manager.force_login(leader)
    demo_id = Project.objects.get(slug=DEMO_SLUG).id
    factories.milestone(leader, demo_id)

    # when the manager publishes its status page and withdraws it again
    with django_capture_on_commit_callbacks(execute=True):
        assert manager.post(f"/projects/{DEMO_SLUG}/publish/").status_code == 302
    published = Publication.objects.get()
    withdrawn = manager.post(
        f"/projects/{DEMO_SLUG}/publications/{published.pk}/withdraw/", {"reason": "Forkert dato"}
    )
    assert withdrawn.status_code == 302
    delivery.pump()

    # then each of those events reached the project's subscription naming the project
    events = [r["event"] for r in receiver.received]
    assert [e["type"] for e in events] == [
        "Milestone.Planned",
        "Publication.Issued",
        "Publication.Withdrawn",
    ]
    assert {(e["project"]["id"], e["project"]["slug"]) for e in events} == {(demo_id, DEMO_SLUG)}


def test_a_subscription_retried_with_its_idempotency_key_is_made_once(admin, receiver):
    # given a subscription made with a key
    body = {"url": receiver.url, "kinds": ["*"]}
    key = {"HTTP_IDEMPOTENCY_KEY": "hook-1"}
    first = admin.post(HOOKS, body, format="json", **key)
    assert first.status_code == 201

    # when the client retries it, then sends another body with the same key
    again = admin.post(HOOKS, body, format="json", **key)
    other = admin.post(HOOKS, {**body, "kinds": ["Milestone.*"]}, format="json", **key)

    # then the retry gets the first answer, secret included, and nothing more is subscribed
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert again["Location"] == first["Location"]
    assert other.status_code == 422 and other.json()["code"] == "key_reused"
    assert Subscription.objects.count() == 1


def test_a_failing_receiver_holds_back_later_events_until_a_retry_succeeds(admin, receiver, quick):
    hook = subscribe(admin, receiver.url)
    receiver.answers = [500]
    factories.project(factories.user(roles.PROJECT_MANAGERS))  # Area.Created, Project.Created

    delivery.pump()  # the first answers 500: the second waits
    assert [r["answer"] for r in receiver.received] == [500]
    first = receiver.received[0]["event"]["position"]
    [waiting] = admin.get(f"{HOOKS}{hook['id']}/deliveries/?state=pending&limit=1").json()[
        "results"
    ][:1]
    assert (waiting["attempts"], waiting["status_code"]) == (0, None)
    failed = Delivery.objects.get(position=first)
    assert (failed.attempts, failed.status_code, failed.last_error) == (1, 500, "HTTP 500")

    delivery.pump()  # the retry succeeds, then the second goes

    accepted = [r["event"]["position"] for r in receiver.accepted()]
    assert accepted[0] == first and accepted == sorted(accepted) and len(accepted) == 2
    assert receiver.received[1]["headers"]["Idempotency-Key"] == str(first)


def test_a_closed_receiver_is_retried_when_it_comes_back(admin, receiver, quick):
    subscribe(admin, receiver.url)
    receiver.stop()
    factories.area()

    delivery.pump()
    [down] = Delivery.objects.all()
    assert down.status == "pending" and down.attempts == 1 and down.status_code is None
    assert "refused" in down.last_error.lower()

    receiver.start()  # the same port
    delivery.pump()

    down.refresh_from_db()
    assert (down.status, down.attempts, down.status_code) == ("delivered", 2, 200)
    assert len(receiver.accepted()) == 1


def test_a_delivery_is_given_up_after_the_last_attempt_and_the_next_goes(admin, receiver, quick):
    subscribe(admin, receiver.url)
    receiver.answers = [500, 503, 500]  # WEBHOOK_MAX_ATTEMPTS (3) failures
    factories.project(factories.user(roles.PROJECT_MANAGERS))

    for _ in range(3):
        delivery.pump()

    first, second = Delivery.objects.order_by("position")
    assert (first.status, first.attempts, first.status_code) == ("failed", 3, 500)
    assert first.finished_at is not None
    assert (second.status, second.attempts) == ("delivered", 1)


def test_backoff_doubles_up_to_the_maximum(settings):
    settings.WEBHOOK_BACKOFF_SECONDS, settings.WEBHOOK_BACKOFF_MAX_SECONDS = 10, 60

    waits = [delivery.backoff(n).total_seconds() for n in range(1, 6)]

    assert waits == [10, 20, 40, 60, 60]


def test_pumping_twice_creates_no_second_delivery(admin, receiver, quick):
    subscribe(admin, receiver.url)
    factories.area()

    delivery.pump()
    delivery.pump()

    assert Delivery.objects.count() == 1
    assert len(receiver.received) == 1


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_redelivers_in_order_after_the_receiver_was_down(
    client_for, receiver, tmp_path, settings
):
    env = {"PORTEFOLJE_WEBHOOK_BACKOFF_SECONDS": "0.2", "PORTEFOLJE_WEBHOOK_MAX_ATTEMPTS": "20"}
    with running_worker("redis://127.0.0.1:6379/12", tmp_path, settings, env=env):
        from portfolio.webhooks.tasks import pump

        hook = subscribe(client_for(factories.admin()), receiver.url, ["Area.*", "Project.*"])
        receiver.answers = [500, 500, 502]
        manager = factories.user(roles.PROJECT_MANAGERS)
        factories.project(manager)
        factories.project(manager)

        deadline = time.monotonic() + 60
        while len(receiver.accepted()) < 4 and time.monotonic() < deadline:
            pump.delay()  # what beat sends every WEBHOOK_POLL_SECONDS
            time.sleep(0.3)

    accepted = [r["event"]["position"] for r in receiver.accepted()]
    assert len(accepted) == 4 and accepted == sorted(accepted)
    assert [r["answer"] for r in receiver.received] == [500, 500, 502, 200, 200, 200, 200]
    assert all(
        valid_signature(hook["secret"], r["headers"]["Portefolje-Signature"], r["raw"])
        for r in receiver.received
    )
    assert Delivery.objects.filter(status="delivered").count() == 4


def test_the_readmes_receiver_snippet_accepts_our_signature_and_refuses_others():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    snippet = readme.split("def verify(secret", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec("import hashlib, hmac, time\ndef verify(secret" + dedent(snippet), namespace)  # noqa: S102
    body = b'{"position":7}'
    header = signing.signature("whsec_x", int(time.time()), body)

    assert namespace["verify"]("whsec_x", header, body)
    assert not namespace["verify"]("whsec_y", header, body)
    assert not namespace["verify"]("whsec_x", header, body + b" ")
    stale = signing.signature("whsec_x", int(time.time()) - 3600, body)
    assert not namespace["verify"]("whsec_x", stale, body)


def test_the_admin_shows_the_secret_once_and_the_delivery_log(client, receiver):
    client.force_login(factories.admin())

    answer = client.post(
        "/admin/webhooks/subscription/add/",
        {
            "target_url": receiver.url,
            "kinds": '["*"]',
            "scope": "portfolio",
            "scope_id": "",
            "active": "on",
        },
        follow=True,
    )

    [subscription] = Subscription.objects.all()
    assert subscription.secret in answer.content.decode()
    factories.area()
    delivery.pump()
    assert Delivery.objects.count() == 1, (subscription.kinds, subscription.after_position)
    page = client.get("/admin/webhooks/delivery/").content.decode()
    assert "Area.Created" in page
    assert client.get(f"/admin/webhooks/subscription/{subscription.pk}/change/").status_code == 200


def test_the_admin_refuses_a_non_http_url(client):
    client.force_login(factories.admin())

    client.post(
        "/admin/webhooks/subscription/add/",
        {"target_url": "ftp://127.0.0.1/x", "kinds": '["*"]', "scope": "portfolio", "active": "on"},
    )

    assert not Subscription.objects.exists()


def test_the_list_reads_a_fixed_number_of_queries(admin, receiver, django_assert_num_queries):
    manager = factories.user(roles.PROJECT_MANAGERS)
    for n in range(3):
        factories.project(manager, slug=f"p{n}")
        subscribe(admin, receiver.url, project=f"p{n}")
    subscribe(admin, receiver.url)

    # the token with its (superuser) user, the subscriptions, the projects' slugs: not one a row
    with django_assert_num_queries(3):
        listed = admin.get(HOOKS).json()["results"]

    assert sorted(w["project"] or "-" for w in listed) == ["-", "p0", "p1", "p2"]
