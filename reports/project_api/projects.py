"""Reads of areas, projects, a project's history and changes, decisions and KPI series."""

from datetime import date
from typing import NamedTuple

from django.db.models import Count
from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.views import APIView

from milestones.domain import Milestone
from portfolio import checks, domain, members, selectors
from portfolio.api_platform import etag, pagination, reading, times
from portfolio.api_platform.annotations import extend_schema
from portfolio.api_platform.feed import EventSerializer, events_json
from portfolio.api_platform.fields import row_context, state_context
from portfolio.api_platform.listing import ListApi, ListParams
from portfolio.api_platform.reading import SLUG_PARAM
from portfolio.changes import changes
from portfolio.eventstore import repository, store
from portfolio.eventstore.models import StoredEvent
from portfolio.models import Area as AreaRow
from portfolio.models import Decision as DecisionRow
from portfolio.models import KpiSeries as KpiRow
from portfolio.models import Project as ProjectRow
from portfolio.web import history
from risks.domain import Risk

from . import shapes


def project_state_or_404(slug: str, point: selectors.AsOf, members=None) -> selectors.ProjectState:
    state = selectors.project_state(slug, point, members)
    if state is None:
        reading.check_recorded(slug, point)
        raise Http404
    return state


# --- areas ----------------------------------------------------------------------------------


class AreaOut(serializers.Serializer):
    id = serializers.CharField(help_text="The area's id, as the event feed's area.id.")
    slug = serializers.SlugField()
    name = serializers.CharField()
    projects = serializers.IntegerField(source="n", help_text="How many projects it has (now).")


class AreaListApi(ListApi):
    """List the portfolio areas (Kommuneområdet, ...)."""

    item_serializer = AreaOut
    page_name = "AreaPage"
    orderings = {"name": ("name",), "slug": ("slug",), "projects": ("projects",)}
    ordering = "name"
    unique = ("slug",)
    search = ("name",)
    csv_name = "areas"
    list_operation_id = "areas_list"
    list_tag = "areas"

    def rows(self, params: ListParams) -> list[dict]:
        point = params.point
        rows = list(AreaRow.objects.annotate(n=Count("projects")))
        if not point.is_now:
            then = {
                row.id: repository.load(domain.Area, row.id, known_by=point.time) for row in rows
            }
            rows = [row for row in rows if then[row.id].exists]
            for row in rows:
                row.name = then[row.id].name
        return AreaOut(rows, many=True).data


# --- projects -------------------------------------------------------------------------------


