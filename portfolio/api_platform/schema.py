"""OpenAPI: the token scheme, and every operation's problem-details error responses."""

from http import HTTPStatus

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter
from rest_framework import serializers

from portfolio.inputs import DATE_HINT, BusinessDate, Input

from . import glossary
from .problems import PROBLEM_JSON
from .reading import AS_OF

READ_ERRORS = {
    "400": "Bad query parameters",
    "401": "Not signed in, or the token is not valid",
    "403": "Your role may not do this",
    "404": "Not found",
    "405": "Method not allowed",
    "406": "Cannot answer in the asked format",
    "429": "Too many requests; see Retry-After",
    "503": "The database is away for a moment; see Retry-After",
}

# Text without a NUL character, which every text field refuses (DRF's CharField).
NO_NUL = r"^[^\u0000]*$"


def _problem(status: int, detail: str, code: str, **extra) -> dict:
    title = HTTPStatus(status).phrase
    return {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        **extra,
    }


# An example body of each error status, as problems.py writes it.
PROBLEM_EXAMPLES = {
    "400": _problem(
        400,
        "reason: Dette felt er påkrævet.",
        "invalid",
        field="reason",
        errors=[{"field": "reason", "message": "Dette felt er påkrævet.", "code": "required"}],
    ),
    "401": _problem(401, "Godkendelsesoplysninger var ikke angivet.", "not_authenticated"),
    "403": _problem(
        403, "project: Kun projektets ansvarlige må ændre det.", "forbidden", field="project"
    ),
    "404": _problem(404, "Ikke fundet.", "not_found"),
    "409": _problem(
        409,
        "The resource has changed since you read it; read it again.",
        "conflict",
        field="If-Match",
        current_version=4,
    ),
    "410": _problem(410, "This was withdrawn; the project's history keeps it.", "withdrawn")
    | {"type": "https://portefolje.invalid/problems/withdrawn"},
    "412": _problem(
        412,
        "The resource has changed since you read it; read it again.",
        "precondition_failed",
        field="If-Match",
        current_version=4,
    ),
    "422": _problem(
        422, "This Idempotency-Key was used for a different request; use a new key.", "key_reused"
    ),
    "429": _problem(429, "Forespørgslen blev neddroslet.", "throttled"),
    "503": _problem(
        503, "The database is unavailable for a moment; try again shortly.", "unavailable"
    ),
}


def _header(name: str, description: str, response, kind=OpenApiTypes.STR) -> OpenApiParameter:
    return OpenApiParameter(
        name, kind, OpenApiParameter.HEADER, response=response, description=description
    )


RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": "Requests your token (or address) may make in the window.",
    "RateLimit-Remaining": "Requests left in the window.",
    "RateLimit-Reset": "Seconds until the window frees a request.",
}
RETRY_AFTER = "Seconds to wait before trying again."
ETAG = _header(
    "ETag",
    'The version read, e.g. "3-1f0c2a9d8e7b6c5d": send it back as If-Match on a write (412 if '
    "it moved on), or as If-None-Match on a read (304 if it has not).",
    [200, 201],
)


def _headers(names: dict, kind: str = "integer") -> dict:
    return {name: {"schema": {"type": kind}, "description": text} for name, text in names.items()}


WRITE_ERRORS = {
    "400": "The body or a header is not valid: `field` names the first at fault, `errors` all",
    "409": "Conflict: the resource changed meanwhile or is closed, or the slug is taken",
    "412": "If-Match is stale: the resource changed since you read it",
    "415": "Unsupported media type",
    "422": "Idempotency-Key reused for a different request",
}
GONE = "Withdrawn (type .../problems/withdrawn): gone since, kept in the project's history"


class ProblemErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, with the field at fault."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    field = serializers.CharField(required=False, allow_null=True)
    errors = ProblemErrorSerializer(many=True, required=False)
    current_version = serializers.IntegerField(required=False)

    class Meta:
        ref_name = "Problem"


LIST_HEADERS = [
    OpenApiParameter(
        "Link",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description='The neighbouring pages (RFC 8288): `<url>; rel="next", <url>; rel="prev"`.',
    ),
    OpenApiParameter(
        "Content-Disposition",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description='With `?format=csv`: `attachment; filename="<list>.csv"`.',
    ),
]


