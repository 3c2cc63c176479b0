"""Every schema link from a create leads a client, as written, to the read of what it made.

A consumer (or a generated client) takes the create's documented example, sends it, evaluates
the link's runtime expression on the answer and follows it. The examples name the seed's
project; here they name the test portfolio's.
"""

import pytest
from drf_spectacular.generators import SchemaGenerator

from . import portfolio_data

pytestmark = pytest.mark.django_db

# The test portfolio's names for what the examples name (a project of the seed's).
PATH_VALUES = {"slug": "alpha"}
BODY_VALUES = {"/api/v1/reports/": {"project": "alpha"}}


def _creates_with_links(schema) -> list[tuple[str, dict, str, dict]]:
    """Return (path, example body, status, link) of every create whose answer links on."""
    found = []
    for path, operations in schema["paths"].items():
        post = operations.get("post")
        if post is None:
            continue
        for status, answer in post["responses"].items():
            for link in answer.get("links", {}).values():
                if any(e.startswith("$response.body#") for e in link["parameters"].values()):
                    media = post["requestBody"]["content"]["application/json"]
                    [example] = [e["value"] for e in media["examples"].values()]
                    found.append((path, example, status, link))
    return found


def _pointer(body: dict, pointer: str):
    """Resolve a JSON pointer (RFC 6901; our ids have no "/" or "~") in the answer."""
    for part in pointer.lstrip("/").split("/"):
        body = body[part]
    return body


def _path_of(schema, operation_id: str) -> str:
    for path, operations in schema["paths"].items():
        if operations.get("get", {}).get("operationId") == operation_id:
            return path
    raise AssertionError(f"no GET operation {operation_id}")


def test_each_create_link_leads_to_the_read_of_what_was_made(users, client_for):
    portfolio_data.build(users)
    admin = client_for(users["admin"])
    schema = SchemaGenerator().get_schema(request=None, public=True)
    creates = _creates_with_links(schema)
    followed = []

    for path, example, status, link in creates:
        # given: the create's own example, naming the test portfolio
        url = path.format(**PATH_VALUES)
        body = {**example, **BODY_VALUES.get(path, {})}
        made = admin.post(url, body, format="json")
        assert str(made.status_code) == status, (url, made.content)

        # when: the client follows the link with the value its expression picks
        values = {
            name: _pointer(made.json(), expression.removeprefix("$response.body#"))
            for name, expression in link["parameters"].items()
        }
        target = _path_of(schema, link["operationId"]).format(**values)
        read = admin.get(target)

        # then: the read answers with what was made
        assert read.status_code == 200, (target, read.content)
        names = [key for key in ("id", "slug") if key in made.json()]
        assert names and all(read.json()[key] == made.json()[key] for key in names)
        followed.append(link["operationId"])

    assert sorted(followed) == sorted(
        [
            "kpis_retrieve",
            "milestones_retrieve",
            "projects_retrieve",
            "reports_requests_retrieve",
            "risks_retrieve",
            "webhooks_retrieve",
        ]
    )
