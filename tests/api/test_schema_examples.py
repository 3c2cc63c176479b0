"""Every JSON request body and success answer in /api/schema/ has an example, and every
example in it (error bodies' too) is valid against the schema it illustrates."""

import copy

import pytest
from jsonschema import Draft202012Validator, FormatChecker

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        answer = Client().get("/api/schema/?format=json")
    assert answer.status_code == 200
    return answer.json()


def _json_schema(node):
    """Return OpenAPI 3.0's schema as JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [node, {"type": "null"}]}
    return node


def _bodies(schema):
    """Yield (operation, where, content type, media object) of every body in the schema."""
    for path, operations in schema["paths"].items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            name = f"{operation['operationId']} ({method.upper()} {path})"
            for kind, media in operation.get("requestBody", {}).get("content", {}).items():
                yield name, "request", kind, media
            for code, answer in operation["responses"].items():
                for kind, media in answer.get("content", {}).items():
                    yield name, code, kind, media


def _examples(media) -> list:
    if "example" in media:
        return [media["example"]]
    return [e["value"] for e in media.get("examples", {}).values() if "value" in e]


def test_every_json_request_body_and_success_answer_has_an_example(schema):
    missing = [
        f"{name} {where}"
        for name, where, kind, media in _bodies(schema)
        if kind == "application/json"
        and (where == "request" or where.startswith("2"))
        and not _examples(media)
    ]

    assert missing == []


def test_every_example_is_valid_against_its_schema(schema):
    components = _json_schema(copy.deepcopy(schema["components"]))
    invalid, checked = [], 0
    for name, where, kind, media in _bodies(schema):
        if not kind.endswith("json") or "schema" not in media:
            continue
        validator = Draft202012Validator(
            {**_json_schema(media["schema"]), "components": components},
            format_checker=FormatChecker(),
        )
        for example in _examples(media):
            checked += 1
            invalid += [
                f"{name} {where} {kind} at {'/'.join(map(str, e.absolute_path))}: {e.message}"
                for e in validator.iter_errors(example)
            ]

    assert invalid == []
    assert checked > 100  # the bodies were found: 2xx and problem examples of ~70 operations


def test_an_example_can_fail_its_schema(schema):
    # The check above is not blind: a created project without its slug is refused.
    components = _json_schema(copy.deepcopy(schema["components"]))
    operation = schema["paths"]["/api/v1/projects/"]["post"]
    media = operation["responses"]["201"]["content"]["application/json"]
    [example] = _examples(media)
    validator = Draft202012Validator({**_json_schema(media["schema"]), "components": components})
    assert [e.message for e in validator.iter_errors(example)] == []
    broken = {key: value for key, value in example.items() if key != "slug"}

    assert not validator.is_valid(broken)
