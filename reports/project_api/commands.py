"""Writes on projects: create, update, tracks, status, close, decisions and KPI series."""

from django.db.models import Count
from django.http import Http404
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from portfolio import commands, domain, inputs, selectors
from portfolio.api_platform import annotations, etag
from portfolio.api_platform.command_api import CommandApi, ProjectCommandApi
from portfolio.api_platform.permissions import (
    Administers,
    CreatesProjects,
    ReadOnly,
    RecordsDecisions,
)
from portfolio.eventstore import repository
from portfolio.models import Area as AreaRow
from portfolio.models import KpiSeries as KpiRow
from portfolio.models import Project as ProjectRow

from .. import derived
from . import shapes
from .projects import AreaListApi, AreaOut, ProjectListApi


def _project_answer(slug: str, status: int = 200) -> Response:
    state = selectors.project_state(slug)
    response = Response(shapes.project_data(state), status=status)
    return etag.with_etag(response, state.version)


class ProjectAnswerApi(ProjectCommandApi):
    """Base of commands on one project that answer with the whole project."""

    output_serializer = shapes.ProjectOut
    schema_links = {"GetProject": annotations.in_path("projects_retrieve", "slug")}

    def answer(self, request, result):
        return _project_answer(self.kwargs["slug"])


class AreaCreateApi(CommandApi):
    """Create a portfolio area; only administrators may."""

    permission_classes = [ReadOnly | Administers]
    # JSON only: a form cannot tell an empty slug from one left out.
    parser_classes = [JSONParser]
    input_serializer = inputs.AreaCreateIn
    output_serializer = AreaOut
    status_code = 201

    def execute(self, request, data, *, expected_version, command_id):
        return commands.area_create(
            slug=data.get("slug"), name=data["name"], actor=request.user, command_id=command_id
        )

    def answer(self, request, result):
        row = AreaRow.objects.annotate(n=Count("projects")).get(pk=result.stream_id)
        return Response(AreaOut(row).data)


class AreasApi(AreaCreateApi, AreaListApi):
    """GET lists areas; POST creates one (administrators)."""


class AreaRenameApi(CommandApi):
    """Rename an area (administrators); its slug stays, so links to it keep working."""

    permission_classes = [ReadOnly | Administers]
    input_serializer = inputs.AreaRenameIn
    output_serializer = AreaOut

    def execute(self, request, data, *, expected_version, command_id):
        area_id = AreaRow.objects.filter(slug=self.kwargs["slug"]).values_list("id", flat=True)
        if not area_id:
            raise Http404
        return commands.area_rename(
            area_id=area_id[0],
            name=data["name"],
            expected_version=expected_version,
            actor=request.user,
            command_id=command_id,
        )

    answer = AreaCreateApi.answer


class ProjectCreateApi(CommandApi):
    """Create a project; a project manager who creates one manages it."""

    permission_classes = [ReadOnly | CreatesProjects]
    # JSON only: a form cannot tell an empty slug from one left out.
    parser_classes = [JSONParser]
    input_serializer = inputs.ProjectCreateIn
    output_serializer = shapes.ProjectOut
    status_code = 201
    schema_links = {"GetProject": annotations.created("projects_retrieve", "slug", "/slug")}

    def execute(self, request, data, *, expected_version, command_id):
        area_id = AreaRow.objects.filter(slug=data["area"]).values_list("id", flat=True).first()
        if area_id is None:
            from portfolio.errors import InvalidInput

            raise InvalidInput("area", f"no area with the slug {data['area']}")
        return commands.project_create(
            slug=data.get("slug"),
            title=data["title"],
            area_id=area_id,
            managers=data["managers"],
            actor=request.user,
            command_id=command_id,
        )

    def answer(self, request, result):
        slug = ProjectRow.objects.values_list("slug", flat=True).get(pk=result.stream_id)
        response = _project_answer(slug)
        response["Location"] = request.build_absolute_uri(f"/api/v1/projects/{slug}/")
        return response


class ProjectsApi(ProjectCreateApi, ProjectListApi):
    """GET lists projects; POST creates one."""


class ProjectUpdateApi(ProjectAnswerApi):
    """Change a project's fields (title, leader, purpose, link, participants, suppliers, ...)."""

    input_serializer = inputs.ProjectUpdateIn

    def execute(self, request, data, **kwargs):
        project_id = self.project_id
        changes = dict(data)
        for name in ("participants", "suppliers"):  # tracks may be named by name or id
            if name in changes:
                changes[name] = [
                    {**item, "track": selectors.track_id_by_name(project_id, item["track"])}
                    for item in changes[name]
                ]
        return commands.project_update(
            project_id=project_id, changes=changes, actor=request.user, **kwargs
        )


