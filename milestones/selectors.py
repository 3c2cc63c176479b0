"""Reads of milestones across projects: overdue ones as of a point, each project's outlook."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from portfolio.eventstore.aggregate import event_class
from portfolio.eventstore.models import StoredEvent
from portfolio.eventstore.upcasting import upcast
from portfolio.selectors import NOW, AsOf, ProjectState, portfolio_states, project_state

from .domain import Milestone
from .models import Milestone as MilestoneRow
from .rules import OVERDUE, PLANNED, next_milestone


def milestones(
    as_of: AsOf = NOW, *, project_slug: str | None = None, area_slug: str | None = None
) -> list[tuple[ProjectState, Milestone]]:
    """Return (project, milestone) pairs of a project, an area or the whole portfolio."""
    if project_slug:
        state = project_state(project_slug, as_of)
        states = [state] if state else []
    else:
        states = portfolio_states(as_of, area_slug)
    return [(s, m) for s in states for m in s.of_type(Milestone)]


@dataclass
class Outlook:
    """What a project's milestones say on one day: the next one, and how many are overdue."""

    next_milestone: MilestoneRow | None = None
    overdue: int = 0


def outlooks(project_ids, *, on: date) -> dict[str, Outlook]:
    """Return the outlook of each project that has planned or overdue milestones, in one query."""
    by_project: dict[str, list[MilestoneRow]] = defaultdict(list)
    for row in (
        MilestoneRow.objects.current()
        .filter(project_id__in=project_ids)
        .in_state(PLANNED, OVERDUE, on=on)
    ):
        by_project[row.project_id].append(row)
    return {
        project_id: Outlook(
            next_milestone(rows, on), sum(1 for m in rows if m.state_on(on) == OVERDUE)
        )
        for project_id, rows in by_project.items()
    }


PLAN_EVENTS = (Milestone.Planned.type_name, Milestone.Replanned.type_name)


def plan_histories(state: ProjectState) -> dict[str, tuple[tuple[date, date | None], ...]]:
    """Return, per milestone of the project, each day its plan was set and the date it was set to.

    The day is when the plan became known (the reporting date of a milestone trend analysis);
    of several plans known the same day, the last one counts. Oldest first, up to the state's
    point.
    """
    ids = [m.id for m in state.of_type(Milestone)]
    rows = state.as_of.filter(
        StoredEvent.objects.filter(stream_id__in=ids, event_type__in=PLAN_EVENTS)
    ).order_by("position")
    plans: dict[str, dict[date, date | None]] = {i: {} for i in ids}
    # A plan names no person, so the rows are read as stored (upcast) without the people
    # lookup store.decode makes.
    fields = ("stream_id", "event_type", "schema_version", "data", "known_at")
    for stream_id, event_type, schema, data, known_at in rows.values_list(*fields):
        event = event_class(event_type).from_data(upcast(event_type, schema, data)[1])
        plans[stream_id][timezone.localdate(known_at)] = event.planned_on
    return {i: tuple(sorted(days.items())) for i, days in plans.items()}
