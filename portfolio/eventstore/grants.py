"""The application's own PostgreSQL role: it may append to and read the log, never rewrite it.

Migrations, import_events and rebuild_projections run as the tables' owner. The application
runs as a role that owns nothing, so it cannot disable the triggers that refuse UPDATE, DELETE
and TRUNCATE of events, and is granted no UPDATE, DELETE or TRUNCATE on the append-only tables
in the first place: to rewrite the log takes the owner's credentials, not a bug in the app.
"""

from django.db import connection, transaction
from psycopg import sql

from .errors import EventStoreError
from .models import ProcessedCommand, StoredEvent, StoredHead

# The log, the commands it answered (a deleted command id would let a retry append twice) and
# its signed heads (the hourly checkpoint runs as the application).
APPEND_ONLY = (
    StoredEvent._meta.db_table,
    ProcessedCommand._meta.db_table,
    StoredHead._meta.db_table,
)
READ_ONLY = ("django_migrations",)  # read by the checks that run at start-up


def privileges(table: str) -> str:
    """Return the privileges the application's role gets on `table`."""
    if table in APPEND_ONLY:
        return "SELECT, INSERT"
    if table in READ_ONLY:
        return "SELECT"
    return "SELECT, INSERT, UPDATE, DELETE"


def grant_app_role(role: str) -> bool:
    """Create `role` unless it exists, and give it exactly what the application needs on the
    current schema's tables and sequences; return whether it was created.

    Run it again after migrations that add tables.
    """
    if connection.vendor != "postgresql":
        raise EventStoreError("database roles are PostgreSQL's; this database is not")
    with transaction.atomic(), connection.cursor() as cursor:
        exists = _check(cursor, role)
        name = sql.Identifier(role).as_string(cursor.connection)
        if not exists:
            cursor.execute(f"CREATE ROLE {name} LOGIN")
        cursor.execute("SELECT current_schema()")
        schema = sql.Identifier(cursor.fetchone()[0]).as_string(cursor.connection)
        cursor.execute(f"GRANT USAGE ON SCHEMA {schema} TO {name}")
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)
            # Revoked first, so a run after a broader grant narrows it.
            cursor.execute(f"REVOKE ALL ON TABLE {quoted} FROM {name}")
            cursor.execute(f"GRANT {privileges(table)} ON TABLE {quoted} TO {name}")
        cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM {name}")
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {name}")
    return not exists


def _check(cursor, role: str) -> bool:
    """Return whether `role` exists; refuse one that could take the tables' owner's rights."""
    cursor.execute(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = %s",
        [StoredEvent._meta.db_table],
    )
    found = cursor.fetchone()
    if found is None:
        raise EventStoreError("the event tables are missing: run migrate first, as their owner")
    (owner,) = found
    cursor.execute(
        "SELECT rolsuper OR rolcreaterole, pg_has_role(oid, %s, 'MEMBER')"
        " FROM pg_roles WHERE rolname = %s",
        [owner, role],
    )
    found = cursor.fetchone()
    if found is None:
        return False
    mighty, owns = found
    if mighty:
        raise EventStoreError(
            f"role {role} is a superuser or may create roles: it could give itself any right"
        )
    if owns:
        raise EventStoreError(
            f"role {role} is, or is a member of, {owner}, the owner of the event tables:"
            " it could disable their triggers"
        )
    return True
