"""The test database's flush, which must empty the tables their triggers keep from TRUNCATE."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management.commands import flush
from django.db import DEFAULT_DB_ALIAS, connections, transaction

TRUNCATE_TRIGGERS = {
    "eventstore_event": "eventstore_event_no_truncate",  # migration 0009
    "eventstore_signed_head": "eventstore_signed_head_no_truncate",  # migration 0012
    "eventstore_rehashed_head": "eventstore_rehashed_head_no_truncate",  # migration 0014
}


@contextmanager
def truncate_allowed(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block in a transaction in which the event log and its signed heads may be
    truncated.

    Only the tables' owner may disable a trigger, as the tests' connection is; the block's
    transaction enables it again, and so does its rollback.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor != "postgresql":
            yield
            return
        _switch("DISABLE", connection)
        yield
        _switch("ENABLE", connection)


def _switch(how: str, connection) -> None:
    with connection.cursor() as cursor:
        for table, trigger in TRUNCATE_TRIGGERS.items():
            cursor.execute(f"ALTER TABLE {table} {how} TRIGGER {trigger}")


@pytest.fixture(autouse=True, scope="session")
def _flush_past_the_truncate_trigger() -> Iterator[None]:
    """Let `flush` truncate the append-only tables: Django empties the database between
    transactional tests with it, one TRUNCATE of every table."""
    handle = flush.Command.handle

    def handle_with_truncate_allowed(self, **options):
        with truncate_allowed(options["database"]):
            return handle(self, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush.Command, "handle", handle_with_truncate_allowed)
        yield
