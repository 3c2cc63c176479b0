"""Snapshots of whole projects every EVERY events, and the chunks listing where their events sit.

A project's state is its own stream and its milestones', risks' and KPIs' streams, about a
hundred of them. A project snapshot holds every stream of the project folded up to one point,
so a read (portfolio/project_loading.py) decodes one row and folds only the events after it,
which it finds through the project's event chunks.

A snapshot covers the events it folded: `position` and `known_at` are the highest of them. It
is valid for a point (time T, position P) when position <= P and known_at <= T: everything in
it is then visible at the point. known_at grows within a stream but not across streams (an
import back-dates a whole history), which is why known_at is the maximum of all the snapshot
holds and not that of the event it was taken at.

The snapshots are a cache of the log and the code, not a read model: each holds the aggregates
as JSON (eventstore/state_json.py) with the code version of each type of them, and an entry of
another version is not read. The log never changes, so a rebuild of the counts and chunks (an
index of every event of each project) leaves the snapshots be, then writes, in its own process,
only those missing or not of today's code (`refresh_all`).
"""

import time
from collections.abc import Callable

from . import members
from .eventstore import state_json
from .eventstore.projections import Projection, Rows
from .models import ProjectEventChunk, ProjectEventCount, ProjectSnapshot
from .project_loading import Loaded, events_at, from_micros, micros

# Events of a project (any of its streams) between two snapshots, and in a chunk. Snapshot and
# chunk ids count events in steps of EVERY: changing it needs `manage.py rebuild_projections`.
EVERY = 50

MEMBER_TYPES = ("Milestone", "Risk", "Kpi")

REFRESH_PROGRESS_EVERY = 50  # projects between the progress lines of a refresh


class ProjectSnapshotsProjection(Projection):
    """Count each project's events, list where they sit in chunks, and write a snapshot of the
    project every EVERY of them."""

    name = "portfolio.project_snapshots"
    models = (ProjectEventChunk, ProjectEventCount)  # the snapshots are a cache: not dropped

    def __init__(self):
        super().__init__()
        self._project_of: dict[str, str] = {}  # rebuild only: the project of each member stream

    def wants(self, event_type: str) -> bool:
        return event_type.split(".", 1)[0] in ("Project", *MEMBER_TYPES)

    def clear(self) -> None:
        super().clear()
        self._project_of = {}

    def rebuilt(self) -> None:
        self._project_of = {}

    def refresh(self, say: Callable[[str], object]) -> None:
        """Write the snapshots the rebuilt chunks call for that are missing or not of today's
        code; the others are still right, as the log they were folded from never changes."""
        refresh_all(say)

    def apply(self, event, rows: Rows) -> None:
        project_id = self._project(event, rows.empty_tables)
        if project_id is None:  # a member stream of no known project: nothing to cache
            return
        count = rows.get(ProjectEventCount, project_id)
        if count is None:
            count = rows.add(ProjectEventCount, project_id=project_id, events=0)
        count.events += 1
        rows.put(count)
        count.recent.append([event.position, micros(event.known_at)])
        if count.events % EVERY:
            return
        _add_chunk(rows, project_id, count.events - EVERY, count.recent)
        count.recent = []
        if not rows.empty_tables:  # in a rebuild, `refresh` writes those missing after it
            rows.put(_snapshot(project_id, count.events, _load_at(project_id, count.events, rows)))

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


def _member_project(stream_id: str) -> str | None:
    """Return the project a milestone, risk or KPI stream belongs to, from the read models
    (one query for all kinds: an append pays for it)."""
    kinds = [
        model.objects.filter(id=stream_id).order_by().values_list("project_id")
        for model in members.tables()
    ]
    found = list(kinds[0].union(*kinds[1:], all=True)[:1])
    return found[0][0] if found else None


def _add_chunk(rows: Rows, project_id: str, before: int, entries: list[list[int]]) -> None:
    rows.add(
        ProjectEventChunk,
        id=f"{project_id}/{before}",
        project_id=project_id,
        first_position=entries[0][0],
        last_position=entries[-1][0],
        earliest=from_micros(min(known for _, known in entries)),
        entries=entries,
    )


def _load_at(project_id: str, events: int, rows: Rows) -> Loaded:
    """Return the project folded up to its `events`-th event (appended in this transaction),
    whatever its known_at: a snapshot covers a prefix of the log. Start from the latest earlier
    snapshot of today's code (this batch's or the table's) and fold the chunks after it."""
    start = _latest_current(project_id, events, rows)
    project = Loaded({})
    if start:
        snapshot = rows.cached(ProjectSnapshot, f"{project_id}/{start}")
        if snapshot is None:
            snapshot = ProjectSnapshot.objects.get(id=f"{project_id}/{start}")
        project = _loaded(snapshot)
    chunks = [rows.get(ProjectEventChunk, f"{project_id}/{n}") for n in range(start, events, EVERY)]
    for row in events_at([position for chunk in chunks for position, _ in chunk.entries]):
        project.fold(*row)
    return project


