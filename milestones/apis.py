"""Milestone endpoints: the filtered, ordered, paged (or CSV) list, one milestone, its commands."""

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio import limits as portfolio_limits
from portfolio import selectors
from portfolio.api_platform import annotations, etag, pagination, reading
from portfolio.api_platform.annotations import extend_schema
from portfolio.api_platform.command_api import CommandApi, ProjectCommandApi
from portfolio.api_platform.fields import IdField
from portfolio.api_platform.listing import ListApi, ListParams
from portfolio.eventstore import repository
from portfolio.models import Project as ProjectRow
from portfolio.models import Track as TrackRow

from . import commands, inputs, list_rows
from .domain import Milestone
from .models import Milestone as MilestoneRow
from .rules import STATES, state_of
from .rules import slippage_days as slippage
from .selectors import milestones as milestones_in


@dataclass
class MilestoneView:
    """One milestone as the API shows it, from a read-model row or a folded aggregate."""

    id: str
    project: str
    area: str
    track: str | None
    title: str
    original_plan: date | None
    planned_on: date | None
    achieved_on: date | None
    replan_count: int
    version: int
    track_id: str | None = None
    project_id: str = ""
    area_id: str = ""
    replans: tuple = ()

    def state_on(self, day: date) -> str:
        return state_of(self.planned_on, self.achieved_on, day)

    @property
    def slippage_days(self) -> int | None:
        return slippage(self.original_plan, self.planned_on)


# The columns a list row needs, read as values: building model instances for each row and its
# project, area and track cost more than the query itself.
ROW_FIELDS = (
    "id",
    "project__slug",
    "project__area__slug",
    "track__name",
    "title",
    "original_plan",
    "planned_on",
    "achieved_on",
    "replan_count",
    "version",
    "track_id",
    "project_id",
    "project__area_id",
)


def from_row(row: dict) -> MilestoneView:
    return MilestoneView(*(row[f] for f in ROW_FIELDS))


def from_aggregate(state: selectors.ProjectState, m: Milestone) -> MilestoneView:
    return MilestoneView(
        m.id,
        state.project.slug,
        state.area.slug,
        state.track_name(m.track_id) if m.track_id else None,
        m.title,
        m.original_plan,
        m.planned_on,
        m.achieved_on,
        m.replan_count,
        m.version,
        m.track_id or None,
        state.project.id,
        state.area.id,
    )


class StateField(serializers.ChoiceField):
    """A milestone's state on the day the request is judged on (the context's `day`)."""

    def __init__(self, **kwargs):
        super().__init__(STATES, source="*", **kwargs)

    def to_representation(self, value: MilestoneView) -> str:
        return value.state_on(self.context["day"])


class MilestoneOut(serializers.Serializer):
    id = serializers.CharField()
    project = serializers.SlugField(help_text="The project's slug.")
    project_id = serializers.CharField(help_text="The project's id.")
    area = serializers.SlugField(help_text="The area's slug.")
    area_id = serializers.CharField(help_text="The area's id.")
    track = serializers.CharField(allow_null=True, help_text="The track's name, if any.")
    track_id = IdField(help_text="The track's id (null: the whole project).")
    title = serializers.CharField()
    original_plan = serializers.DateField(allow_null=True)
    planned_on = serializers.DateField(allow_null=True, help_text="Unknown: null (shown '-').")
    achieved_on = serializers.DateField(allow_null=True)
    state = StateField(help_text="Judged on the as-of date (today).")
    replan_count = serializers.IntegerField()
    slippage_days = serializers.IntegerField(allow_null=True)
    version = serializers.IntegerField(help_text="The stream version; the ETag of the milestone.")


class ReplanOut(serializers.Serializer):
    planned_on = serializers.DateField(allow_null=True)
    previous = serializers.DateField(allow_null=True)
    reason = serializers.CharField()


class MilestoneDetailOut(MilestoneOut):
    replans = ReplanOut(many=True)


class MilestoneQuery(serializers.Serializer):
    project = serializers.SlugField(required=False, help_text="A project's slug.")
    area = serializers.SlugField(required=False, help_text="An area's slug.")
    track = serializers.RegexField(
        reading.TEXT_PARAM,
        required=False,
        max_length=portfolio_limits.TRACK_NAME,
        help_text="Track id or name.",
    )
    state = serializers.ChoiceField(STATES, required=False)
    planned_from = serializers.DateField(required=False)
    planned_until = serializers.DateField(required=False)
    achieved_from = serializers.DateField(required=False)
    achieved_until = serializers.DateField(required=False)
    replanned = serializers.ChoiceField(["true", "false"], required=False)


