"""Projections: read models kept from the log, inline with each append and rebuilt on demand.

A projection names the event types it handles, one method each. Handlers change rows through a
`Rows` cache, which writes every touched row in one bulk upsert per model at the end of a batch:
one append is a batch, and a rebuild is batches of thousands of events.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Model

from .collector import growing
from .lock import take_append_lock
from .models import ProjectionCheckpoint
from .rows import M, Rows

if TYPE_CHECKING:
    from .events import RecordedEvent

Handler = Callable[["Projection", "RecordedEvent", "Rows"], None]

_registry: dict[str, "Projection"] = {}


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    """Mark a projection method as the handler of these event types."""

    def mark(function: Handler) -> Handler:
        function.handles = event_types
        return function

    return mark


def touched(rows: Rows, model: type[M], event: "RecordedEvent", **fields) -> M:
    """Return the read-model row of the event's stream with `fields` set, and the event's
    version and time as its `version` and `changed_at` (where it keeps one); the flush writes
    it."""
    row = rows.get(model, event.stream_id)
    for name, value in fields.items():
        setattr(row, name, value)
    row.version = event.version
    if hasattr(row, "changed_at"):
        row.changed_at = event.known_at
    return rows.put(row)


class Projection:
    """Base class: subclasses set `name` and `models` and mark handlers with @handles."""

    name: str = ""
    models: tuple[type[Model], ...] = ()

    def __init__(self):
        self.handlers: dict[str, Handler] = {}
        for attribute in dir(type(self)):
            function = getattr(type(self), attribute)
            for event_type in getattr(function, "handles", ()):
                self.handlers[event_type] = function

    def wants(self, event_type: str) -> bool:
        """Whether this projection handles events of this type."""
        return event_type in self.handlers

    def apply(self, event: "RecordedEvent", rows: Rows) -> None:
        handler = self.handlers.get(event.event_type)
        if handler is not None:
            handler(self, event, rows)

    def rebuilt(self) -> None:
        """Called when a rebuild has applied the whole log (to drop rebuild-only memory)."""

    def refresh(self, say: Callable[[str], object]) -> None:
        """Called once a rebuild has committed: bring up to date what the projection caches
        beside its read models, saying how far it is."""

    def clear(self) -> None:
        """Delete every row of this projection's read models."""
        for model in reversed(self.models):
            model.objects.all().delete()


def register(projection: Projection) -> Projection:
    """Add a projection to the inline set (called from an app's ready())."""
    if projection.name in _registry and type(_registry[projection.name]) is not type(projection):
        raise ValueError(f"two projections are named {projection.name}")
    _registry[projection.name] = projection
    return projection


def registered() -> list[Projection]:
    return list(_registry.values())


_UPSERT_CHECKPOINT = "INSERT INTO eventstore_checkpoint (name, position)"
_NEVER_BACK = (
    "ON CONFLICT (name) DO UPDATE SET position = excluded.position"
    " WHERE eventstore_checkpoint.position < excluded.position"
)


def _advance_all(positions: dict[str, int]) -> None:
    """Move each named checkpoint forward to its position (never back), in one statement."""
    if not positions:
        return
    values = ", ".join(["(%s, %s)"] * len(positions))
    with connection.cursor() as cursor:
        cursor.execute(
            f"{_UPSERT_CHECKPOINT} VALUES {values} {_NEVER_BACK}",
            [value for item in positions.items() for value in item],
        )


def wanting(event_types: list[str]) -> list[Projection]:
    """Return the registered projections that handle any of these event types."""
    return [p for p in _registry.values() if any(p.wants(t) for t in event_types)]


def apply(chosen: list[Projection], events: list["RecordedEvent"]) -> None:
    """Apply freshly appended events to these projections, in the append's transaction (the
    append moved their checkpoints)."""
    for projection in chosen:
        rows = Rows()
        for event in events:
            if projection.wants(event.event_type):
                projection.apply(event, rows)
        rows.flush()


def rebuild(
    events: Iterable["RecordedEvent"],
    names: Iterable[str] | None = None,
    say: Callable[[str], object] = lambda line: None,
) -> int:
    """Drop the named (default: all) read models and rebuild them from `events`, then refresh
    their caches (`say` tells how far that is); return the count of events.

    The rebuild runs in one transaction holding the append lock, so no append interleaves with
    it; the refresh runs after it commits, beside appends.
    """
    chosen = [_registry[name] for name in names] if names else registered()
    count = 0
    with transaction.atomic(), growing() as keep:
        take_append_lock()
        for projection in chosen:
            projection.clear()
        ProjectionCheckpoint.objects.filter(name__in=[p.name for p in chosen]).delete()
        rows = Rows(empty_tables=True)
        last = 0
        wanting: dict[str, list[Projection]] = {}  # event type -> the projections to apply
        for event in events:
            mine = wanting.get(event.event_type)
            if mine is None:
                mine = wanting[event.event_type] = [p for p in chosen if p.wants(event.event_type)]
            for projection in mine:
                projection.apply(event, rows)
            count += 1
            last = event.position
            if count % 5000 == 0:
                keep()  # the collector walked all the projections keep, a fifth of a rebuild
        # Written once, at the end: the rows stay in memory anyway (the tables start empty, so
        # they are the whole read model), and flushed every few thousand events the busy ones
        # were written again and again, most of a rebuild's time in the server.
        rows.flush()
        for projection in chosen:
            projection.rebuilt()
        _advance_all({projection.name: last for projection in chosen})
    if connection.vendor == "postgresql":
        # A rebuild upserts a row once per batch it changes in, leaving most of a busy table
        # dead (the risks: 500,000 dead rows for 21,500 live ones), and reads then wade through
        # them until autovacuum, if it is on, comes by. VACUUM cannot run inside a transaction
        # (a test's, or a caller's): there, only ANALYZE.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for projection in chosen:
                for model in projection.models:
                    cursor.execute(f'{command} "{model._meta.db_table}"')
    for projection in chosen:
        projection.refresh(say)
    return count
