"""Hostile input a client controls never makes a 500: each gets its 400, 404 or 413, naming
what is wrong (deep JSON, huge bodies, control characters, forged cursors, absurd dates,
unknown fields, oversize lists)."""

import base64
import json

import pytest

from portfolio import limits
from portfolio.api_platform import parsing

from . import portfolio_data

pytestmark = pytest.mark.django_db

MILESTONES = "/api/v1/milestones/"
REPORTS = "/api/v1/reports/"


@pytest.fixture
def data(users):
    return portfolio_data.build(users)


def _post(client, url, body: bytes | dict):
    if isinstance(body, dict):
        return client.post(url, body, format="json")
    return client.post(url, body, content_type="application/json")


def _nested(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _hostile_requests(data):
    """Yield (name, method, url, body or None, the status expected, the field named or None)."""
    plan = "/api/v1/projects/alpha/milestones/"
    replan = f"{MILESTONES}{data.m['Pilot']}/replan/"
    update = "/api/v1/projects/alpha/update/"
    deep_object = b'{"title": ' + _nested(5000) + b"}"
    yield "json nested 5,000 deep", "post", plan, deep_object, 400, None
    yield "json nested 100 deep", "post", plan, _nested(100), 400, None
    yield "json just deep enough", "post", plan, _nested(parsing.MAX_DEPTH + 1), 400, None
    yield "a 10 MB body", "post", plan, b'{"title": "' + b"x" * 10_000_000 + b'"}', 413, None
    for listing in (MILESTONES, REPORTS):
        deep = _cursor(_nested(5000))
        yield "a nested cursor", "get", f"{listing}?cursor={deep}", None, 400, "cursor"
        for raw in (b"[[1], [2]]", b'[{"a": 1}, "x"]', b"null", b"\xff\xfe"):
            yield "a forged cursor", "get", f"{listing}?cursor={_cursor(raw)}", None, 400, "cursor"
    yield "NUL in a path id", "get", f"{MILESTONES}a%00b/", None, 404, "path"
    yield "a control byte in a path", "get", f"{MILESTONES}a%01b/", None, 404, "path"
    yield "NUL in a command's path", "post", f"{MILESTONES}a%00b/replan/", {}, 404, "path"
    yield "NUL in a query", "get", f"{MILESTONES}?project=a%00b", None, 400, "query"
    yield "a line feed in a query", "get", f"{MILESTONES}?track=a%0Ab", None, 400, "query"
    yield "an unknown id", "get", f"{MILESTONES}{'x' * 5000}/", None, 404, None
    for day in ("0001-01-01", "9999-12-31", "1989-12-31", "2101-01-01"):
        yield (
            "a plan in year " + day[:4],
            "post",
            plan,
            {
                "title": "T",
                "planned_on": day,
            },
            400,
            "planned_on",
        )
        yield (
            "a re-plan to " + day,
            "post",
            replan,
            {
                "planned_on": day,
                "reason": "r",
            },
            400,
            "planned_on",
        )
        yield (
            "a meeting on " + day,
            "post",
            "/api/v1/projects/alpha/decisions/",
            {
                "meeting_on": day,
                "text": "t",
            },
            400,
            "meeting_on",
        )
        yield (
            "a status report of " + day,
            "post",
            "/api/v1/projects/alpha/status/",
            {
                "rating": "green",
                "narrative": "n",
                "reported_on": day,
            },
            400,
            "reported_on",
        )
    typo = {"title": "T", "planed_on": "2026-05-01"}
    yield "an unknown field", "post", plan, typo, 400, "planed_on"
    yield (
        "an unknown nested field",
        "post",
        update,
        {"read_more": {"label": "l", "colour": "red"}},
        400,
        "read_more.colour",
    )
    yield (
        "a steering group of 11,000",
        "post",
        update,
        {"steering_group": ["Navn"] * 11_000},
        400,
        "steering_group",
    )
    yield (
        "too many participants",
        "post",
        update,
        {"participants": [{"text": "p"}] * (limits.ROWS + 1)},
        400,
        "participants",
    )
    yield (
        "a decision affecting too much",
        "post",
        "/api/v1/projects/alpha/decisions/",
        {
            "meeting_on": "2026-03-01",
            "text": "t",
            "affects": ["x"] * (limits.AFFECTS + 1),
        },
        400,
        "affects",
    )
    yield "a huge track name", "post", plan, {"title": "T", "track": "x" * 10_000}, 400, "track"


def test_hostile_requests_get_their_4xx_and_never_a_5xx(data, users, client_for):
    admin = client_for(users["admin"])  # may run every command, decisions too
    wrong = []
    for name, method, url, body, expected, field in _hostile_requests(data):
        # when
        if method == "get":
            response = admin.get(url)
        else:
            response = _post(admin, url, body)
        # then
        problem = response.json() if response["Content-Type"].endswith("json") else {}
        named = [problem.get("field")] + [e["field"] for e in problem.get("errors", [])]
        if response.status_code != expected or (field and field not in named):
            wrong.append((name, response.status_code, problem.get("detail")))
    assert wrong == []


def test_a_json_body_within_the_depth_limit_still_reaches_the_command(data, manager):
    # given: a plan nested three levels deep in an array the command does not take
    response = manager.post(
        "/api/v1/projects/alpha/milestones/", {"title": [[["T"]]]}, format="json"
    )

    # then: the serializer's own answer, not the parser's
    assert response.status_code == 400
    assert response.json()["field"] == "title"


def test_dates_at_the_ends_of_the_range_are_taken(data, manager):
    for day in (limits.EARLIEST_DATE, limits.LATEST_DATE):
        response = manager.post(
            "/api/v1/projects/alpha/milestones/",
            {"title": f"Plan {day}", "planned_on": day.isoformat()},
            format="json",
        )
        assert response.status_code == 201, response.json()


def test_the_schema_states_the_limits(reader):
    schema = json.loads(reader.get("/api/schema/?format=json").content)
    parts = schema["components"]["schemas"]
    update = parts["ProjectUpdateIn"]
    plan = parts["PlanIn"]

    assert update["additionalProperties"] is False
    assert update["properties"]["steering_group"]["maxItems"] == limits.STEERING_GROUP
    assert update["properties"]["participants"]["maxItems"] == limits.ROWS
    assert plan["properties"]["title"]["minLength"] == 1
    assert "1990-01-01" in plan["properties"]["planned_on"]["description"]
    assert plan["properties"]["planned_on"]["pattern"].startswith("^(199")


def test_html_pages_refuse_control_characters_too(client):
    assert client.get("/projects/a%00b/").status_code == 404
    assert client.get("/?q=a%00b").status_code == 400


def _objects(schema: dict, parts: dict):
    """Yield every object a request body may be: its $ref resolved, each oneOf option."""
    if "$ref" in schema:
        schema = parts[schema["$ref"].rsplit("/", 1)[1]]
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        for option in options:
            yield from _objects(option, parts)
    else:
        yield schema


def test_every_write_refuses_fields_it_does_not_declare(reader):
    schema = json.loads(reader.get("/api/schema/?format=json").content)
    parts = schema["components"]["schemas"]
    open_bodies = []
    writes = 0
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for media in operation.get("requestBody", {}).get("content", {}).values():
                for body in _objects(media["schema"], parts):
                    writes += 1
                    if body.get("additionalProperties") is not False:
                        open_bodies.append((method, path))

    assert writes > 20
    assert sorted(set(open_bodies)) == []


def test_an_unknown_report_field_is_refused_naming_it(data, users, client_for):
    requester = client_for(users["admin"])

    response = requester.post(
        REPORTS, {"kind": "portfolio", "language": "da", "projekt": "alpha"}, format="json"
    )

    assert response.status_code == 400, response.content
    assert response.json()["field"] == "projekt"