def _matches(m: MilestoneView, q: dict, day: date) -> bool:
    checks = [
        ("track", lambda v: v in (m.track, m.track_id)),
        ("state", lambda v: m.state_on(day) == v),
        ("planned_from", lambda v: m.planned_on is not None and m.planned_on >= v),
        ("planned_until", lambda v: m.planned_on is not None and m.planned_on <= v),
        ("achieved_from", lambda v: m.achieved_on is not None and m.achieved_on >= v),
        ("achieved_until", lambda v: m.achieved_on is not None and m.achieved_on <= v),
        ("replanned", lambda v: (m.replan_count > 0) == (v == "true")),
    ]
    return all(test(q[name]) for name, test in checks if name in q)


def _filter_rows(rows, q: dict, day: date):
    if "project" in q:
        rows = rows.filter(project__slug=q["project"])
    if "area" in q:
        rows = rows.filter(project__area__slug=q["area"])
    if "track" in q:
        rows = rows.filter(track_id=q["track"]) | rows.filter(track__name=q["track"])
    if "state" in q:
        rows = rows.in_state(q["state"], on=day)
    for name, lookup in (
        ("planned_from", "planned_on__gte"),
        ("planned_until", "planned_on__lte"),
        ("achieved_from", "achieved_on__gte"),
        ("achieved_until", "achieved_on__lte"),
    ):
        if name in q:
            rows = rows.filter(**{lookup: q[name]})
    if "replanned" in q:
        rows = (
            rows.filter(replan_count__gt=0)
            if q["replanned"] == "true"
            else rows.filter(replan_count=0)
        )
    return rows


class MilestoneListApi(ListApi):
    """List milestones, filtered and ordered, a page at a time (or all of them as CSV)."""

    item_serializer = MilestoneOut
    page_name = "MilestonePage"
    filters = MilestoneQuery
    orderings = {
        "planned_on": ("planned_on",),
        "achieved_on": ("achieved_on",),
        "title": ("title",),
    }
    ordering = "planned_on"
    search = ("title",)
    csv_name = "milestones"
    list_operation_id = "milestones_list"
    list_tag = "milestones"

    def page(self, params: ListParams) -> pagination.Page:
        day = params.point.day
        if not params.point.is_now:
            return super().page(params)
        rows = _filter_rows(MilestoneRow.objects.current(), params.filters, day)
        if params.q is not None:
            rows = rows.filter(title__icontains=params.q)
        return pagination.page_of_queryset(
            rows.values(*ROW_FIELDS),
            ordering=params.ordering,
            column=params.ordering.lstrip("-"),
            fields=params.fields,
            cursor=params.cursor,
            limit=params.limit,
            count=params.count,
            serialize=lambda found: self._json([from_row(r) for r in found], day),
        )

    def rows(self, params: ListParams) -> list[dict]:
        q, day = params.filters, params.point.day
        if "project" in q:
            reading.check_recorded(q["project"], params.point)
        pairs = milestones_in(params.point, project_slug=q.get("project"), area_slug=q.get("area"))
        views = [v for v in (from_aggregate(s, m) for s, m in pairs) if _matches(v, q, day)]
        return self._json(views, day)

    @staticmethod
    def _json(views: list[MilestoneView], day: date) -> list[dict]:
        return list_rows.rows_json(views, day)


def _milestone_row(milestone_id: str) -> MilestoneRow:
    row = MilestoneRow.objects.select_related("project__area", "track").filter(pk=milestone_id)
    row = row.first()
    if row is None:
        raise Http404
    return row


def detail_json(row: MilestoneRow, milestone: Milestone, day: date) -> dict:
    track = row.track.name if row.track_id else None
    if milestone.track_id and milestone.track_id != row.track_id:
        track = TrackRow.objects.filter(pk=milestone.track_id).values_list("name", flat=True)[0]
    view = MilestoneView(
        milestone.id,
        row.project.slug,
        row.project.area.slug,
        track,
        milestone.title,
        milestone.original_plan,
        milestone.planned_on,
        milestone.achieved_on,
        milestone.replan_count,
        milestone.version,
        milestone.track_id or None,
        row.project_id,
        row.project.area_id,
        replans=milestone.replans,
    )
    return MilestoneDetailOut(view, context={"day": day}).data


