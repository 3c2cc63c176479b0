"""Every field an answer holds is one its documented schema names, and none it requires is left out.

Schemathesis validates answers against the schema, but a JSON Schema object takes properties it
does not name; this walks the answers of the project, decision, KPI, risk and milestone
endpoints, reads and writes, now and as of a date, and names any field the schema does not.
"""

import pytest

from portfolio.webhooks import delivery

from . import portfolio_data

pytestmark = pytest.mark.django_db


def _resolve(schema: dict, components: dict) -> dict:
    """Return the schema with its $ref and allOf parts merged into one object schema."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    merged = {k: v for k, v in schema.items() if k != "allOf"}
    for part in schema.get("allOf", []):
        part = _resolve(part, components)
        merged["properties"] = {**part.get("properties", {}), **merged.get("properties", {})}
        merged["required"] = [*part.get("required", []), *merged.get("required", [])]
        merged.setdefault("items", part.get("items"))
    return merged


def mismatches(value, schema: dict, components: dict, path: str = "") -> list[str]:
    """Return the paths of fields `value` holds that `schema` does not name, or lacks."""
    schema = _resolve(schema, components)
    if isinstance(value, list) and schema.get("items"):
        return [
            found
            for i, item in enumerate(value)
            for found in mismatches(item, schema["items"], components, f"{path}[{i}]")
        ]
    if not isinstance(value, dict) or "properties" not in schema:
        return []  # a scalar, or a free-form object (an event's data)
    named = schema["properties"]
    found = [f"{path}.{key} (not documented)" for key in value if key not in named]
    found += [f"{path}.{key} (missing)" for key in schema.get("required", []) if key not in value]
    for key, item in value.items():
        if key in named:
            found += mismatches(item, named[key], components, f"{path}.{key}")
    return found


@pytest.fixture
def documented(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]

    def check(template: str, method: str, response) -> list[str]:
        assert response.status_code in (200, 201), response.content
        operation = schema["paths"][template][method]
        content = operation["responses"][str(response.status_code)]["content"]
        return mismatches(response.json(), content["application/json"]["schema"], components)

    return check


def test_the_check_names_an_undocumented_and_a_missing_field():
    components = {"Out": {"properties": {"a": {"type": "string"}}, "required": ["a"]}}
    schema = {"type": "array", "items": {"$ref": "#/components/schemas/Out"}}

    assert mismatches([{"a": "x"}], schema, components) == []
    assert mismatches([{"a": "x", "b": 1}, {}], schema, components) == [
        "[0].b (not documented)",
        "[1].a (missing)",
    ]


def test_command_answers_hold_only_documented_fields(users, client_for, documented):
    data = portfolio_data.build(users)
    risk = data.risks["Leverandør"]
    commands = [
        ("status", {"track": "Børn", "rating": "yellow", "narrative": "Sen", "justification": "X"}),
        ("status", {"track": None, "rating": None, "narrative": ""}),
        (
            "update",
            {
                "participants": [{"track": "Børn", "text": "KL"}, {"track": None, "text": "Alle"}],
                "suppliers": [{"track": "LTT", "name": "Firma", "state": "decided"}],
                "read_more": {"label": "Mere", "url": "https://example.org/", "note": ""},
                "steering_group": ["Formand"],
            },
        ),
        ("decisions", {"meeting_on": "2026-02-10", "text": "Ja", "affects": [data.m["Pilot"]]}),
        ("kpis", {"name": "Regioner", "track": "LTT"}),
        ("tracks", {"name": "Ny"}),
        ("milestones", {"title": "Ny", "planned_on": "2026-06-01", "track": "Ny"}),
    ]
    posts = [
        (f"/api/v1/projects/{{slug}}/{name}/", f"/api/v1/projects/alpha/{name}/", body)
        for name, body in commands
    ]
    posts += [
        ("/api/v1/risks/{risk_id}/mark-biggest/", f"/api/v1/risks/{risk}/mark-biggest/", {}),
        (
            "/api/v1/risks/{risk_id}/assess/",
            f"/api/v1/risks/{risk}/assess/",
            {"probability": 2, "impact": 2},
        ),
        (
            "/api/v1/kpis/{kpi_id}/points/",
            f"/api/v1/kpis/{data.kpi}/points/",
            {"measured_on": "2026-02-18", "value": "41.5"},
        ),
        ("/api/v1/kpis/{kpi_id}/remark/", f"/api/v1/kpis/{data.kpi}/remark/", {"remark": "Godt"}),
    ]
    manager, steering = client_for(users["manager"]), client_for(users["steering"])

    for template, url, body in posts:
        client = steering if url.endswith("/decisions/") else manager
        assert documented(template, "post", client.post(url, body, format="json")) == [], url


READS = [
    ("/api/v1/areas/", "/api/v1/areas/"),
    ("/api/v1/projects/", "/api/v1/projects/"),
    ("/api/v1/projects/{slug}/", "/api/v1/projects/alpha/"),
    ("/api/v1/projects/{slug}/history/", "/api/v1/projects/alpha/history/?limit=5"),
    ("/api/v1/projects/{slug}/changes/", "/api/v1/projects/alpha/changes/"),
    ("/api/v1/decisions/", "/api/v1/decisions/"),
    ("/api/v1/kpis/", "/api/v1/kpis/"),
    ("/api/v1/kpis/{kpi_id}/", "/api/v1/kpis/{kpi}/"),
    ("/api/v1/risks/", "/api/v1/risks/"),
    ("/api/v1/risks/{risk_id}/", "/api/v1/risks/{risk}/"),
    ("/api/v1/milestones/", "/api/v1/milestones/"),
    ("/api/v1/milestones/{milestone_id}/", "/api/v1/milestones/{milestone}/"),
    ("/api/v1/events/", "/api/v1/events/?limit=5"),
    ("/api/v1/me/", "/api/v1/me/"),
]


# Reads that take no `as_of`: the feed is the log itself, changes take `until`, `me` is now.
TIMELESS = {"/api/v1/events/", "/api/v1/projects/{slug}/changes/", "/api/v1/me/"}


@pytest.mark.parametrize("as_of", ["", "2026-02-20"])
def test_reads_hold_only_documented_fields(users, manager, reader, documented, as_of):
    data = portfolio_data.build(users)
    manager.post(
        "/api/v1/projects/alpha/status/",
        {
            "track": "Børn",
            "rating": "green",
            "narrative": "Fint",
            "reported_on": "2026-02-17",
            "justification": "Leverandøren indhenter det",
        },
        format="json",
    )
    manager.post(f"/api/v1/risks/{data.risks['Leverandør']}/mark-biggest/", {}, format="json")
    ids = {"kpi": data.kpi, "risk": data.risks["Leverandør"], "milestone": data.m["Pilot"]}

    for template, url in READS:
        url = url.format(**ids)
        if as_of and template not in TIMELESS:
            url += f"{'&' if '?' in url else '?'}as_of={as_of}"
        assert documented(template, "get", reader.get(url)) == [], url


def test_webhook_answers_hold_only_documented_fields(users, client_for, documented, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    admin = client_for(users["admin"])
    body = {"url": "http://127.0.0.1:9/", "kinds": ["Area.*"]}  # port 9: nobody answers
    created = admin.post("/api/v1/webhooks/", body, format="json")
    portfolio_data.build(users)
    delivery.pump()  # one attempt fails (refused), the rest wait: every field filled somewhere
    hook = created.json()["id"]

    assert documented("/api/v1/webhooks/", "post", created) == []
    assert documented("/api/v1/webhooks/", "get", admin.get("/api/v1/webhooks/")) == []
    detail = admin.get(f"/api/v1/webhooks/{hook}/")
    assert documented("/api/v1/webhooks/{webhook_id}/", "get", detail) == []
    log = admin.get(f"/api/v1/webhooks/{hook}/deliveries/")
    assert len(log.json()["results"]) >= 1
    assert documented("/api/v1/webhooks/{webhook_id}/deliveries/", "get", log) == []