class RatingField(serializers.ChoiceField):
    """A rating; a read-model row holds none as ''."""

    def __init__(self, **kwargs):
        super().__init__(checks.RATINGS, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


class RatingOut(serializers.Serializer):
    track = serializers.CharField(allow_null=True)
    rating = RatingField()


class Rating(NamedTuple):
    track: str | None  # its name
    rating: str | None


class Summary(NamedTuple):
    """A project as the list shows it: its read-model row or folded state, and what derives."""

    project: ProjectRow | domain.Project
    area: AreaRow | domain.Area
    status_date: date | None
    ratings: list[Rating]  # the whole project's first, then by track id


class ProjectSummaryOut(serializers.Serializer):
    id = serializers.CharField(
        source="project.id", help_text="The project's id, as the event feed's project.id."
    )
    slug = serializers.SlugField(source="project.slug")
    title = serializers.CharField(source="project.title")
    area = shapes.AreaRefOut()
    project_leader = serializers.CharField(allow_blank=True, source="project.project_leader")
    status_date = serializers.DateField(allow_null=True)
    ratings = RatingOut(many=True, help_text="The latest rating per track.")
    closed = serializers.BooleanField(source="project.closed")
    version = serializers.IntegerField(source="project.version")


class ProjectQuery(serializers.Serializer):
    area = serializers.RegexField(SLUG_PARAM, required=False, help_text="An area's slug.")


def _summary_of_row(row: ProjectRow) -> Summary:
    names = {t.id: t.name for t in row.tracks.all()}
    statuses = sorted(row.statuses.all(), key=lambda s: s.id)
    ratings = [Rating(names.get(s.track_id), s.rating) for s in statuses]
    return Summary(row, row.area, domain.status_date_of(s.reported_on for s in statuses), ratings)


def _summary_of_state(state: selectors.ProjectState) -> Summary:
    p = state.project
    ratings = [
        Rating(state.track_name(k) if k else None, p.statuses[k].rating) for k in sorted(p.statuses)
    ]
    return Summary(p, state.area, p.status_date, ratings)


class ProjectListApi(ListApi):
    """List projects (of one area, if asked) with their latest rating per track."""

    item_serializer = ProjectSummaryOut
    page_name = "ProjectPage"
    filters = ProjectQuery
    orderings = {
        "title": ("title",),
        "slug": ("slug",),
        "status_date": ("status_date",),
        "area": ("area.name", "title"),
    }
    ordering = "title"
    unique = ("slug",)
    search = ("title",)
    csv_name = "projects"
    list_operation_id = "projects_list"
    list_tag = "projects"

    def rows(self, params: ListParams) -> list[dict]:
        area = params.filters.get("area")
        if not params.point.is_now:
            found = [_summary_of_state(s) for s in selectors.portfolio_states(params.point, area)]
            return ProjectSummaryOut(found, many=True).data
        rows = ProjectRow.objects.select_related("area").prefetch_related("tracks", "statuses")
        if area is not None:
            rows = rows.filter(area__slug=area)
        return ProjectSummaryOut([_summary_of_row(r) for r in rows], many=True).data


class ProjectDetailApi(APIView):
    """Return a project as its status page shows it: tracks, status, biggest risks, decisions."""

    conditional_get = True

    @extend_schema(
        operation_id="projects_retrieve",
        tags=["projects"],
        parameters=[reading.AS_OF],
        responses=shapes.ProjectOut,
    )
    def get(self, request, slug: str):
        # The detail shows milestones (in the lights) and risks, no KPI series.
        state = project_state_or_404(slug, reading.as_of(request), (Milestone, Risk))
        return etag.conditional(request, shapes.project_data(state), state.version)


class HistoryQuery(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, max_value=2**62, default=0, help_text="Log position last seen (0: start)."
    )


class ProjectHistoryApi(ListApi):
    """List every event of a project and of its milestones, risks and KPIs: who, when, why.

    A log read forwards: `next` follows it (by `after`); `previous` and `count` are null.
    """

    item_serializer = EventSerializer
    page_name = "HistoryPage"
    filters = HistoryQuery
    page_size, max_page_size = 200, 1000
    csv_whole = False
    list_operation_id = "projects_history"
    list_tag = "projects"

    def csv_filename(self) -> str:
        return f"{self.kwargs['slug']}-history"

    def page(self, params: ListParams) -> pagination.Page:
        project_id = (
            ProjectRow.objects.filter(slug=self.kwargs["slug"]).values_list("id", flat=True).first()
        )
        if project_id is None:
            raise Http404
        reading.check_recorded(self.kwargs["slug"], params.point)
        streams = [project_id, *members.members_of([project_id])[project_id]]
        after = params.filters["after"]
        rows = StoredEvent.objects.filter(stream_id__in=streams, position__gt=after)
        rows = params.point.filter(rows).order_by("position")[: params.limit + 1]
        events = store.decode(list(rows))
        following = None
        if len(events) > params.limit:
            events = events[: params.limit]
            following = {"after": events[-1].position}
        return pagination.Page(events_json(events), None, following)


class ChangeOut(serializers.Serializer):
    when = times.Moment(source="known_at", help_text="When it was recorded (as known_at).")
    known_at = times.Moment()
    position = serializers.IntegerField(help_text="The event's position in the log.")
    actor = serializers.CharField()
    kind = serializers.CharField(help_text="added, changed, replanned, achieved, corrected, ...")
    subject_type = serializers.CharField(help_text="Project, Milestone, Risk or Kpi.")
    subject_id = serializers.CharField()
    subject = serializers.CharField(help_text="Its title, or the name of a track or KPI series.")
    field = serializers.CharField(help_text="What changed or was added, e.g. planned_on, track.")
    before = serializers.JSONField(help_text="The value before (dates in ISO 8601).")
    after = serializers.JSONField(help_text="The value after (dates in ISO 8601).")
    reason = serializers.CharField()
    detail = serializers.SerializerMethodField(
        help_text="The change in words, in the language Accept-Language asks for (Danish unless "
        "English)."
    )

    summary = serializers.SerializerMethodField(
        help_text="The whole change in one line, in the language Accept-Language asks for "
        "(Danish unless English): 'Pilot: re-planned: 1 Mar 2026 → 15 Apr 2026: Late delivery'."
    )

    def get_detail(self, change) -> str:
        # A string always, as the schema says, even for a change the wording has no words for.
        return history.describe(change)[2] or ""

    def get_summary(self, change) -> str:
        return history.summary(change)


MOMENT = {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}


@extend_schema_field(MOMENT)
class MomentParam(serializers.CharField):
    """A date or a date-time in a query (read by `reading.parse_moment`)."""

    def __init__(self, **kwargs):
        super().__init__(max_length=64, **kwargs)


class ChangesQuery(serializers.Serializer):
    since = MomentParam(required=False, help_text="From after this (default: the start).")
    until = MomentParam(required=False, help_text="Up to this (default: now).")


class ProjectChangesApi(ListApi):
    """List what changed in a project after `since` and by `until` (each a date or a time)."""

    item_serializer = ChangeOut
    page_name = "ChangePage"
    filters = ChangesQuery
    orderings = {"position": ("position",), "known_at": ("known_at",)}
    ordering = "position"
    unique = (pagination.INDEX,)  # one event may change several things: its place tells them apart
    search = ("subject",)
    reads_as_of = False  # `until` is its as-of
    list_operation_id = "projects_changes"
    list_tag = "projects"

    def csv_filename(self) -> str:
        return f"{self.kwargs['slug']}-changes"

    def rows(self, params: ListParams) -> list[dict]:
        since = reading.parse_moment("since", params.filters.get("since"))
        until = reading.parse_moment("until", params.filters.get("until"))
        slug = self.kwargs["slug"]
        if not ProjectRow.objects.filter(slug=slug).exists():
            raise Http404
        if until is not None:
            reading.check_recorded(slug, until, "until")
        return ChangeOut(changes(slug, since, until or selectors.NOW), many=True).data


# --- decisions and KPI series ---------------------------------------------------------------


class ByProjectQuery(serializers.Serializer):
    project = serializers.RegexField(SLUG_PARAM, required=False, help_text="A project's slug.")


def _states(point: selectors.AsOf, slug: str | None) -> list[selectors.ProjectState]:
    if slug:
        reading.check_recorded(slug, point)
        state = selectors.project_state(slug, point)
        return [state] if state else []
    return selectors.portfolio_states(point)


class DecisionListApi(ListApi):
    """List steering-group decisions, newest meeting first."""

    item_serializer = shapes.DecisionListOut
    page_name = "DecisionPage"
    filters = ByProjectQuery
    orderings = {"meeting_on": ("meeting_on",), "project": ("project", "meeting_on")}
    ordering = "-meeting_on"
    search = ("text",)
    csv_name = "decisions"
    list_operation_id = "decisions_list"
    list_tag = "decisions"

    def rows(self, params: ListParams) -> list[dict]:
        slug = params.filters.get("project")
        if params.point.is_now:
            rows = DecisionRow.objects.select_related("project")
            if slug is not None:
                rows = rows.filter(project__slug=slug)
            slugs = {r.id: r.project.slug for r in rows}
            ids = {r.id: r.project_id for r in rows}
            context = {"project_slug": slugs.get, "project_id": ids.get}
            return shapes.DecisionListOut(rows, many=True, context=context).data
        found = []
        for s in _states(params.point, slug):
            found += shapes.DecisionListOut(
                s.project.decisions, many=True, context=state_context(s)
            ).data
        return found


class KpiListApi(ListApi):
    """List KPI series with their points."""

    item_serializer = shapes.KpiOut
    page_name = "KpiPage"
    filters = ByProjectQuery
    orderings = {"name": ("name",), "project": ("project", "name")}
    ordering = "project"
    search = ("name",)
    csv_name = "kpis"
    list_operation_id = "kpis_list"
    list_tag = "kpis"

    def rows(self, params: ListParams) -> list[dict]:
        slug = params.filters.get("project")
        if params.point.is_now:
            rows = KpiRow.objects.select_related("project", "track").prefetch_related("points")
            if slug is not None:
                rows = rows.filter(project__slug=slug)
            return shapes.KpiOut(rows, many=True, context=row_context(rows)).data
        found = []
        for s in _states(params.point, slug):
            found += shapes.KpiOut(s.kpis, many=True, context=state_context(s)).data
        return found


class KpiDetailApi(APIView):
    """Return one KPI series with its points, now or as of a point."""

    conditional_get = True

    @extend_schema(
        operation_id="kpis_retrieve",
        tags=["kpis"],
        parameters=[reading.AS_OF],
        responses=shapes.KpiOut,
    )
    def get(self, request, kpi_id: str):
        point = reading.as_of(request)
        row = KpiRow.objects.select_related("project").filter(pk=kpi_id).first()
        kpi = reading.member_at(domain.Kpi, kpi_id, point, recorded=row is not None)
        return etag.conditional(request, shapes.kpi_data(row, kpi), kpi.version)