class MilestoneDetailApi(APIView):
    """Return one milestone with every re-plan and its reason, now or as of a point."""

    conditional_get = True
    may_be_withdrawn = True

    @extend_schema(
        operation_id="milestones_retrieve",
        tags=["milestones"],
        parameters=[reading.AS_OF],
        responses=MilestoneDetailOut,
    )
    def get(self, request, milestone_id: str):
        point = reading.as_of(request)
        row = _milestone_row(milestone_id)
        milestone = reading.member_at(Milestone, milestone_id, point, recorded=True)
        return etag.conditional(request, detail_json(row, milestone, point.day), milestone.version)


# --- commands -----------------------------------------------------------------------------


class MilestoneCommandApi(CommandApi):
    """Base of the commands on one milestone: managers of its project may run them."""

    output_serializer = MilestoneDetailOut
    may_be_withdrawn = True
    schema_links = {"GetMilestone": annotations.in_path("milestones_retrieve", "milestone_id")}

    def get_project_managers(self):
        row = _milestone_row(self.kwargs["milestone_id"])
        return ProjectRow.objects.filter(pk=row.project_id).values_list("managers", flat=True)[0]

    def answer(self, request, result):
        return _answer(self.kwargs["milestone_id"])


def _answer(milestone_id: str) -> Response:
    milestone = repository.load(Milestone, milestone_id)
    body = detail_json(_milestone_row(milestone_id), milestone, selectors.NOW.day)
    return etag.with_etag(Response(body), milestone.version)


class MilestoneReplanApi(MilestoneCommandApi):
    """Re-plan a milestone; its original plan and every reason are kept."""

    input_serializer = inputs.ReplanIn

    def execute(self, request, data, **kwargs):
        return commands.milestone_replan(
            milestone_id=self.kwargs["milestone_id"], actor=request.user, **data, **kwargs
        )


class MilestoneAchieveApi(MilestoneCommandApi):
    """Record the date a milestone was achieved (not in the future)."""

    input_serializer = inputs.AchieveIn

    def execute(self, request, data, **kwargs):
        return commands.milestone_achieve(
            milestone_id=self.kwargs["milestone_id"], actor=request.user, **data, **kwargs
        )


class MilestoneCorrectAchievementApi(MilestoneCommandApi):
    """Correct a mistaken achievement; the mistake stays in the history."""

    input_serializer = inputs.CorrectAchievementIn

    def execute(self, request, data, **kwargs):
        return commands.milestone_correct_achievement(
            milestone_id=self.kwargs["milestone_id"], actor=request.user, **data, **kwargs
        )


class MilestoneRetitleApi(MilestoneCommandApi):
    input_serializer = inputs.RetitleIn

    def execute(self, request, data, **kwargs):
        return commands.milestone_retitle(
            milestone_id=self.kwargs["milestone_id"], actor=request.user, **data, **kwargs
        )


class MilestonePlanApi(ProjectCommandApi):
    """Plan a new milestone in a project (on one of its tracks, or on the whole project)."""

    input_serializer = inputs.PlanIn
    output_serializer = MilestoneDetailOut
    status_code = 201
    schema_links = {"GetMilestone": annotations.created("milestones_retrieve", "milestone_id")}

    def execute(self, request, data, *, expected_version, command_id):
        return commands.milestone_plan(
            actor=request.user, command_id=command_id, **self.on_track(data)
        )

    def answer(self, request, result):
        response = _answer(result.stream_id)
        response["Location"] = request.build_absolute_uri(f"/api/v1/milestones/{result.stream_id}/")
        return response


class MilestoneWithdrawApi(MilestoneCommandApi):
    """Withdraw a milestone planned by mistake: gone from the plan and from reads as of any
    later point (410), kept in the project's history with the reason. No further command
    takes it."""

    input_serializer = inputs.MilestoneWithdrawIn
    status_code = 204

    def execute(self, request, data, **kwargs):
        return commands.milestone_withdraw(
            milestone_id=self.kwargs["milestone_id"], actor=request.user, **data, **kwargs
        )

    def answer(self, request, result):
        return Response()
