"""Projections: read models kept from the log, inline with each append and rebuilt on demand.

A projection names the event types it handles, one method each. Handlers change rows through a
`Rows` cache, which writes every touched row in one bulk upsert per model at the end of a batch:
one append is a batch, and a rebuild is batches of thousands of events.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Model

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


class Rows:
    """Read-model rows touched in one batch, written back in bulk by `flush`."""

    def __init__(self, *, empty_tables: bool = False):
        # In a rebuild the tables start empty, so a row not in the cache does not exist.
        self.empty_tables = empty_tables
        self._rows: dict[type[Model], dict] = {}
        self._dirty: dict[type[Model], set] = {}
        self._deleted: dict[type[Model], set] = {}

    def get(self, model: type[Model], pk) -> Model | None:
        """Return the row with this primary key, or None."""
        cache = self._rows.setdefault(model, {})
        if pk not in cache:
            found = None if self.empty_tables else model.objects.filter(pk=pk).first()
            cache[pk] = found
        return cache[pk]

    def put(self, row: Model) -> Model:
        """Insert or replace `row` when the batch is flushed."""
        model = type(row)
        self._rows.setdefault(model, {})[row.pk] = row
        self._dirty.setdefault(model, set()).add(row.pk)
        self._deleted.get(model, set()).discard(row.pk)
        return row

    def delete(self, model: type[Model], pk) -> None:
        """Delete the row with this primary key when the batch is flushed."""
        self._rows.setdefault(model, {})[pk] = None
        self._dirty.get(model, set()).discard(pk)
        self._deleted.setdefault(model, set()).add(pk)

    def flush(self) -> None:
        """Write every changed row: one upsert and one delete per model."""
        for model, pks in self._deleted.items():
            if pks:
                model.objects.filter(pk__in=pks).delete()
        for model, pks in self._dirty.items():
            if not pks:
                continue
            rows = [self._rows[model][pk] for pk in pks]
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
            model.objects.bulk_create(
                rows,
                batch_size=1000,
                update_conflicts=bool(fields),
                unique_fields=[model._meta.pk.name],
                update_fields=fields or None,
            )
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


def _advance(name: str, position: int) -> None:
    updated = ProjectionCheckpoint.objects.filter(name=name, position__lt=position).update(
        position=position
    )
    if not updated:
        ProjectionCheckpoint.objects.get_or_create(name=name, defaults={"position": position})


def checkpoint(name: str) -> int:
    """Return the last position the named projection applied."""
    found = ProjectionCheckpoint.objects.filter(name=name).values_list("position", flat=True)
    return found.first() or 0


def apply_inline(events: list["RecordedEvent"]) -> None:
    """Apply freshly appended events to every projection that handles them (same transaction)."""
    for projection in _registry.values():
        mine = [e for e in events if projection.wants(e.event_type)]
        if not mine:
            continue
        rows = Rows()
        for event in mine:
            projection.apply(event, rows)
        rows.flush()
        _advance(projection.name, mine[-1].position)


def rebuild(events: Iterable["RecordedEvent"], names: Iterable[str] | None = None) -> int:
    """Drop the named (default: all) read models and rebuild them from `events`; return the count.

    Runs in one transaction holding the append lock, so no append interleaves with the rebuild.
    """
    from .store import _take_append_lock

    chosen = [_registry[name] for name in names] if names else registered()
    count = 0
    with transaction.atomic():
        _take_append_lock()
        for projection in chosen:
            projection.clear()
        ProjectionCheckpoint.objects.filter(name__in=[p.name for p in chosen]).delete()
        rows = Rows(empty_tables=True)
        last = 0
        for event in events:
            for projection in chosen:
                projection.apply(event, rows)
            count += 1
            last = event.position
            if count % 5000 == 0:
                rows.flush()
        rows.flush()
        for projection in chosen:
            projection.rebuilt()
            _advance(projection.name, last)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for projection in chosen:
                for model in projection.models:
                    cursor.execute(f'ANALYZE "{model._meta.db_table}"')
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
