"""Snapshots of whole projects every EVERY events, and the chunks listing where their events sit.

A project's state is its own stream and its milestones', risks' and KPIs' streams, about a
hundred of them. A project snapshot holds every stream of the project folded up to one point,
so a read (portfolio/project_loading.py) decodes one row and folds only the events after it,
which it finds through the project's event chunks.

A snapshot covers the events it folded: `position` and `known_at` are the highest of them. It
is valid for a point (time T, position P) when position <= P and known_at <= T: everything in
it is then visible at the point. known_at grows within a stream but not across streams (an
import back-dates a whole history), which is why known_at is the maximum of all the snapshot
holds and not that of the event it was taken at. The snapshots are a cache: without them the
loader folds every event, and the answer is the same. So a rebuild writes the counts and chunks
and leaves the snapshots to a worker (`fill`), after it commits. The chunks are an index, kept
whole for a project from its first event (`ProjectEventCount.complete`) or not at all.
"""

from . import members
from .eventstore import pickling
from .eventstore.projections import Projection, Rows
from .models import ProjectEventChunk, ProjectEventCount, ProjectSnapshot
from .project_loading import Loaded, events_at, from_micros, micros

# Events of a project (any of its streams) between two snapshots, and in a chunk. Snapshot and
# chunk ids count events in steps of EVERY: changing it needs `manage.py rebuild_projections`.
EVERY = 50

MEMBER_TYPES = ("Milestone", "Risk", "Kpi")

FILL_GROUP = 10  # projects per task filling snapshots after a rebuild: workers share them


class ProjectSnapshotsProjection(Projection):
    """Count each project's events, list where they sit in chunks, and write a snapshot of the
    project every EVERY of them."""

    name = "portfolio.project_snapshots"
    models = (ProjectSnapshot, ProjectEventChunk, ProjectEventCount)
    after_rebuild = (
        "the project snapshots (a cache) are written by the Celery worker"
        " (tasks fill_project_snapshots; in this process when no broker is configured)"
    )

    def __init__(self):
        super().__init__()
        # Rebuild only: the project of each member stream, and the projects due a snapshot.
        self._project_of: dict[str, str] = {}
        self._to_fill: dict[str, None] = {}  # a dict: in order, once each

    def wants(self, event_type: str) -> bool:
        return event_type.split(".", 1)[0] in ("Project", *MEMBER_TYPES)

    def clear(self) -> None:
        super().clear()
        self._project_of, self._to_fill = {}, {}

    def rebuilt(self) -> None:
        """Leave the snapshots to a worker, once the rebuild commits (`fill`): they are a
        cache, and writing them took three fifths of a rebuild of every read model."""
        from .tasks import fill_project_snapshots

        projects = list(self._to_fill)
        self._project_of, self._to_fill = {}, {}
        groups = [
            projects[start : start + FILL_GROUP] for start in range(0, len(projects), FILL_GROUP)
        ]
        # Each project's latest snapshot first, for a tenth of the work: reads of the present
        # (the overview, every project page) are fast again long before those of the past.
        for group in groups:
            fill_project_snapshots.delay_on_commit(group, latest_only=True)
        for group in groups:
            fill_project_snapshots.delay_on_commit(group)

    def apply(self, event, rows: Rows) -> None:
        project_id = self._project(event, rows.empty_tables)
        if project_id is None:  # a member stream of no known project: nothing to cache
            return
        count = rows.get(ProjectEventCount, project_id)
        if count is None:  # complete only if counted from the project's first event
            first = event.stream_id == project_id and event.version == 1
            count = rows.add(ProjectEventCount, project_id=project_id, events=0, complete=first)
        count.events += 1
        rows.put(count)
        if not count.complete:  # counted before chunks existed: rebuild_projections fixes it
            return
        count.recent.append([event.position, micros(event.known_at)])
        if count.events % EVERY:
            return
        _add_chunk(rows, project_id, count.events - EVERY, count.recent)
        count.recent = []
        if rows.empty_tables:
            self._to_fill[project_id] = None
        else:
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
    snapshot (this batch's or the table's) and fold the chunks after it."""
    start = events - EVERY
    while start > 0:
        snapshot = rows.get(ProjectSnapshot, f"{project_id}/{start}")
        if snapshot is not None and snapshot.format == pickling.FORMAT:
            break
        start -= EVERY  # dropped, or of a format before: fold from an older one, or from nothing
    project = Loaded({})
    if start > 0:
        state = pickling.loads(bytes(snapshot.state))
        project = Loaded(state, snapshot.position, snapshot.known_at)
    chunks = [rows.get(ProjectEventChunk, f"{project_id}/{n}") for n in range(start, events, EVERY)]
    for row in events_at([position for chunk in chunks for position, _ in chunk.entries]):
        project.fold(*row)
    return project


def _snapshot(project_id: str, events: int, project: Loaded) -> ProjectSnapshot:
    return ProjectSnapshot(
        id=f"{project_id}/{events}",
        project_id=project_id,
        events=events,
        position=project.position,
        known_at=project.known_at,
        state=pickling.dumps(project.aggregates),
        format=pickling.FORMAT,
    )


def fill(project_id: str, *, latest_only: bool = False) -> int:
    """Write the snapshots of a project that are missing (a rebuild leaves them all out), or
    only its latest one; return how many were written.

    Each is the one an append writes: the project folded up to its n-th event. Running it twice,
    or beside appends, is safe: a snapshot is a function of the log, so an append writing the
    same one writes the same row.
    """
    counted = ProjectEventCount.objects.filter(project_id=project_id, complete=True)
    events = counted.values_list("events", flat=True).first() or 0
    cached = ProjectSnapshot.objects.filter(project_id=project_id, format=pickling.FORMAT)
    have = set(cached.values_list("events", flat=True))
    missing = [n for n in range(EVERY, events + 1, EVERY) if n not in have]
    if latest_only:
        missing = missing[-1:] if events - events % EVERY not in have else []
    if not missing:
        return 0
    start = max((n for n in have if n < missing[0]), default=0)
    project = Loaded({})
    if start:
        row = cached.get(events=start)
        project = Loaded(pickling.loads(bytes(row.state)), row.position, row.known_at)
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