class ProblemAutoSchema(AutoSchema):
    """Document the problem responses every operation can give, beside its own.

    Command endpoints (portfolio.api_platform.command_api.CommandApi) name their input and output
    serializers and status as class attributes; they are read from there, as are a list's
    (portfolio.api_platform.listing.ListApi) parameters, envelope, operation id and tag.
    """

    def _list_view(self):
        """Return the view if this operation is a ListApi's GET, else None."""
        if self.method == "GET" and getattr(self.view, "list_query", None) is not None:
            return self.view
        return None

    def get_operation_id(self):
        view = self._list_view()
        return view.list_operation_id if view else super().get_operation_id()

    def get_tags(self):
        view = self._list_view()
        return [view.list_tag] if view else super().get_tags()

    def get_examples(self):
        examples = list(super().get_examples())
        body = getattr(self.view, "input_serializer", None)
        if self.method == "POST" and getattr(body, "example", None):
            examples.append(OpenApiExample(body.__name__, value=body.example, request_only=True))
        return examples

    def get_request_serializer(self):
        return getattr(self.view, "input_serializer", None) or super().get_request_serializer()

    def get_response_serializers(self):
        view = self._list_view()
        if view is not None:
            return {200: view.page_serializer, (200, "text/csv"): OpenApiTypes.STR}
        output = getattr(self.view, "output_serializer", None)
        status = getattr(self.view, "status_code", 200)
        if self.method == "POST" and status == 204:
            return {204: None}
        if output is not None and self.method == "POST":
            return {status: output}
        return super().get_response_serializers()

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if isinstance(serializer, Input):  # it refuses fields it does not declare
            schema["additionalProperties"] = False
        if direction == "request":  # DRF refuses a NUL in any text
            for value in schema.get("properties", {}).values():
                for text in (value, value.get("items") or {}):
                    if text.get("type") == "string" and not {"pattern", "enum", "format"} & set(
                        text
                    ):
                        text["pattern"] = NO_NUL
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # drf-spectacular states a ListField's length, not that of a list of objects (many=True).
        if isinstance(field, serializers.ListSerializer):
            if field.max_length is not None:
                schema["maxItems"] = field.max_length
            if field.min_length is not None:
                schema["minItems"] = field.min_length
        if isinstance(field, BusinessDate):
            schema["pattern"] = BusinessDate.PATTERN
        return schema

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        # A text an input refuses when blank says so. Only inputs: an answer's text may be
        # empty where the domain allows it.
        refuses_blank = isinstance(field, serializers.CharField) and not field.allow_blank
        if direction == "request" and refuses_blank:
            meta.setdefault("minLength", 1)
        if not meta.get("description") and field.field_name in glossary.FIELDS:
            meta["description"] = glossary.FIELDS[field.field_name]
        if isinstance(field, BusinessDate):
            meta["description"] = " ".join(filter(None, [meta.get("description"), DATE_HINT]))
        return meta

    def _get_format_parameters(self):
        # Only reads answer in a format asked for (?format=csv); a write answers JSON.
        return super()._get_format_parameters() if self.method == "GET" else []

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and getattr(self.view, "input_serializer", None):
            from .command_api import IDEMPOTENCY_KEY, IF_MATCH, REPLAYED

            parameters += [IF_MATCH, IDEMPOTENCY_KEY]
        view = self._list_view()
        if view is not None:
            # The cursor is left out on purpose: it is an opaque part of the `next` link.
            parameters += [p for p in (view.filters, view.list_query) if p is not None]
            parameters += [AS_OF] if view.reads_as_of else []
            parameters += LIST_HEADERS
        if self.method == "POST" and getattr(self.view, "input_serializer", None):
            from .command_api import REPLAYED

            parameters += [REPLAYED]
            if getattr(self.view, "status_code", 200) != 204:
                parameters += [ETAG]
        elif self.method == "GET" and getattr(self.view, "conditional_get", False):
            parameters += [ETAG]
        parameters += [
            _header(n, text, True, OpenApiTypes.INT) for n, text in RATE_LIMIT_HEADERS.items()
        ]
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(READ_ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors.update(WRITE_ERRORS)
        if getattr(self.view, "may_be_withdrawn", False):
            errors["410"] = GONE
        ref = self.resolve_serializer(ProblemSerializer, "response").ref
        for code, description in errors.items():
            headers = _headers(RATE_LIMIT_HEADERS)
            if code in ("429", "503"):
                headers = _headers({"Retry-After": RETRY_AFTER}) | headers
            body = {"schema": ref}
            if code in PROBLEM_EXAMPLES:
                body["examples"] = {code: {"value": PROBLEM_EXAMPLES[code]}}
            responses.setdefault(
                code,
                {"description": description, "headers": headers, "content": {PROBLEM_JSON: body}},
            )
        if self.method == "GET" and getattr(self.view, "conditional_get", False):
            responses.setdefault("304", {"description": "Not modified (If-None-Match)"})
        if self.method == "POST":
            self._add_links(responses)
        return responses

    def _add_links(self, responses: dict) -> None:
        """Link a write's answer to the read of what it made or changed (the view's
        `schema_links`: name -> (operationId, {parameter: runtime expression})), so a client
        or schemathesis goes on from a created id."""
        links = {
            name: {"operationId": operation_id, "parameters": parameters}
            for name, (operation_id, parameters) in getattr(self.view, "schema_links", {}).items()
        }
        for code, response in responses.items():
            if links and code.startswith("2") and code != "204":
                response["links"] = links


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "portfolio.api_platform.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <secret>`; `python manage.py create_api_token USER` prints one.",
        }
