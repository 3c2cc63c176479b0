"""Risk register endpoints: the list and one risk, and raise / assess / revise / status / mark."""

from django.http import Http404
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio import selectors
from portfolio.api_platform import annotations, etag, reading
from portfolio.api_platform.annotations import extend_schema
from portfolio.api_platform.command_api import CommandApi, ProjectCommandApi
from portfolio.api_platform.fields import (
    IdField,
    ProjectSlugField,
    TrackNameField,
    row_context,
    state_context,
)
from portfolio.api_platform.listing import ListApi, ListParams
from portfolio.api_platform.reading import SLUG_PARAM
from portfolio.models import Status as StatusRow
from risks.selectors import biggest_risk

from . import commands, inputs, shapes
from .domain import STATUSES, Risk
from .models import Risk as RiskRow


class RiskQuery(serializers.Serializer):
    project = serializers.RegexField(SLUG_PARAM, required=False, help_text="A project's slug.")
    area = serializers.RegexField(SLUG_PARAM, required=False, help_text="An area's slug.")
    status = serializers.ChoiceField(STATUSES, required=False)
    biggest = serializers.ChoiceField(["true", "false"], required=False)


class RiskRowOut(serializers.Serializer):
    """A risk of the register, from its read-model row or its folded aggregate."""

    id = serializers.CharField()
    project = ProjectSlugField()
    project_id = IdField(help_text="The project's id.")
    track = TrackNameField()
    track_id = IdField(help_text="The track's id (null: the whole project).")
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    probability = serializers.IntegerField(allow_null=True)
    impact = serializers.IntegerField(allow_null=True)
    score = serializers.IntegerField(allow_null=True)
    owner = serializers.CharField(allow_blank=True)
    mitigation = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(STATUSES)
    biggest = shapes.BiggestField()
    version = serializers.IntegerField()


class RiskListApi(ListApi):
    """List risks, of a project or an area, by status, or only the biggest per track."""

    item_serializer = RiskRowOut
    page_name = "RiskPage"
    filters = RiskQuery
    orderings = {
        "title": ("title",),
        "score": ("score",),
        "status": ("status", "title"),
        "project": ("project", "title"),
    }
    ordering = "project"
    search = ("title",)
    csv_name = "risks"
    list_operation_id = "risks_list"
    list_tag = "risks"

    def rows(self, params: ListParams) -> list[dict]:
        q = params.filters
        found = self._current(q) if params.point.is_now else self._as_of(params.point, q)
        if "status" in q:
            found = [r for r in found if r["status"] == q["status"]]
        if "biggest" in q:
            found = [r for r in found if r["biggest"] == (q["biggest"] == "true")]
        return found

    def _current(self, q):
        rows = RiskRow.objects.current().select_related("project", "track")
        if "project" in q:
            rows = rows.filter(project__slug=q["project"])
        if "area" in q:
            rows = rows.filter(project__area__slug=q["area"])
        rows = list(rows)
        biggest = set(
            StatusRow.objects.exclude(biggest_risk_id="").values_list("biggest_risk_id", flat=True)
        )
        return RiskRowOut(rows, many=True, context={**row_context(rows), "biggest": biggest}).data

    def _as_of(self, point, q):
        if "project" in q:
            reading.check_recorded(q["project"], point)
            state = selectors.project_state(q["project"], point)
            states = [state] if state else []
        else:
            states = selectors.portfolio_states(point, q.get("area"))
        found = []
        for s in states:
            context = {**state_context(s), "biggest": _biggest_ids(s)}
            found += RiskRowOut(s.of_type(Risk), many=True, context=context).data
        return found


def _biggest_ids(state: selectors.ProjectState) -> set[str]:
    return {r.id for key in state.project.biggest_risks if (r := biggest_risk(state, key))}


