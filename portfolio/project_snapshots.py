"""Snapshots of whole projects every EVERY events, and the as-of loader that uses them.

A project's state is its own stream and its milestones', risks' and KPIs' streams, about a
hundred of them. A per-stream snapshot still leaves a read with dozens of snapshots to decode
and up to nine events per stream to fold; a project snapshot holds every stream of the project
folded up to one point, so a read decodes one row and folds only the events after it.

A snapshot covers the events it folded: `position` and `known_at` are the highest of them. It
is valid for a point (time T, position P) when position <= P and known_at <= T: everything in
it is then visible at the point. known_at grows within a stream but not across streams (an
import back-dates a whole history), which is why known_at is the maximum of all the snapshot
holds and not that of the event it was taken at. From a valid snapshot, a read folds each
stream's events after the version the snapshot holds (from the start for a stream it lacks)
that the point includes, so the answer is that of a plain fold. The rows are a cache: without
them the loader folds every event, and the answer is the same.
"""

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from django.db import connection

from .eventstore import pickling
from .eventstore.aggregate import Aggregate, aggregate_class
from .eventstore.projections import Projection, Rows
from .eventstore.snapshots import _events_after, _fold_row
from .models import ProjectEventCount, ProjectSnapshot

EVERY = 50  # events of a project (any of its streams) between two snapshots

MEMBER_TYPES = ("Milestone", "Risk", "Kpi")


@dataclass
class Loaded:
    """A project's streams folded as of a point, and the highest position and known_at folded."""

    aggregates: dict[str, Aggregate]
    position: int = 0
    known_at: datetime | None = None

    def took(self, position: int, known_at: datetime | None) -> None:
        self.position = max(self.position, position)
        if known_at is not None and (self.known_at is None or known_at > self.known_at):
            self.known_at = known_at


def load_projects(
    projects: dict[str, list[str]], as_of, extra: list[str] = ()
) -> tuple[dict[str, Loaded], Loaded]:
    """Return each project's streams (`projects` maps a project to its member streams) folded
    as of `as_of`, and the `extra` streams (areas) folded from their first event."""
    with _collector_paused():
        loaded = {pid: Loaded({}) for pid in projects}
        for pid, position, known_at, state in _chosen_snapshots(list(projects), as_of):
            loaded[pid] = Loaded(pickling.loads(bytes(state)), position, known_at)
        others = _fold_after(loaded, projects, extra, as_of)
    return loaded, others


def _fold_after(loaded: dict[str, Loaded], projects, extra, as_of) -> Loaded:
    """Fold into each project the events after its snapshot that `as_of` includes; return the
    `extra` streams folded."""
    project_of, after = {}, {}
    for pid, members in projects.items():
        aggregates = loaded[pid].aggregates
        for stream_id in (pid, *members):
            project_of[stream_id] = pid
            aggregate = aggregates.get(stream_id)
            after[stream_id] = aggregate.version if aggregate is not None else 0
    others = Loaded({})
    for stream_id in extra:
        after.setdefault(stream_id, 0)
    rows = _events_after(list(after), {s: v for s, v in after.items() if v}, as_of)
    for stream_id, stream_type, event_type, schema, data, position, known_at in rows:
        pid = project_of.get(stream_id)
        into = loaded[pid] if pid is not None else others
        aggregate = into.aggregates.get(stream_id)
        if aggregate is None:
            aggregate = into.aggregates[stream_id] = aggregate_class(stream_type)(stream_id)
        _fold_row(aggregate, event_type, schema, data)
        into.took(position, known_at)
    return others


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while projects are unpickled and folded.

    A portfolio's snapshots are about a million small objects; allocating them set off the
    collector hundreds of times, each time walking every object alive, for no garbage: it was
    half the CPU time of a portfolio read.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chosen_snapshots(project_ids: list[str], as_of):
    """Yield (project, position, known_at, state) of each project's latest valid snapshot."""
    if connection.vendor == "postgresql" and not any("," in pid for pid in project_ids):
        yield from _chosen_snapshots_postgres(project_ids, as_of)
        return
    rows = ProjectSnapshot.objects.filter(project_id__in=project_ids)
    if as_of.position is not None:
        rows = rows.filter(position__lte=as_of.position)
    if as_of.time is not None:
        rows = rows.filter(known_at__lte=as_of.time)
    for project_id in project_ids:
        found = rows.filter(project_id=project_id).order_by("-position")
        yield from found.values_list("project_id", "position", "known_at", "state")[:1]


