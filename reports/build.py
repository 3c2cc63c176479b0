"""Assemble a StatusPageSnapshot from the domain's selectors, as of one point in the log."""

from datetime import UTC, date, datetime

from django.db.models import Max
from django.utils import timezone

from milestones.domain import Milestone
from milestones.rules import OVERDUE
from milestones.selectors import plan_histories
from portfolio.changes import changes as changes_between
from portfolio.domain import NO_TRACK
from portfolio.errors import NotFound
from portfolio.eventstore import replicas
from portfolio.eventstore.models import StoredEvent
from portfolio.selectors import AsOf, ProjectState, portfolio_states, project_state
from risks.domain import Risk
from risks.selectors import open_risks, top_risks

from .derived import last_meeting, track_lights
from .snapshot import (
    Decision,
    KpiPoint,
    KpiSeries,
    MilestoneRow,
    Participant,
    RiskLine,
    StatusPageSnapshot,
    Supplier,
    Track,
    TrackLight,
    TrackStatus,
)


def pin(as_of: AsOf | datetime | date | int | None = None) -> AsOf:
    """Return a point with both a time and a log position, so a re-render reads the same events.

    A date means the end of that day; a number is a log position (read now); None is now. The
    position is
    the highest in the whole log visible at that time: a later import of older history gets
    a higher position and so never changes a page issued before it.
    """
    if isinstance(as_of, datetime):
        as_of = AsOf(time=as_of)
    elif isinstance(as_of, date):
        as_of = AsOf.of_date(as_of)
    elif isinstance(as_of, int):
        as_of = AsOf(position=as_of)
    as_of = as_of or AsOf()
    # "Now" is the clock: overdue milestones are judged on today's date. In UTC, as the database
    # gives it back, so a pin typed on the command line and one read from the archive are equal.
    time = (as_of.time or timezone.now()).astimezone(UTC)
    position = as_of.position
    if position is None:
        position = (
            AsOf(time=time).filter(StoredEvent.objects.all()).aggregate(top=Max("position"))["top"]
            or 0
        )
    return AsOf(time=time, position=position)


def build_status_page(
    slug: str,
    as_of: AsOf | datetime | date | int | None = None,
    language: str = "da",
    changes_since: AsOf | datetime | None = None,
) -> StatusPageSnapshot:
    """Return the status page of project `slug` as of a point; raise NotFound if unknown then."""
    point = pin(as_of)
    with replicas.pinned(point.position):
        state = project_state(slug, point)
        if state is None:
            raise NotFound("project", f"no project {slug!r} as of {point.time:%Y-%m-%d %H:%M}")
        return snapshot_of(state, point, language, changes_since)


def build_portfolio(
    as_of: AsOf | datetime | date | int | None = None,
    language: str = "da",
    area_slug: str | None = None,
) -> list[StatusPageSnapshot]:
    """Return the status page of every project known at a point (optionally one area)."""
    point = pin(as_of)
    with replicas.pinned(point.position):
        states = portfolio_states(point, area_slug)
        return [snapshot_of(s, point, language, None) for s in states]


def snapshot_of(
    state: ProjectState, point: AsOf, language: str, changes_since
) -> StatusPageSnapshot:
    """Return the snapshot of a folded project state."""
    project = state.project
    name = state.track_name
    label, url, note = project.read_more
    changes, since = (), None
    if changes_since is not None:
        since = changes_since if isinstance(changes_since, AsOf) else AsOf(time=changes_since)
        changes = tuple(changes_between(project.slug, since, point))
    meeting = last_meeting(getattr(state.area, "slug", ""), point)
    return StatusPageSnapshot(
        project_slug=project.slug,
        area=state.area.name,
        title=project.title,
        status_date=project.status_date,
        project_leader=project.project_leader,
        participants=tuple(Participant(name(p["track"]), p["text"]) for p in project.participants),
        suppliers=tuple(
            Supplier(name(s["track"]), s["name"], s["state"]) for s in project.suppliers
        ),
        purpose=project.purpose,
        read_more_label=label,
        read_more_url=url,
        read_more_note=note,
        tracks=tuple(Track(t.name, t.title, t.monitoring_note) for t in project.tracks.values()),
        statuses=_statuses(state),
        biggest_risks=_risks(state),
        risks=_register(state),
        milestone_note=project.milestone_note,
        milestones=_milestones(state, point),
        kpis=tuple(_series(k, name) for k in state.kpis),
        decisions=_decisions(state),
        changes_since=since.time if since else None,
        changes=changes,
        as_of_position=point.position,
        as_of_time=point.time,
        language="en" if language == "en" else "da",
        closed=project.closed,
        lights=_lights(state, point, meeting),
        last_meeting=meeting,
    )


def _track_order(state: ProjectState) -> list[str]:
    return [*state.project.tracks, NO_TRACK]


def _statuses(state: ProjectState) -> tuple[TrackStatus, ...]:
    statuses = state.project.statuses
    return tuple(
        TrackStatus(state.track_name(key), s.rating, s.narrative, s.reported_on)
        for key in _track_order(state)
        if (s := statuses.get(key)) is not None
    )


def _lights(state: ProjectState, point: AsOf, meeting) -> tuple[TrackLight, ...]:
    statuses, why = state.project.statuses, state.project.justifications
    return tuple(
        TrackLight(
            state.track_name(key),
            statuses[key].rating if key in statuses else None,
            light.rating,
            light.reasons,
            why[key][1] if key in why else "",
        )
        for key, light in track_lights(state, point, meeting).items()
    )


def _risk_line(state: ProjectState, risk: Risk) -> RiskLine:
    return RiskLine(
        state.track_name(risk.track_id),
        risk.title,
        risk.description,
        risk.probability,
        risk.impact,
        risk.status,
        risk.mitigation,
    )


def _risks(state: ProjectState) -> tuple[RiskLine, ...]:
    return tuple(_risk_line(state, r) for r in top_risks(state, _track_order(state)))


def _register(state: ProjectState) -> tuple[RiskLine, ...]:
    return tuple(_risk_line(state, r) for r in open_risks(state))


def _milestones(state: ProjectState, point: AsOf) -> tuple[MilestoneRow, ...]:
    # Numbered in the order they were planned, as the steering group has always seen them.
    day = point.day
    plans = plan_histories(state)
    return tuple(
        MilestoneRow(
            number=n,
            title=m.title,
            track=state.track_name(m.track_id),
            original_plan=m.original_plan,
            current_plan=m.planned_on,
            achieved_on=m.achieved_on,
            overdue=m.state_on(day) == OVERDUE,
            replan_count=m.replan_count,
            plans=plans[m.id],
        )
        for n, m in enumerate(state.of_type(Milestone), start=1)
    )


def _series(kpi, name) -> KpiSeries:
    return KpiSeries(
        track=name(kpi.track_id),
        name=kpi.name,
        description=kpi.description,
        unit=kpi.unit,
        denominator=kpi.denominator,
        denominator_label=kpi.denominator_label,
        points=tuple(KpiPoint(p.measured_on, p.value, p.source) for p in kpi.points),
        remark=kpi.remark,
    )


def _decisions(state: ProjectState) -> tuple[Decision, ...]:
    titles = {m.id: m.title for m in state.of_type(Milestone)} | {
        r.id: r.title for r in state.of_type(Risk)
    }
    return tuple(
        Decision(d.meeting_on, d.text, tuple(titles.get(a, a) for a in d.affects))
        for d in state.project.decisions
    )
