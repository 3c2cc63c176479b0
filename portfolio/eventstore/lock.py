"""The one lock every append takes, for the code that must keep appends out for a while."""

from django.db import connection

# Any fixed 64-bit number: it names "the event log's append lock" among advisory locks. The
# append function (its migrations hold the same number) takes it first.
APPEND_LOCK_KEY = 7_301_562_044


def take_append_lock() -> None:
    """Hold the lock appends take until this transaction ends (SQLite serialises writers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [APPEND_LOCK_KEY])
