"""Projections: read models kept from the log, inline with each append and rebuilt on demand.

A projection names the event types it handles, one method each. Handlers change rows through a
`Rows` cache, which writes every touched row in one bulk upsert per model at the end of a batch:
one append is a batch, and a rebuild is batches of thousands of events.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Model

from .collector import growing
from .models import ProjectionCheckpoint

if TYPE_CHECKING:
    from .store import RecordedEvent

Handler = Callable[["Projection", "RecordedEvent", "Rows"], None]

_registry: dict[str, "Projection"] = {}


def handles(*event_types: str) -> Callable[[Handler], Handler]:
    """Mark a projection method as the handler of these event types."""

    def mark(function: Handler) -> Handler:
        function.handles = event_types
        return function

    return mark


def _upsert(model: type[Model], rows: list[Model], update_fields: list[str]) -> None:
    """Insert `rows`, or on a clash of primary keys set `update_fields` on the stored row.

    What bulk_create(update_conflicts=True) does, in plain SQL: an inline projection flushes on
    every append, and the ORM's statement building was the larger part of that.
    """
    meta = model._meta
    fields = meta.concrete_fields
    if (
        connection.vendor not in ("postgresql", "sqlite")
        or any(hasattr(f, "get_placeholder") for f in fields)
        or any(row.pk is None for row in rows)
    ):
        model.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=bool(update_fields),
            unique_fields=[meta.pk.name],
            update_fields=update_fields or None,
        )
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    insert = f"INSERT INTO {quote(meta.db_table)} ({columns})"  # noqa: S608 (quoted names)
    if update_fields:
        changed = [quote(meta.get_field(name).column) for name in update_fields]
        action = "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in changed)
    else:
        action = "DO NOTHING"
    conflict = f"ON CONFLICT ({quote(meta.pk.column)}) {action}"
    if connection.vendor == "postgresql":
        _upsert_arrays(insert, conflict, fields, rows)
        return
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    chunk_size = max(1, 30_000 // len(fields))  # below SQLite's parameter limit
    with connection.cursor() as cursor:
        for start in range(0, len(rows), chunk_size):
            chunk = rows[start : start + chunk_size]
            values = ", ".join([one_row] * len(chunk))
            cursor.execute(
                f"{insert} VALUES {values} {conflict}",
                [
                    f.get_db_prep_save(f.pre_save(row, True), connection)
                    for row in chunk
                    for f in fields
                ],
            )


def _upsert_arrays(insert: str, conflict: str, fields, rows: list[Model]) -> None:
    """PostgreSQL: send each column as one array and unnest them, so the statement has one
    placeholder per column however many rows it writes. psycopg scanned the text of a
    statement with one per value in Python, and a rebuild writes thousands of rows at once."""
    columns = [
        [f.get_db_prep_save(f.pre_save(row, True), connection) for row in rows] for f in fields
    ]
    casts = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    with connection.cursor() as cursor:
        statement = f"{insert} SELECT * FROM unnest({casts}) {conflict}"  # noqa: S608 (names)
        cursor.execute(statement, columns)


def _copy_fields(source: Model, target: Model, fields: Iterable[str]) -> None:
    for name in fields:
        setattr(target, name, getattr(source, name))


class Rows:
    """Read-model rows touched in one batch, written back in bulk by `flush`."""

    def __init__(self, *, empty_tables: bool = False):
        # In a rebuild the tables start empty, so a row not in the cache does not exist.
        self.empty_tables = empty_tables
        self._rows: dict[type[Model], dict] = {}
        self._dirty: dict[type[Model], set] = {}
        self._deleted: dict[type[Model], set] = {}
        # Rows merged without being read: pk -> (row to insert, fields to set if it exists).
        self._merged: dict[type[Model], dict] = {}

    def get(self, model: type[Model], pk) -> Model | None:
        """Return the row with this primary key, or None."""
        cache = self._rows.setdefault(model, {})
        if pk not in cache:
            found = None if self.empty_tables else model.objects.filter(pk=pk).first()
            merged = self._merged.get(model, {}).pop(pk, None)
            if merged is not None:
                row, fields = merged
                if found is not None:
                    _copy_fields(row, found, fields)
                found = self.put(found if found is not None else row)
            cache[pk] = found
        return cache[pk]

    def cached(self, model: type[Model], pk) -> Model | None:
        """Return the row if this batch holds it already, without reading the table."""
        return self._rows.get(model, {}).get(pk)

    def put(self, row: Model) -> Model:
        """Insert or replace `row` when the batch is flushed."""
        model, pk = type(row), row.pk  # pk is a property that looks up the model's meta
        self._rows.setdefault(model, {})[pk] = row
        self._dirty.setdefault(model, set()).add(pk)
        if self._deleted:
            self._deleted.get(model, set()).discard(pk)
        if self._merged:
            self._merged.get(model, {}).pop(pk, None)
        return row

    def merge(self, row: Model, fields: Iterable[str]) -> None:
        """Insert `row`, or if a row with its key exists, set only `fields` on that row.

        Unlike get-then-put, this needs no read: the flush's upsert does the merging.
        """
        model, pk, fields = type(row), row.pk, frozenset(fields)
        cache = self._rows.setdefault(model, {})
        pending = self._merged.setdefault(model, {})
        if pk in pending:
            earlier, earlier_fields = pending[pk]
            _copy_fields(row, earlier, fields)
            pending[pk] = (earlier, earlier_fields | fields)
        elif pk in cache or self.empty_tables:
            existing = cache.get(pk)
            if existing is not None:
                _copy_fields(row, existing, fields)
            self.put(existing if existing is not None else row)
        else:
            pending[pk] = (row, fields)

    def delete(self, model: type[Model], pk) -> None:
        """Delete the row with this primary key when the batch is flushed."""
        self._rows.setdefault(model, {})[pk] = None
        self._dirty.get(model, set()).discard(pk)
        self._merged.get(model, {}).pop(pk, None)
        self._deleted.setdefault(model, set()).add(pk)

    def flush(self) -> None:
        """Write every changed row: one delete per model, then upserts."""
        for model, pks in self._deleted.items():
            if pks:
                model.objects.filter(pk__in=pks).delete()
        for model, pending in self._merged.items():
            by_fields: dict[frozenset, list] = {}
            for row, fields in pending.values():
                by_fields.setdefault(fields, []).append(row)
            for fields, rows in by_fields.items():
                _upsert(model, rows, sorted(fields))
        self._merged.clear()
        for model, pks in self._dirty.items():
            if not pks:
                continue
            rows = [self._rows[model][pk] for pk in pks]
            _upsert(model, rows, [f.name for f in model._meta.concrete_fields if not f.primary_key])
        self._dirty.clear()
        self._deleted.clear()
        if not self.empty_tables:
            self._rows.clear()


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

    def may_write(self, stream_type: str, event_type: str) -> bool:
        """Whether applying such an event could change rows.

        An append with no projection that may write needs no transaction of its own.
        """
        return self.wants(event_type)

    def apply(self, event: "RecordedEvent", rows: Rows) -> None:
        handler = self.handlers.get(event.event_type)
        if handler is not None:
            handler(self, event, rows)

    def rebuilt(self) -> None:
        """Called when a rebuild has applied the whole log (to drop rebuild-only memory)."""

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


def _advance(name: str, position: int) -> None:
    _advance_all({name: position})


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


def checkpoint(name: str) -> int:
    """Return the last position the named projection applied."""
    found = ProjectionCheckpoint.objects.filter(name=name).values_list("position", flat=True)
    return found.first() or 0


@dataclass(frozen=True)
class Inline:
    """The projections an append concerns: whose checkpoints move, whose Python code runs."""

    names: list[str]
    in_python: list[Projection]


_inline_cache: dict[tuple, Inline] = {}


def inline_for(stream_type: str, event_types: list[str]) -> Inline:
    """Return the projections that handle these events, about to be appended (PostgreSQL).

    Remembered per stream type, event types and registered projections: every append asks.
    """
    key = (stream_type, *event_types, *_registry.values())
    found = _inline_cache.get(key)
    if found is None:
        if len(_inline_cache) > 10_000:  # bounded: event types are few, batches vary
            _inline_cache.clear()
        found = _inline_cache[key] = _inline_for(stream_type, event_types)
    return found


def _inline_for(stream_type: str, event_types: list[str]) -> Inline:
    names, in_python = [], []
    for projection in _registry.values():
        if not any(projection.wants(t) for t in event_types):
            continue
        names.append(projection.name)
        if any(projection.may_write(stream_type, t) for t in event_types):
            in_python.append(projection)
    return Inline(names, in_python)


def apply_in_python(chosen: list[Projection], events: list["RecordedEvent"]) -> None:
    """Apply appended events to these projections; the append moved their checkpoints."""
    for projection in chosen:
        rows = Rows()
        for event in events:
            if projection.wants(event.event_type):
                projection.apply(event, rows)
        rows.flush()


def apply_inline(events: list["RecordedEvent"]) -> None:
    """Apply freshly appended events to every projection that handles them (same transaction)."""
    advanced = {}
    for projection in _registry.values():
        mine = [e for e in events if projection.wants(e.event_type)]
        if not mine:
            continue
        rows = Rows()
        for event in mine:
            projection.apply(event, rows)
        rows.flush()
        advanced[projection.name] = mine[-1].position
    _advance_all(advanced)


def rebuild(events: Iterable["RecordedEvent"], names: Iterable[str] | None = None) -> int:
    """Drop the named (default: all) read models and rebuild them from `events`; return the count.

    Runs in one transaction holding the append lock, so no append interleaves with the rebuild.
    """
    from .store import _take_append_lock

    chosen = [_registry[name] for name in names] if names else registered()
    count = 0
    with transaction.atomic(), growing() as keep:
        _take_append_lock()
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
                rows.flush()
                keep()  # the collector walked all the projections keep, a fifth of a rebuild
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
    return count


def catch_up(name: str) -> int:
    """Apply to one projection the events after its checkpoint; return how many were applied.

    Running it again applies nothing: the checkpoint makes replays idempotent.
    """
    from .store import _take_append_lock, read_all

    projection = _registry[name]
    applied = 0
    with transaction.atomic():
        _take_append_lock()
        after = checkpoint(name)
        while batch := read_all(after=after, limit=5000):
            rows = Rows()
            for event in batch:
                if projection.wants(event.event_type):
                    projection.apply(event, rows)
                    applied += 1
            rows.flush()
            after = batch[-1].position
            _advance(name, after)
    return applied
