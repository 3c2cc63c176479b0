"""OpenAPI: the token scheme, and every operation's problem-details error responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from portfolio.inputs import DATE_HINT, BusinessDate, Input

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
}
WRITE_ERRORS = {
    "409": "Conflict: the resource changed meanwhile or is closed, or the slug is taken",
    "412": "If-Match is stale: the resource changed since you read it",
    "415": "Unsupported media type",
    "422": "Idempotency-Key reused for a different request",
}


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

    def get_request_serializer(self):
        return getattr(self.view, "input_serializer", None) or super().get_request_serializer()

    def get_response_serializers(self):
        view = self._list_view()
        if view is not None:
            return {200: view.page_serializer, (200, "text/csv"): OpenApiTypes.STR}
        output = getattr(self.view, "output_serializer", None)
        if output is not None and self.method == "POST":
            return {getattr(self.view, "status_code", 200): output}
        return super().get_response_serializers()

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if isinstance(serializer, Input):  # it refuses fields it does not declare
            schema["additionalProperties"] = False
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
        if isinstance(field, BusinessDate):
            meta["description"] = " ".join(filter(None, [meta.get("description"), DATE_HINT]))
        return meta

    def _get_format_parameters(self):
        # Only reads answer in a format asked for (?format=csv); a write answers JSON.
        return super()._get_format_parameters() if self.method == "GET" else []

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and getattr(self.view, "input_serializer", None):
            from .command_api import IDEMPOTENCY_KEY, IF_MATCH

            parameters += [IF_MATCH, IDEMPOTENCY_KEY]
        view = self._list_view()
        if view is not None:
            # The cursor is left out on purpose: it is an opaque part of the `next` link.
            parameters += [p for p in (view.filters, view.list_query) if p is not None]
            parameters += [AS_OF] if view.reads_as_of else []
            parameters += LIST_HEADERS
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(READ_ERRORS)
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            errors.update(WRITE_ERRORS)
        ref = self.resolve_serializer(ProblemSerializer, "response").ref
        for code, description in errors.items():
            responses.setdefault(
                code, {"description": description, "content": {PROBLEM_JSON: {"schema": ref}}}
            )
        if self.method == "GET" and getattr(self.view, "conditional_get", False):
            responses.setdefault("304", {"description": "Not modified (If-None-Match)"})
        return responses


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
