"""The schema documents the headers and error bodies a client meets, and they are what is sent."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from tests import factories

pytestmark = pytest.mark.django_db

RATE_LIMIT = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            yield path, method, op


def test_every_answer_documents_the_rate_limit_headers(schema):
    missing = [
        (path, method, code)
        for path, method, op in operations(schema)
        for code, response in op["responses"].items()
        if code != "304" and not RATE_LIMIT <= set(response.get("headers", {}))
    ]

    assert missing == []


def test_writes_document_etag_and_replays_and_429_says_retry_after(schema):
    replan = schema["paths"]["/api/v1/milestones/{milestone_id}/replan/"]["post"]["responses"]
    detail = schema["paths"]["/api/v1/milestones/{milestone_id}/"]["get"]["responses"]

    assert {"ETag", "Idempotent-Replayed"} <= set(replan["200"]["headers"])
    assert "ETag" in detail["200"]["headers"]
    assert "Retry-After" in detail["429"]["headers"]
    assert "Retry-After" in replan["503"]["headers"]


def test_error_bodies_are_described_and_exemplified_per_status(schema):
    replan = schema["paths"]["/api/v1/milestones/{milestone_id}/replan/"]["post"]["responses"]
    listing = schema["paths"]["/api/v1/milestones/"]["get"]["responses"]

    assert replan["400"]["description"] != listing["400"]["description"]
    assert "body" in replan["400"]["description"]
    for code in ("400", "403", "404", "409", "410", "412", "422"):
        [example] = replan[code]["content"]["application/problem+json"]["examples"].values()
        assert example["value"]["status"] == int(code)


def test_the_documented_headers_are_sent(pinned_today, users, manager):
    project = factories.project(users["manager"], slug="alpha")
    milestone = factories.milestone(users["manager"], project, planned_on=pinned_today)
    url = f"/api/v1/milestones/{milestone}/"

    read = manager.get(url)
    first = manager.post(url + "retitle/", {"title": "Ny"}, format="json", HTTP_IDEMPOTENCY_KEY="k")
    again = manager.post(url + "retitle/", {"title": "Ny"}, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert read.has_header("ETag") and first.has_header("ETag")
    assert RATE_LIMIT <= set(read.headers) and RATE_LIMIT <= set(first.headers)
    assert again["Idempotent-Replayed"] == "true"


def test_every_create_links_to_the_read_of_what_it_made(schema):
    operation_ids = {op["operationId"] for _, _, op in operations(schema)}
    creates = [
        (path, response)
        for path, method, op in operations(schema)
        for code, response in op["responses"].items()
        if method == "post" and code in ("201", "202") and path != "/api/v1/areas/"
    ]

    unlinked = [path for path, response in creates if not response.get("links")]
    targets = {
        link["operationId"] for _, response in creates for link in response["links"].values()
    }

    assert creates and unlinked == []
    assert targets <= operation_ids
    plan = schema["paths"]["/api/v1/projects/{slug}/milestones/"]["post"]["responses"]["201"]
    assert plan["links"]["GetMilestone"] == {
        "operationId": "milestones_retrieve",
        "parameters": {"milestone_id": "$response.body#/id"},
    }


def test_every_property_has_a_description(schema):
    bare = [
        f"{name}.{prop}"
        for name, component in schema["components"]["schemas"].items()
        for prop, spec in component.get("properties", {}).items()
        if not spec.get("description")
    ]

    assert bare == []


def command_views():
    from django.urls import get_resolver

    from portfolio.api_platform.command_api import CommandApi

    def walk(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns)
            elif issubclass(getattr(p.callback, "view_class", object), CommandApi):
                yield p.callback.view_class

    return set(walk(get_resolver().url_patterns))


def test_every_command_body_has_an_example_that_is_valid_input(schema):
    bodies = {view.input_serializer for view in command_views() if view.input_serializer().fields}

    refused = {
        body.__name__: body(data=body.example).errors
        for body in bodies
        if not body.example or not body(data=body.example).is_valid()
    }

    assert len(bodies) > 15 and refused == {}
    replan = schema["paths"]["/api/v1/milestones/{milestone_id}/replan/"]["post"]
    [example] = replan["requestBody"]["content"]["application/json"]["examples"].values()
    assert example["value"] == {"planned_on": "2026-11-01", "reason": "Leverandøren er forsinket."}
