"""Fold projects as of a point: from each one's latest valid snapshot, then the events after it.

A snapshot (portfolio/project_snapshots.py) holds every stream of a project folded up to one
position, and is valid for a point (time T, position P) when its position <= P and its
known_at <= T. The events after it that the point includes are found through the project's event
chunks: rows listing the position and known_at of each of its events, fifty to a row, so a read
fetches exactly those events by position instead of probing each of the project's hundred
streams for events after the version the snapshot holds. known_at grows within a stream, so the
events of a stream a point includes are a prefix of it, and folding them after the snapshot in
log order gives the answer of a plain fold.

A snapshot may hold entries of an aggregate whose code has changed since it was written:
eventstore/state_json.py gives those streams fresh aggregates, and the read folds them from
their first event, through the same chunks, while the rest of the project starts from the
snapshot.
"""

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection

from .eventstore import people, state_json, store
from .eventstore.aggregate import Aggregate, aggregate_class, event_class
from .eventstore.collector import file_as_old
from .eventstore.models import StoredEvent
from .eventstore.store import load_json
from .eventstore.upcasting import upcast
from .models import Project as ProjectRow
from .models import ProjectEventChunk, ProjectEventCount, ProjectSnapshot

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """Return `moment` in whole microseconds since 1970 (exact, unlike a float timestamp)."""
    return (moment - _EPOCH) // _MICROSECOND


def from_micros(value: int) -> datetime:
    return _EPOCH + value * _MICROSECOND


@dataclass
class Loaded:
    """A project's streams folded as of a point, and the highest position and known_at folded
    (the latter only where a snapshot is written from it: reads fold events without it).

    `aggregates` holds each kind of stream in the order of their first events: a snapshot
    keeps them so, and streams new since are added in log order.
    """

    aggregates: dict[str, Aggregate]
    position: int = 0
    known_at: datetime | None = None

    def took(self, position: int, known_at: datetime | None) -> None:
        self.position = max(self.position, position)
        if known_at is not None and (self.known_at is None or known_at > self.known_at):
            self.known_at = known_at

    def fold(self, stream_id, stream_type, event_type, schema, data, position, known_at) -> None:
        aggregate = self.aggregates.get(stream_id)
        if aggregate is None:
            aggregate = self.aggregates[stream_id] = aggregate_class(stream_type)(stream_id)
        _, data = upcast(event_type, schema, data)
        aggregate.replay([event_class(event_type).from_data(data)])
        self.took(position, known_at)


def load_projects(
    project_ids: list[str], as_of, extra: list[str] = (), types: frozenset[str] | None = None
) -> tuple[dict[str, Loaded], Loaded]:
    """Return each project's streams folded as of `as_of`, and the `extra` streams (areas)
    folded from their first event. Given `types`, only the project's streams of those types
    (a read that shows no KPI series is spared decoding and folding them); the position is
    still the highest of all the project's events folded or passed over."""
    return _load(_chosen_snapshots(project_ids, as_of), as_of, extra, types)


def load_project(
    slug: str, as_of, types: frozenset[str] | None = None
) -> tuple[str, Loaded, Loaded] | None:
    """Return the id of the project `slug` names, its streams and its area's folded as of
    `as_of` (as load_projects does), or None if no project has that slug. One query finds the
    project and its snapshot: a project read is the API's most frequent."""
    found = _project_and_snapshot(slug, as_of)
    if found is None:
        return None
    project_id, area_id, *snapshot = found
    loaded, area = _load([(project_id, *snapshot)], as_of, [area_id], types)
    return project_id, loaded[project_id], area


def _load(chosen, as_of, extra, types) -> tuple[dict[str, Loaded], Loaded]:
    with _collector_paused():
        loaded, refold = {}, {}
        for pid, position, known_at, versions, state in chosen:
            loaded[pid] = Loaded({})
            if state is not None:
                aggregates, unread = state_json.loads(state, load_json(versions), types)
                loaded[pid] = Loaded(aggregates, position, known_at)
                if unread:
                    refold[pid] = (position, set(unread))
        after = {pid: 0 if pid in refold else project.position for pid, project in loaded.items()}
        others = Loaded({})
        for pid, *row in _events_after_snapshots(after, list(extra), as_of, refold):
            if pid is None:
                others.fold(*row)
            elif types is None or row[1] in types:
                loaded[pid].fold(*row)
            else:
                loaded[pid].took(row[5], row[6])
    return loaded, others