class TrackAddApi(ProjectAnswerApi):
    """Add a track (sub-project) to a project."""

    input_serializer = inputs.TrackIn
    status_code = 201

    def execute(self, request, data, **kwargs):
        return commands.track_add(project_id=self.project_id, actor=request.user, **data, **kwargs)


class StatusReportApi(ProjectAnswerApi):
    """Report a project's (or a track's) status: a rating and a narrative."""

    input_serializer = inputs.StatusIn

    def execute(self, request, data, **kwargs):
        project_id = self.project_id
        track_id = selectors.track_id_by_name(project_id, data["track"])
        derived.check_justified(project_id, track_id, data["rating"], data["justification"])
        return commands.status_report(
            project_id=project_id,
            track_id=track_id,
            rating=data["rating"],
            narrative=data["narrative"],
            reported_on=data["reported_on"],
            justification=data["justification"],
            actor=request.user,
            **kwargs,
        )


class ProjectCloseApi(ProjectAnswerApi):
    """Close a project; it takes no more changes."""

    input_serializer = inputs.CloseIn

    def execute(self, request, data, **kwargs):
        return commands.project_close(
            project_id=self.project_id, reason=data["reason"], actor=request.user, **kwargs
        )


class ProjectReopenApi(ProjectAnswerApi):
    """Reopen a closed project (administrators), so that it takes changes again."""

    permission_classes = [ReadOnly | Administers]
    input_serializer = inputs.ReopenIn

    def execute(self, request, data, **kwargs):
        return commands.project_reopen(
            project_id=self.project_id, reason=data["reason"], actor=request.user, **kwargs
        )


class DecisionRecordApi(ProjectAnswerApi):
    """Record a steering-group decision on a project."""

    permission_classes = [ReadOnly | RecordsDecisions]
    input_serializer = inputs.DecisionIn
    status_code = 201

    def execute(self, request, data, **kwargs):
        return commands.decision_record(
            project_id=self.project_id, actor=request.user, **data, **kwargs
        )


def _kpi_answer(kpi_id: str) -> Response:
    kpi = repository.load(domain.Kpi, kpi_id)
    row = KpiRow.objects.select_related("project").get(pk=kpi_id)
    return etag.with_etag(Response(shapes.kpi_data(row, kpi)), kpi.version)


class KpiDefineApi(ProjectAnswerApi):
    """Define a KPI series for a project (or one of its tracks)."""

    input_serializer = inputs.KpiDefineIn
    output_serializer = shapes.KpiOut
    status_code = 201
    schema_links = {"GetKpi": annotations.created("kpis_retrieve", "kpi_id")}

    def execute(self, request, data, *, expected_version, command_id):
        return commands.kpi_define(actor=request.user, command_id=command_id, **self.on_track(data))

    def answer(self, request, result):
        response = _kpi_answer(result.stream_id)
        response["Location"] = request.build_absolute_uri(f"/api/v1/kpis/{result.stream_id}/")
        return response


class KpiCommandApi(CommandApi):
    output_serializer = shapes.KpiOut
    schema_links = {"GetKpi": annotations.in_path("kpis_retrieve", "kpi_id")}

    def get_project_managers(self):
        row = KpiRow.objects.filter(pk=self.kwargs["kpi_id"]).values_list("project__managers")
        if not row:
            raise Http404
        return row[0][0]

    def answer(self, request, result):
        return _kpi_answer(self.kwargs["kpi_id"])


class KpiMeasureApi(KpiCommandApi):
    """Add a KPI point (a measurement on a date); a second one on the same date replaces it."""

    input_serializer = inputs.KpiPointIn

    def execute(self, request, data, **kwargs):
        return commands.kpi_measure(
            kpi_id=self.kwargs["kpi_id"],
            measured_on=data["measured_on"],
            value=str(data["value"]),
            source=data["source"],
            actor=request.user,
            **kwargs,
        )


class KpiRemarkApi(KpiCommandApi):
    input_serializer = inputs.RemarkIn

    def execute(self, request, data, **kwargs):
        return commands.kpi_write_remark(
            kpi_id=self.kwargs["kpi_id"], remark=data["remark"], actor=request.user, **kwargs
        )
