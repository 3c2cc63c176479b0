"""An example for every JSON request body and success answer in the schema that has none.

A schema post-processing hook: where an operation names no example of its own (an
`OpenApiExample`, an input's `example`), it builds one from the body's schema, taking a
field's value from FIELDS by its name where one is given (a project reads
"fhir-korrespondance" and a milestone "Pilot i Aarhus" wherever they appear) and from its
type and format otherwise.
tests/api/test_schema_examples.py validates every example against its schema.
"""

import copy
import re

UUID = "3f2b8c1e-6a4d-4e0b-9c7a-1d2e3f4a5b6c"
SITE = "https://portefolje.example.org"

# Values by field name, wherever the field appears (when the value fits its type and pattern).
FIELDS = {
    "id": UUID,
    "stream": UUID,
    "project_id": UUID,
    "area_id": "8a1f0d3c-2b4e-4f6a-9c8d-7e6f5a4b3c2d",
    "track_id": "c4d5e6f7-0a1b-4c2d-8e3f-4a5b6c7d8e9f",
    "subject_id": UUID,
    "slug": "fhir-korrespondance",
    "project": "fhir-korrespondance",
    "area": "kommuner",
    "track": "Børn",
    "title": "Pilot i Aarhus",
    "name": "Kommuneområdet",
    "label": "Tilsluttede kommuner",
    "denominator_label": "Kommuner i alt",
    "unit": "kommuner",
    "reason": "Leverandøren leverer en måned senere.",
    "why": "Leverandøren leverer en måned senere.",
    "justification": "Leverancen er forsinket, men slutdatoen holder.",
    "rating_justification": "Leverancen er forsinket, men slutdatoen holder.",
    "text": "Piloten er **i gang** i tre kommuner.",
    "narrative": "Piloten er **i gang** i tre kommuner.",
    "description": "Leverandøren kan blive forsinket af *nye krav*.",
    "mitigation": "Ugentlige møder med leverandøren.",
    "purpose": "At kommunerne kan sende FHIR-korrespondance.",
    "remark": "Tallet er fra kvartalsopgørelsen.",
    "note": "Fra styregruppemødet.",
    "milestone_note": "Pilotens dato afhænger af leverandøren.",
    "monitoring_note": "Måles hvert kvartal.",
    "owner": "Mette Hansen",
    "project_leader": "Mette Hansen",
    "who": "projektleder",
    "actor": "projektleder",
    "created_by": "projektleder",
    "requested_by": "projektleder",
    "username": "projektleder",
    "managers": ["projektleder"],
    "steering_group": ["Anne Jensen"],
    "participants": ["Aarhus Kommune"],
    "roles": ["project_managers"],
    "kinds": ["Milestone.*"],
    "stream_type": "Milestone",
    "subject_type": "Milestone",
    "type": "Milestone.Replanned",
    "event_type": "Milestone.Replanned",
    "subject": "Pilot i Aarhus",
    "summary": "Pilot i Aarhus: 01.03.2026 -> 15.04.2026",
    "code": "invalid",
    "field": "planned_on",
    "message": "Give a date as YYYY-MM-DD.",
    "detail": "Give a date as YYYY-MM-DD.",
    "error": "",
    "last_error": "",
    "secret": "whsec_" + "k" * 43,
    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "reportlab_version": "4.2.5",
    "value": "42.5",
    "source": "Kvartalsopgørelsen",
    "url": "https://example.org/portefolje-hook",
    "data": {"title": "Pilot i Aarhus", "planned_on": "2026-04-15"},
    "version": 3,
    "position": 1042,
    "after_position": 1041,
    "last_position": 1042,
    "count": 1,
    "probability": 3,
    "impact": 4,
    "score": 12,
    "status_code": 200,
    "replan_count": 1,
    "slippage_days": 45,
    "attempts": 1,
    "progress": 40,
    "denominator": 98,
    "pages": 2,
    "size": 48213,
    "projects": 12,
}

_BY_FORMAT = {
    "date": "2026-04-15",
    "date-time": "2026-03-01T09:30:00Z",
    "uuid": UUID,
    "uri": f"{SITE}/api/v1/projects/fhir-korrespondance/",
    "decimal": "42.5",
}
_BY_TYPE = {"string": "Eksempel", "integer": 1, "number": 1.5, "boolean": True}


def _fits(value, schema: dict) -> bool:
    kind = schema.get("type")
    if kind == "string":
        if not isinstance(value, str):
            return False
        pattern = schema.get("pattern")
        return pattern is None or re.search(pattern, value) is not None
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "array":
        items = schema.get("items", {})
        return isinstance(value, list) and all(_fits(v, items) for v in value)
    if kind == "object":
        return isinstance(value, dict) and not schema.get("properties")
    return False


def example_of(schema: dict, components: dict, name: str | None = None, depth: int = 0):
    """Return a value for `schema` (OpenAPI 3.0, `$ref`s into `components`)."""
    if "$ref" in schema:
        return example_of(components[schema["$ref"].rsplit("/", 1)[1]], components, name, depth)
    for several in ("allOf", "oneOf", "anyOf"):
        if schema.get(several):
            first = schema[several][0]
            if "type" in schema:  # alternatives that only refine it (a string's formats)
                rest = {k: v for k, v in schema.items() if k != several}
                return example_of({**rest, **first}, components, name, depth)
            return example_of(first, components, name, depth)
    if "enum" in schema:
        return next((v for v in schema["enum"] if v not in (None, "")), schema["enum"][0])
    if "example" in schema:
        return schema["example"]
    if name in FIELDS and _fits(FIELDS[name], schema):
        return copy.deepcopy(FIELDS[name])
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        if depth > 6:
            return {}
        return {
            key: example_of(value, components, key, depth + 1)
            for key, value in schema.get("properties", {}).items()
        }
    if kind == "array":
        item = example_of(schema.get("items", {}), components, None, depth + 1)
        return [item] * max(schema.get("minItems", 1), 1)
    if kind == "string":
        if schema.get("format") in _BY_FORMAT:
            return _BY_FORMAT[schema["format"]]
        if name in ("next", "previous", "self"):
            return f"{SITE}/api/v1/projects/?cursor=cj0xJnA9Zmhpcg%3D%3D"
        return _BY_TYPE["string"]
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    return _BY_TYPE.get(kind, {})


def _fill(content: dict, components: dict) -> None:
    body = content.get("application/json")
    if body is None or "example" in body or body.get("examples") or "schema" not in body:
        return
    body["examples"] = {"example": {"value": example_of(body["schema"], components)}}


def add_examples(result, generator, request, public):
    """drf-spectacular post-processing hook: fill in the missing examples (see above)."""
    components = result.get("components", {}).get("schemas", {})
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            if "requestBody" in operation:
                _fill(operation["requestBody"].get("content", {}), components)
            for code, answer in operation.get("responses", {}).items():
                if str(code).startswith("2"):
                    _fill(answer.get("content", {}), components)
    return result