@contextmanager
def _collector_paused():
    """Pause the cyclic garbage collector while projects are decoded and folded, and file
    what they built as old.

    A portfolio's snapshots are about a million small objects; allocating them set off the
    collector hundreds of times, each time walking every object alive, for no garbage: it was
    half the CPU time of a portfolio read. Paused, the first collection after the read still
    walked them all as young objects (0.2 s). Filed as old instead, they are looked at again
    only by a full collection; they are acyclic and go when the read's result does.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        file_as_old()
        if enabled:
            gc.enable()


def _chosen_snapshots(project_ids: list[str], as_of):
    """Yield (project, position, known_at, versions, state) for each project: its latest
    snapshot valid at `as_of` (Nones if none)."""
    if connection.vendor == "postgresql" and not any("," in pid for pid in project_ids):
        with connection.cursor() as cursor:
            params = [",".join(project_ids), as_of.position, as_of.time]
            cursor.execute(_CHOSEN, params)
            return cursor.fetchall()
    rows = as_of.filter(ProjectSnapshot.objects.filter(project_id__in=project_ids))
    chosen = []
    for pid in project_ids:
        found = rows.filter(project_id=pid).order_by("-position")
        snapshot = found.values_list("position", "known_at", "versions", "state").first()
        chosen.append((pid, *(snapshot or (None,) * 4)))
    return chosen


def _project_and_snapshot(slug: str, as_of) -> tuple | None:
    """Return (project, area, position, known_at, versions, state) of the project `slug` names
    and its latest snapshot valid at `as_of` (Nones if none); None if there is no such project."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CHOSEN_BY_SLUG, [as_of.position, as_of.time, slug])
            return cursor.fetchone()
    row = ProjectRow.objects.filter(slug=slug).values_list("id", "area_id").first()
    if row is None:
        return None
    return (*row, *_chosen_snapshots([row[0]], as_of)[0][1:])


# One backward index scan per project for its snapshot; plain SQL, as every project read runs it.
_LATEST_SNAPSHOT = (
    " LEFT JOIN LATERAL (SELECT * FROM portfolio_projectsnapshot s WHERE s.project_id = p.id"
    "  AND s.position <= coalesce(%s::bigint, 9223372036854775807)"
    "  AND s.known_at <= coalesce(%s::timestamptz, 'infinity')"
    "  ORDER BY s.position DESC LIMIT 1) s ON true"
)
# (S608: constant strings put together, nothing from a request.)
_CHOSEN = (
    "SELECT p.id, s.position, s.known_at, s.versions, s.state"  # noqa: S608
    " FROM unnest(string_to_array(%s, ',')) AS p(id)" + _LATEST_SNAPSHOT
)
_CHOSEN_BY_SLUG = (
    "SELECT p.id, p.area_id, s.position, s.known_at, s.versions, s.state"  # noqa: S608
    " FROM portfolio_project p" + _LATEST_SNAPSHOT + " WHERE p.slug = %s"
)


def _events_after_snapshots(after: dict[str, int], extra: list[str], as_of, refold=None):
    """Yield (project, stream, type, event type, schema, data, position, known_at or None) of
    each project's events after the position `after` gives it, and (None, ...) of the events of
    the `extra` streams, that `as_of` includes, in log order.

    `refold` maps a project to the position of its snapshot and the streams in it to fold from
    their first event: of its events up to that position, only theirs are yielded.
    """
    if not after and not extra:
        return []
    refold = refold or {}
    if connection.vendor == "postgresql" and not any("," in i for i in [*after, *extra]):
        return _events_after_snapshots_postgres(after, extra, as_of, refold)
    positions = {}
    for pid, position in after.items():
        for entries in _chunks_after(pid, position, as_of):
            positions.update((p, pid) for p, known in entries if _wanted(p, known, position, as_of))
    rows = [(positions[row[5]], *row) for row in events_at(list(positions))]
    rows = [row for row in rows if not _in_snapshot(refold, row[0], row[1], row[6])]
    fields = ("stream_id", "stream_type", "event_type", "schema_version", "data", "position")
    streams = as_of.filter(StoredEvent.objects.filter(stream_id__in=extra))
    extra_rows = [(None, *row) for row in streams.values_list(*fields, "known_at")]
    rows += people.reveal_rows(extra_rows, [5])
    return sorted(rows, key=lambda row: row[6])


