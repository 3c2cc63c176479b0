"""A Python client generated from /api/schema/ (openapi-python-client) runs a consumer's day:
create a project, plan and re-plan a milestone, read it as of two dates, follow the feed."""

import importlib
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from portfolio.api_platform.models import ApiToken
from portfolio.wsgi import application
from tests import factories

pytestmark = pytest.mark.django_db

GENERATOR = Path(sys.executable).parent / "openapi-python-client"


@pytest.fixture
def generated(tmp_path, client, monkeypatch):
    """Return the client package generated from the schema the site serves."""
    schema = tmp_path / "schema.json"
    schema.write_bytes(client.get("/api/schema/?format=json").content)
    subprocess.run(  # noqa: S603 - our own tool on our own schema
        [GENERATOR, "generate", "--path", schema, "--meta", "none", "--output-path", "pf_client"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        timeout=300,
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    return importlib.import_module("pf_client")


@pytest.fixture
def api(generated, users):
    """Return the generated client, as the manager, calling the site's real WSGI handler."""
    _, secret = ApiToken.issue(users["manager"], name="generated client")
    # The handler closes "old" connections at each request's end: that would close the test's
    # open transaction (tests/api/test_schemathesis.py unhooks it likewise).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield generated.AuthenticatedClient(
        base_url="http://testserver",
        token=secret,
        prefix="Token",
        httpx_args={"transport": httpx.WSGITransport(app=application)},
    )
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def noon(day) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def test_a_generated_client_plans_replans_and_reads_as_of_two_dates(
    pinned_today, time_machine, api
):
    from pf_client.api.events import events_list
    from pf_client.api.milestones import milestones_replan_create, milestones_retrieve
    from pf_client.api.projects import projects_create, projects_milestones_create
    from pf_client.models import PlanIn, ProjectCreateIn, ReplanIn

    factories.area(slug="kommuner", known_at=noon(pinned_today - timedelta(days=30)))
    first, second = pinned_today - timedelta(days=10), pinned_today - timedelta(days=5)

    # given: a project and a milestone planned ten days ago, re-planned five days ago
    time_machine.move_to(noon(first), tick=False)
    created = projects_create.sync_detailed(
        client=api, body=ProjectCreateIn(title="FHIR-korrespondance", area="kommuner")
    )
    assert created.status_code == 201, created.content
    slug = created.parsed.slug
    planned = projects_milestones_create.sync(
        slug, client=api, body=PlanIn(title="Pilot", planned_on=pinned_today + timedelta(days=20))
    )
    time_machine.move_to(noon(second), tick=False)
    replanned = milestones_replan_create.sync_detailed(
        planned.id,
        client=api,
        body=ReplanIn(planned_on=pinned_today + timedelta(days=40), reason="Leverandør forsinket"),
        if_match='"1"',
        idempotency_key="replan-pilot",
    )
    assert replanned.status_code == 200, replanned.content
    time_machine.move_to(noon(pinned_today), tick=False)

    # when: the consumer reads it as of each day, and follows the feed
    then = milestones_retrieve.sync(planned.id, client=api, as_of=first.isoformat())
    now = milestones_retrieve.sync(planned.id, client=api, as_of=second.isoformat())
    events, after = [], 0
    while page := events_list.sync(client=api, after=after, limit=2).results:
        events += page
        after = page[-1].position

    # then: each date has its plan, and the feed names the same project and milestone
    assert (then.planned_on, then.replan_count) == (pinned_today + timedelta(days=20), 0)
    assert (now.planned_on, now.replan_count) == (pinned_today + timedelta(days=40), 1)
    assert now.replans[0].reason == "Leverandør forsinket"
    replan = next(e for e in events if e.type_ == "Milestone.Replanned")
    assert (replan.stream, replan.project.slug, replan.project.id) == (
        planned.id,
        slug,
        now.project_id,
    )
