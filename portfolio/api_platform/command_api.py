"""The shape of every write endpoint: POST a command, with If-Match and Idempotency-Key.

A subclass names its input serializer, runs its command in `execute` and describes the result
in `answer`; validation, the expected version, the command id and the replay of a retried
request are done here once.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.eventstore.store import AppendResult
from portfolio.models import Project as ProjectRow
from portfolio.selectors import track_id_by_name

from . import etag, idempotency
from .permissions import ManagesProject, ReadOnly

# What etag.expected_version takes: "*", a strong tag, or the tag's text without its quotes.
IF_MATCH_PATTERN = r'^(\*|"[0-9]{1,9}(-[0-9a-f]{16})?"|[0-9]{1,9}(-[0-9a-f]{16})?)$'
IF_MATCH = OpenApiParameter(
    "If-Match",
    {"type": "string", "pattern": IF_MATCH_PATTERN},
    OpenApiParameter.HEADER,
    description=(
        'The ETag you read, e.g. "3-1f0c2a9d8e7b6c5d" (or its version alone, "3"): the write '
        "fails with 412 if the resource's version has moved on since."
    ),
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": r"^[^\u0000-\u001f\u007f-\u009f]+$",
    },
    OpenApiParameter.HEADER,
    description="Any unique string (a UUID); a retry with the same key gets the first answer.",
)
REPLAYED = OpenApiParameter(
    "Idempotent-Replayed",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201, 202, 204],
    description=(
        '"true" when this is the stored answer to an earlier request with the same Idempotency-Key.'
    ),
)


class CommandApi(APIView):
    permission_classes = [ReadOnly | ManagesProject]
    input_serializer = None
    output_serializer = None
    status_code = 200

    def execute(self, request, data: dict, *, expected_version, command_id) -> AppendResult:
        raise NotImplementedError

    def answer(self, request, result: AppendResult) -> Response:
        raise NotImplementedError

    @idempotency.idempotent
    def post(self, request, *args, **kwargs):
        if request.query_params:  # a write takes its input from the body alone
            refused = _("A write takes no query parameters; send the input in the body.")
            raise ValidationError({name: [refused] for name in request.query_params})
        # The input serializer is a portfolio.inputs.Input: it refuses a field it does not declare.
        given = self.input_serializer(data=request.data)
        given.is_valid(raise_exception=True)
        result = self.execute(
            request,
            given.validated_data,
            expected_version=etag.expected_version(request),
            command_id=idempotency.command_id(request),
        )
        response = self.answer(request, result)
        response.status_code = self.status_code
        return response


def _project(slug: str) -> tuple[str, list]:
    row = ProjectRow.objects.filter(slug=slug).values_list("id", "managers").first()
    if row is None:
        raise Http404
    return row


class ProjectCommandApi(CommandApi):
    """Base of commands on one project, by its slug: its managers may run them."""

    def get_project_managers(self):
        return _project(self.kwargs["slug"])[1]

    @property
    def project_id(self) -> str:
        return _project(self.kwargs["slug"])[0]

    def on_track(self, data: dict) -> dict:
        """Return the input with the project's id, and its `track` (a name or id) as `track_id`."""
        data = dict(data)
        project_id = self.project_id
        track_id = track_id_by_name(project_id, data.pop("track"))
        return {**data, "project_id": project_id, "track_id": track_id}