def _in_snapshot(refold: dict, project_id: str, stream_id: str, position: int) -> bool:
    """Whether an event is folded into the project's snapshot already (see `refold`)."""
    again = refold.get(project_id)
    return again is not None and position <= again[0] and stream_id not in again[1]


def events_at(positions: list[int]) -> list[tuple]:
    """Return (stream, type, event type, schema, data, position, known_at) of the events at
    these positions, in log order."""
    return [
        (e.stream_id, e.stream_type, e.event_type, e.schema_version, e.data, e.position, e.known_at)
        for e in store.read_positions(positions)
    ]


def _chunks_after(project_id: str, position: int, as_of) -> list[list]:
    """Return the entries of the project's chunks that may hold events after `position` that
    `as_of` includes, and those of its open chunk."""
    chunks = ProjectEventChunk.objects.filter(project_id=project_id, last_position__gt=position)
    if as_of.time is not None:
        chunks = chunks.filter(earliest__lte=as_of.time)
    if as_of.position is not None:
        chunks = chunks.filter(first_position__lte=as_of.position)
    found = list(chunks.order_by("last_position").values_list("entries", flat=True))
    recent = ProjectEventCount.objects.filter(project_id=project_id).values_list("recent")
    return [*found, *(entries for (entries,) in recent)]


def _wanted(position: int, known: int, after: int, as_of) -> bool:
    return (
        position > after
        and (as_of.position is None or position <= as_of.position)
        and (as_of.time is None or known <= micros(as_of.time))
    )


# Per project, the chunks that may hold wanted events (an index scan) and their entries; then
# those events in one scan of the primary key for all (probing it once per entry cost a fifth
# more), and the events of the extra streams. Without known_at: a read does not use it, and
# Django's loader parses a timestamp in Python (a fifth of the fetch).
_AFTER = (
    "WITH wanted AS MATERIALIZED (SELECT p.id, (x.entry->>0)::bigint AS position"
    " FROM unnest(string_to_array(%(ids)s, ','), string_to_array(%(after)s, ',')::bigint[])"
    "  AS p(id, after)"
    " CROSS JOIN LATERAL ("
    "  SELECT k.entries FROM portfolio_projecteventchunk k WHERE k.project_id = p.id"
    "   AND k.last_position > p.after AND k.earliest <= coalesce(%(time)s::timestamptz, 'infinity')"
    "   AND k.first_position <= coalesce(%(position)s::bigint, 9223372036854775807)"
    "  UNION ALL SELECT c.recent FROM portfolio_projecteventcount c WHERE c.project_id = p.id"
    " ) AS k(entries)"
    " CROSS JOIN LATERAL jsonb_array_elements(k.entries) AS x(entry)"
    " WHERE (x.entry->>0)::bigint > p.after"
    "  AND (x.entry->>0)::bigint <= coalesce(%(position)s::bigint, 9223372036854775807)"
    "  AND (x.entry->>1)::bigint <= coalesce(%(micros)s::bigint, 9223372036854775807))"
    " SELECT w.id, e.stream_id, e.stream_type, e.event_type, e.schema_version, e.data::text,"
    "  e.position"
    " FROM eventstore_event e JOIN wanted w ON w.position = e.position"
    " WHERE e.position = ANY(ARRAY(SELECT position FROM wanted))"
    " UNION ALL"
    " SELECT NULL, e.stream_id, e.stream_type, e.event_type, e.schema_version, e.data::text,"
    "  e.position"
    " FROM eventstore_event e WHERE e.stream_id = ANY(string_to_array(%(extra)s, ','))"
    "  AND e.known_at <= coalesce(%(time)s::timestamptz, 'infinity')"
    "  AND e.position <= coalesce(%(position)s::bigint, 9223372036854775807)"
    " ORDER BY position"
)


def _events_after_snapshots_postgres(after: dict[str, int], extra: list[str], as_of, refold):
    params = {
        "ids": ",".join(after),
        "after": ",".join(map(str, after.values())),
        "extra": ",".join(extra),
        "time": as_of.time,
        "position": as_of.position,
        "micros": None if as_of.time is None else micros(as_of.time),
    }
    with connection.cursor() as cursor:
        cursor.execute(_AFTER, params)
        rows = people.reveal_rows(cursor.fetchall(), [5])
    for pid, stream_id, stream_type, event_type, schema, data, position in rows:
        if refold and _in_snapshot(refold, pid, stream_id, position):
            continue  # before its JSON is decoded
        yield pid, stream_id, stream_type, event_type, schema, load_json(data), position, None
