"""A toy resource built on the API helpers, so they are tested through HTTP before any domain.

A "counter" is an event stream; bumping it is a command with an expected version. The toy
project `toy` is managed by the user `manager`.
"""

from django.urls import include, path
from rest_framework import serializers
from rest_framework.exceptions import NotFound as HttpNotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio import errors
from portfolio.api_platform import etag, idempotency
from portfolio.api_platform.permissions import (
    CreatesProjects,
    ManagesProject,
    ReadOnly,
    RecordsDecisions,
)
from portfolio.eventstore import store


def state(counter_id: str) -> tuple[int, int]:
    events = store.read_stream(f"counter-{counter_id}")
    if not events:
        raise HttpNotFound(f"No counter {counter_id}.")
    return sum(e.data["by"] for e in events), events[-1].version


class BumpInput(serializers.Serializer):
    by = serializers.IntegerField(min_value=1, max_value=10)
    reason = serializers.CharField(required=False, default="")


class CounterApi(APIView):
    conditional_get = True

    def get(self, request, counter_id):
        count, version = state(counter_id)
        return etag.conditional(
            request, {"id": counter_id, "count": count, "version": version}, version
        )


class CounterBumpApi(APIView):
    permission_classes = [ReadOnly | ManagesProject]

    def get_project_managers(self):
        state(self.kwargs["counter_id"])  # 404 before 403 for an unknown counter
        return ["manager"]

    @idempotency.idempotent
    def post(self, request, counter_id):
        data = BumpInput(data=request.data)
        data.is_valid(raise_exception=True)
        expected = etag.expected_version(request)
        if expected is None:
            expected = state(counter_id)[1]
        result = store.append(
            stream_id=f"counter-{counter_id}",
            stream_type="Counter",
            expected_version=expected,
            events=[store.NewEvent("Counter.Bumped", {"by": data.validated_data["by"]})],
            actor=request.user.get_username(),
            command_id=idempotency.command_id(request),
            reason=data.validated_data["reason"],
        )
        count, version = state(counter_id)
        return etag.with_etag(Response({"count": count, "version": version}), result.version)


class FailApi(APIView):
    """Raise the error named in the URL, to see how the handler answers it."""

    permission_classes = [ReadOnly]

    def get(self, request, kind):
        if kind == "crash":
            raise RuntimeError("boom")
        error = {
            "invalid": errors.InvalidInput,
            "not_found": errors.NotFound,
            "forbidden": errors.NotAllowed,
            "closed": errors.Closed,
        }[kind]
        raise error("title", f"a {kind} title")

    def post(self, request, kind):
        return Response({"written": True})  # unreachable: the view is read-only


class CreateProjectApi(APIView):
    permission_classes = [ReadOnly | CreatesProjects]

    def post(self, request):
        return Response({"created": bool(request.data)}, status=201)


class DecisionApi(APIView):
    permission_classes = [ReadOnly | RecordsDecisions]

    def post(self, request):
        return Response({"recorded": True}, status=201)


urlpatterns = [
    path("toy/counters/<str:counter_id>/", CounterApi.as_view()),
    path("toy/counters/<str:counter_id>/bump/", CounterBumpApi.as_view()),
    path("toy/fail/<str:kind>/", FailApi.as_view()),
    path("toy/projects/", CreateProjectApi.as_view()),
    path("toy/decisions/", DecisionApi.as_view()),
    path("", include("portfolio.urls")),
]


def seed(counter_id: str = "c1", by: int = 1) -> int:
    """Create a counter at version 1; return its version."""
    return store.append(
        stream_id=f"counter-{counter_id}",
        stream_type="Counter",
        expected_version=0,
        events=[store.NewEvent("Counter.Bumped", {"by": by})],
        actor="setup",
    ).version
