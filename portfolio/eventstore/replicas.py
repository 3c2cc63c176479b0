"""Reads pinned to a log position, served by a streaming replica once it has replayed it.

With DATABASE_REPLICA_URL set, settings name a second database, `replica`: a PostgreSQL hot
standby of `default`. A read that is pinned to a log position (an as-of page or API read, a
report, the feed) runs inside `pinned(position)`: if the replica holds that position, its reads
go there, otherwise to the primary, so a read is never behind its pin. Appends take the append
lock, so positions commit in order: a replica holding position p holds every event up to p.

The ORM follows the router; raw SQL reads that should follow it open their cursor on
`connections[read_alias()]`. Everything else, and every write, stays on the primary.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Max

from portfolio import degraded

from .models import StoredEvent

REPLICA = "replica"

_alias: ContextVar[str | None] = ContextVar("pinned_read_alias", default=None)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def replayed_position() -> int:
    """Return the highest log position the replica holds (0 when it holds none)."""
    found = StoredEvent.objects.using(REPLICA).aggregate(last=Max("position"))["last"]
    return found or 0


def _alias_for(position: int) -> str:
    if not configured() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        # In a transaction on the primary a read must see that transaction's own writes.
        return DEFAULT_DB_ALIAS
    try:
        held = replayed_position()
    except DatabaseError as error:
        degraded.record("replica read", error)
        return DEFAULT_DB_ALIAS
    return REPLICA if held >= position else DEFAULT_DB_ALIAS


@contextmanager
def pinned(position: int) -> Iterator[str]:
    """Within the block, send reads to the replica if it holds `position`, else to the primary.

    Yield the alias the reads go to; the choice holds for the whole block.
    """
    token = _alias.set(_alias_for(position))
    try:
        yield _alias.get()
    finally:
        _alias.reset(token)


def read_alias() -> str:
    """Return the database a read goes to here: the pinned block's, else the primary."""
    return _alias.get() or DEFAULT_DB_ALIAS


class PinnedReadRouter:
    """Send the ORM's reads inside `pinned` where it chose; writes and migrations to `default`."""

    def db_for_read(self, model, **hints) -> str | None:
        return _alias.get()

    def db_for_write(self, model, **hints) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db != REPLICA  # a standby is read-only; it replays the primary's migrations