def _latest_current(project_id: str, events: int, rows: Rows) -> int:
    """Return how many events the latest snapshot of the project before its `events`-th holds,
    among those written by today's code (0: none)."""
    for n in range(events - EVERY, 0, -EVERY):
        if rows.cached(ProjectSnapshot, f"{project_id}/{n}") is not None:
            return n  # written in this batch: later than any in the table
    stored = ProjectSnapshot.objects.filter(project_id=project_id, events__lt=events)
    current = [
        n
        for n, versions in stored.values_list("events", "versions")
        if state_json.is_current(versions)
    ]
    return max(current, default=0)


def _loaded(snapshot: ProjectSnapshot) -> Loaded:
    """Return what a snapshot of today's code holds."""
    aggregates, unread = state_json.loads(snapshot.state, snapshot.versions)
    if unread:  # callers choose snapshots of today's code only
        raise RuntimeError(f"snapshot {snapshot.id} holds entries of other code: {unread[:3]}")
    return Loaded(aggregates, snapshot.position, snapshot.known_at)


def _snapshot(project_id: str, events: int, project: Loaded) -> ProjectSnapshot:
    state, versions = state_json.dumps(project.aggregates)
    return ProjectSnapshot(
        id=f"{project_id}/{events}",
        project_id=project_id,
        events=events,
        position=project.position,
        known_at=project.known_at,
        state=state,
        versions=versions,
    )


def refresh(project_id: str) -> int:
    """Write the snapshots of a project that are missing or not of today's code; return how
    many were written.

    Each is the one an append writes: the project folded up to its n-th event. Running it twice,
    or beside appends, is safe: a snapshot is a function of the log and the code, so an append
    writing the same one writes the same row.
    """
    counted = ProjectEventCount.objects.filter(project_id=project_id)
    events = counted.values_list("events", flat=True).first() or 0
    stored = ProjectSnapshot.objects.filter(project_id=project_id)
    have = {
        n
        for n, versions in stored.values_list("events", "versions")
        if state_json.is_current(versions)
    }
    missing = [n for n in range(EVERY, events + 1, EVERY) if n not in have]
    if not missing:
        return 0
    start = max((n for n in have if n < missing[0]), default=0)
    project = Loaded({})
    if start:
        project = _loaded(stored.get(events=start))
    chunks = ProjectEventChunk.objects.filter(
        id__in=[f"{project_id}/{n}" for n in range(start, missing[-1], EVERY)]
    )
    positions = sorted(
        p for entries in chunks.values_list("entries", flat=True) for p, _ in entries
    )
    if len(positions) != missing[-1] - start:  # the index is broken: rebuild_projections mends it
        raise RuntimeError(
            f"project {project_id}: chunks list {len(positions)} events, not "
            f"the {missing[-1] - start} after snapshot {start}"
        )
    rows, pending, wanted = Rows(), 0, set(missing)
    for folded, event in enumerate(events_at(positions), start + 1):
        project.fold(*event)
        if folded in wanted:
            rows.put(_snapshot(project_id, folded, project))
            pending += 1
            if pending == 10:  # a few at a time: they are large
                rows.flush()
                pending = 0
    rows.flush()
    return len(missing)


def refresh_all(say: Callable[[str], object] = print) -> int:
    """Write every project's missing snapshots and those not of today's code, saying how far
    it is; return how many were written."""
    started = time.perf_counter()
    counts = ProjectEventCount.objects.values_list("project_id", "events")
    have: dict[str, set[int]] = {}
    for project_id, n, versions in ProjectSnapshot.objects.values_list(
        "project_id", "events", "versions"
    ):
        if state_json.is_current(versions):
            have.setdefault(project_id, set()).add(n)
    due = [
        project_id
        for project_id, events in counts.order_by("project_id")
        if not have.get(project_id, set()).issuperset(range(EVERY, events + 1, EVERY))
    ]
    written = 0
    for done, project_id in enumerate(due, 1):
        written += refresh(project_id)
        if done % REFRESH_PROGRESS_EVERY == 0 or done == len(due):
            seconds = time.perf_counter() - started
            say(f"  snapshots of {done} of {len(due)} projects: {written} written, {seconds:.0f} s")
    return written