def _risk_json(risk_id: str, point: selectors.AsOf) -> tuple[dict, int]:
    row = RiskRow.objects.select_related("project").filter(pk=risk_id).first()
    risk = reading.member_at(Risk, risk_id, point, recorded=row is not None)
    state = selectors.project_state(row.project.slug, point)
    context = {
        "project_slug": lambda _: row.project.slug,
        "track_name": state.track_name if state else (lambda _: None),
        "biggest": _biggest_ids(state) if state else set(),
    }
    return shapes.RiskDetailOut(risk, context=context).data, risk.version


class RiskDetailApi(APIView):
    """Return one risk with every assessment, now or as of a point."""

    conditional_get = True
    may_be_withdrawn = True

    @extend_schema(
        operation_id="risks_retrieve",
        tags=["risks"],
        parameters=[reading.AS_OF],
        responses=shapes.RiskDetailOut,
    )
    def get(self, request, risk_id: str):
        body, version = _risk_json(risk_id, reading.as_of(request))
        return etag.conditional(request, body, version)


# --- commands -----------------------------------------------------------------------------


class RiskCommandApi(CommandApi):
    output_serializer = shapes.RiskDetailOut
    may_be_withdrawn = True
    schema_links = {"GetRisk": annotations.in_path("risks_retrieve", "risk_id")}

    def get_project_managers(self):
        row = RiskRow.objects.filter(pk=self.kwargs["risk_id"]).values_list("project__managers")
        if not row:
            raise Http404
        return row[0][0]

    def answer(self, request, result):
        body, version = _risk_json(self.kwargs["risk_id"], selectors.NOW)
        return etag.with_etag(Response(body), version)


class RiskRaiseApi(ProjectCommandApi):
    """Raise a risk in a project's register (on a track, or on the whole project)."""

    input_serializer = inputs.RaiseIn
    output_serializer = shapes.RiskDetailOut
    status_code = 201
    schema_links = {"GetRisk": annotations.created("risks_retrieve", "risk_id")}

    def execute(self, request, data, *, expected_version, command_id):
        return commands.risk_raise(actor=request.user, command_id=command_id, **self.on_track(data))

    def answer(self, request, result):
        body, version = _risk_json(result.stream_id, selectors.NOW)
        response = etag.with_etag(Response(body), version)
        response["Location"] = request.build_absolute_uri(f"/api/v1/risks/{result.stream_id}/")
        return response


class RiskAssessApi(RiskCommandApi):
    """Re-assess a risk's probability and impact (1-5); earlier assessments are kept."""

    input_serializer = inputs.AssessIn

    def execute(self, request, data, **kwargs):
        return commands.risk_assess(
            risk_id=self.kwargs["risk_id"], actor=request.user, **data, **kwargs
        )


class RiskReviseApi(RiskCommandApi):
    input_serializer = inputs.ReviseIn

    def execute(self, request, data, **kwargs):
        return commands.risk_revise(
            risk_id=self.kwargs["risk_id"], changes=dict(data), actor=request.user, **kwargs
        )


class RiskStatusApi(RiskCommandApi):
    """Change a risk's status: mitigated, closed, occurred, or open again."""

    input_serializer = inputs.RiskStatusIn

    def execute(self, request, data, **kwargs):
        return commands.risk_change_status(
            risk_id=self.kwargs["risk_id"], actor=request.user, **data, **kwargs
        )


class RiskMarkBiggestApi(RiskCommandApi):
    """Mark an open risk the biggest of its track. If-Match is the project's ETag here."""

    input_serializer = inputs.MarkBiggestIn

    def execute(self, request, data, **kwargs):
        return commands.risk_mark_biggest(
            risk_id=self.kwargs["risk_id"], actor=request.user, **kwargs
        )


class RiskWithdrawApi(RiskCommandApi):
    """Withdraw a risk raised by mistake: gone from the register (and from being a track's
    biggest risk) and from reads as of any later point (410), kept in the project's history
    with the reason. No further command takes it."""

    input_serializer = inputs.RiskWithdrawIn
    status_code = 204

    def execute(self, request, data, **kwargs):
        return commands.risk_withdraw(
            risk_id=self.kwargs["risk_id"], actor=request.user, **data, **kwargs
        )

    def answer(self, request, result):
        return Response()
