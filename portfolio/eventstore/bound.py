"""Statements bound and prepared by the server, on Django's own PostgreSQL connection.

Django's cursors bind parameters on the client: the server parses and plans each statement
afresh, its literals included, and psycopg quotes every value of an array in Python. Bound on
the server, the append's call is parsed and planned once per connection, and the projections'
upserts send their column arrays in binary.

Django leaves prepared statements off for the sake of transaction-mode poolers: its connections
have no prepare threshold, which also turns off an explicit prepare=True. The statements run
here need them on (README); they are few and fixed (the append's call, one upsert per read-model
table and set of columns), so each connection prepares each of them once.
"""

import weakref

import psycopg


class _PreparingCursor(psycopg.Cursor):
    """A psycopg cursor that binds on the server and prepares every statement it runs."""

    def execute(self, query, params=None, **options):
        return super().execute(query, params, prepare=True)


_cursors: "weakref.WeakKeyDictionary[psycopg.Connection, _PreparingCursor]" = (
    weakref.WeakKeyDictionary()
)


def execute(db, statement: str, parameters) -> psycopg.Cursor:
    """Run `statement` on the connection wrapper `db`, bound and prepared by the server; return
    the cursor holding its result. Database errors arrive as Django's, as from its cursors.

    One psycopg cursor per connection is kept, as building one copies its adapters. Django's
    cursor wrapper is skipped unless it logs queries: it only translates errors, done here.
    """
    if db.connection is None:
        db.ensure_connection()
    raw = _cursors.get(db.connection)
    if raw is None or raw.closed:
        raw = _cursors[db.connection] = _PreparingCursor(db.connection)
        if db.connection.prepare_threshold is None:
            db.connection.prepare_threshold = 2**31  # never on its own, always when asked
    if db.queries_logged:
        db.make_debug_cursor(raw).execute(statement, parameters)  # not closed: raw is shared
        return raw
    with db.wrap_database_errors:
        raw.execute(statement, parameters)
    return raw