# One backward index scan per project; plain SQL, as every project read runs it.
_CHOSEN = (
    "SELECT s.project_id, s.position, s.known_at, s.state"
    " FROM unnest(string_to_array(%s, ',')) AS p(id) CROSS JOIN LATERAL"
    " (SELECT * FROM portfolio_projectsnapshot s WHERE s.project_id = p.id"
    "  AND s.position <= coalesce(%s::bigint, 9223372036854775807)"
    "  AND s.known_at <= coalesce(%s::timestamptz, 'infinity')"
    "  ORDER BY s.position DESC LIMIT 1) s"
)


def _chosen_snapshots_postgres(project_ids: list[str], as_of):
    with connection.cursor() as cursor:
        cursor.execute(_CHOSEN, [",".join(project_ids), as_of.position, as_of.time])
        return cursor.fetchall()


class ProjectSnapshotsProjection(Projection):
    """Count each project's events and write a snapshot of the project every EVERY of them."""

    name = "portfolio.project_snapshots"
    models = (ProjectSnapshot, ProjectEventCount)

    def __init__(self):
        super().__init__()
        # Rebuild only: every project folded so far, its streams, and what they hold.
        self._live: dict[str, Loaded] = {}
        self._project_of: dict[str, str] = {}

    def wants(self, event_type: str) -> bool:
        return event_type.split(".", 1)[0] in ("Project", *MEMBER_TYPES)

    def clear(self) -> None:
        super().clear()
        self.rebuilt()

    def rebuilt(self) -> None:
        self._live, self._project_of = {}, {}

    def apply(self, event, rows: Rows) -> None:
        project_id = self._project(event, rows.empty_tables)
        if project_id is None:  # a member stream of no known project: nothing to cache
            return
        count = rows.get(ProjectEventCount, project_id)
        if count is None:
            count = ProjectEventCount(project_id=project_id, events=0)
        count.events += 1
        rows.put(count)
        if rows.empty_tables:  # a rebuild reads the whole log in order: fold as it goes
            self._fold(project_id, event)
        if count.events % EVERY:
            return
        if rows.empty_tables:
            project = self._live[project_id]
        else:
            project = _load_at(project_id, event)
        rows.put(
            ProjectSnapshot(
                id=f"{project_id}/{count.events}",
                project_id=project_id,
                events=count.events,
                position=project.position,
                known_at=project.known_at,
                state=pickling.dumps(project.aggregates),
            )
        )

    def _project(self, event, rebuilding: bool) -> str | None:
        if event.stream_type == "Project":
            return event.stream_id
        if "project_id" in event.data:  # the first event of a milestone, risk or KPI
            project_id = event.data["project_id"]
            if rebuilding:
                self._project_of[event.stream_id] = project_id
            return project_id
        if rebuilding:
            return self._project_of.get(event.stream_id)
        return _member_project(event.stream_id)

    def _fold(self, project_id: str, event) -> None:
        project = self._live.setdefault(project_id, Loaded({}))
        aggregate = project.aggregates.get(event.stream_id)
        if aggregate is None:
            cls = aggregate_class(event.stream_type)
            aggregate = project.aggregates[event.stream_id] = cls(event.stream_id)
        _fold_row(aggregate, event.event_type, event.schema_version, event.data)
        project.took(event.position, event.known_at)


def _member_project(stream_id: str) -> str | None:
    """Return the project a milestone, risk or KPI stream belongs to, from the read models
    (one query for the three: an append pays for it)."""
    from milestones.models import Milestone
    from risks.models import Risk

    from .models import KpiSeries

    kinds = [
        model.objects.filter(id=stream_id).order_by().values_list("project_id")
        for model in (Milestone, Risk, KpiSeries)
    ]
    found = list(kinds[0].union(*kinds[1:], all=True)[:1])
    return found[0][0] if found else None


def _load_at(project_id: str, event) -> Loaded:
    """Return the project folded up to `event` (appended in this transaction), whatever its
    known_at: a snapshot covers a prefix of the log."""
    from .selectors import AsOf, members_of

    members = members_of([project_id])[project_id]
    if event.stream_id != project_id and event.stream_id not in members:
        members.append(event.stream_id)  # planned in this append: its read model comes later
    loaded, _ = load_projects({project_id: members}, AsOf(position=event.position))
    return loaded[project_id]
