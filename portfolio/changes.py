"""What changed in a project between two points: the list steering groups read first.

Each domain event says what it changes (its `change` method, see portfolio.domain.change); this
module folds only the events between the two points, over the project's state just before the
first of them, and stamps each change with where and when it was recorded.
"""

import dataclasses

from django.db.models import Q, Subquery

from .domain.change import Change
from .eventstore import store
from .eventstore.aggregate import aggregate_class, event_class
from .eventstore.models import StoredEvent
from .members import members_of
from .models import Project as ProjectRow
from .selectors import NOW, AsOf, project_state

__all__ = ["Change", "before_newest", "changes"]


def changes(slug: str, since: AsOf | None, until: AsOf = NOW) -> list[Change]:
    """Return the changes visible at `until` but not at `since` (None: the start), oldest first:
    by the time each was recorded, then by log position (an import can record old history
    late)."""
    rows = _events(slug, until)
    if rows is None:
        return []
    rows = rows.order_by("position")
    aggregates = {}
    if since is not None:
        first = _unseen(rows, since).order_by("position").values("position")[:1]
        rows = list(rows.filter(position__gte=Subquery(first)))
        if not rows:
            return []
        # Every event `until` shows below the first one `since` does not is one `since` shows
        # too, so the state there is where both points agree: fold on from it in log order, as
        # a fold from the start would. (An import of older history can make `since` show an
        # event after one it does not show; the fold passes over it without listing it.)
        aggregates = _state(slug, AsOf(time=until.time, position=rows[0].position - 1))
    result = []
    rows = list(rows)
    for row, recorded in zip(rows, store.decode(rows), strict=True):
        event = event_class(recorded.event_type).from_data(recorded.data)
        aggregate = aggregates.get(row.stream_id)
        if aggregate is None:
            aggregate = aggregates[row.stream_id] = aggregate_class(row.stream_type)(row.stream_id)
        describe = getattr(event, "change", None)  # events readers are not told about have none
        listed = describe is not None and (since is None or not since.includes(recorded))
        if listed and (change := describe(aggregate)) is not None:
            result.append(_stamped(change, recorded))
        aggregate.replay([event])
    return sorted(result, key=lambda c: (c.known_at, c.position))


def before_newest(slug: str, count: int, until: AsOf = NOW) -> AsOf | None:
    """Return the point just before the project's `count` newest events visible at `until`
    (by the time each was recorded), or None when it has no more events than that: the `since`
    that lists only the newest changes, so a page of them folds only from there."""
    rows = _events(slug, until)
    if rows is None:
        return None
    newest = rows.order_by("-known_at", "-position").values_list("known_at", flat=True)
    edge = list(newest[count - 1 : count + 1])
    return AsOf(time=edge[1]) if len(edge) == 2 else None


def _events(slug: str, until: AsOf):
    """Return the events of the project and its members visible at `until`; None: no project."""
    project_id = ProjectRow.objects.filter(slug=slug).values_list("id", flat=True).first()
    if project_id is None:
        return None
    streams = [project_id, *members_of([project_id])[project_id]]
    return until.filter(StoredEvent.objects.filter(stream_id__in=streams))


def _unseen(rows, since: AsOf):
    """Return the rows `since` does not show."""
    if since.is_now:
        return rows.none()
    hidden = Q()
    if since.time is not None:
        hidden |= Q(known_at__gt=since.time)
    if since.position is not None:
        hidden |= Q(position__gt=since.position)
    return rows.filter(hidden)


def _state(slug: str, point: AsOf) -> dict:
    """Return the project's aggregates at `point` by stream id; the fold goes on from them.

    They are the fold's own: project_state builds them afresh from the store for each call."""
    state = project_state(slug, point)
    if state is None:
        return {}
    return {a.id: a for a in (state.project, *state.members)}


def _stamped(change: Change, recorded) -> Change:
    """Return the change with where and when its event was recorded, and by whom."""
    return dataclasses.replace(
        change,
        reason=change.reason or recorded.metadata.get("reason") or "",
        subject_type=recorded.stream_type,
        subject_id=recorded.stream_id,
        known_at=recorded.known_at,
        position=recorded.position,
        actor=recorded.metadata.get("actor", ""),
    )
