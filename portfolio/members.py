"""The streams that belong to a project (milestones, risks, KPI series), by their read models.

Each app that owns such a stream registers its read-model table here (in its AppConfig.ready),
so the kernel can list and fold a project's streams without importing the apps built on it.
A registered table has the columns `id` (the stream id), `project_id` and `sequence` (the log
position of the stream's first event).
"""

from django.db import connection
from django.db.models import Model

_tables: list[type[Model]] = []


def register(model: type[Model]) -> None:
    """Count the streams whose read model is `model` as members of their project."""
    if model not in _tables:
        _tables.append(model)


def tables() -> list[type[Model]]:
    return list(_tables)


def members_of(project_ids: list[str]) -> dict[str, list[str]]:
    """Map each project to its milestone, risk and KPI streams, each kind in the order created.

    Read models list every stream a project ever had: none is deleted.
    """
    members: dict[str, list[str]] = {pid: [] for pid in project_ids}
    if not project_ids:
        return members
    marks = ", ".join(["%s"] * len(project_ids))
    parts = _member_queries(f"project_id IN ({marks})")
    for _, _, project_id, stream_id in _rows(parts, project_ids * len(parts)):
        members[project_id].append(stream_id)
    return members


def _member_queries(where: str) -> list[str]:
    """Return a (kind, sequence, project, stream) query per member table, each filtered by
    `where`: plain SQL, as every read of a project asks it first and composing ORM querysets
    cost more than the query."""
    queries = []
    for kind, model in enumerate(tables()):
        table = connection.ops.quote_name(model._meta.db_table)
        query = f"SELECT {kind}, sequence, project_id, id FROM {table} WHERE {where}"  # noqa: S608
        queries.append(query)
    return queries


def _rows(queries: list[str], params: list) -> list[tuple]:
    """Return the rows of the queries' UNION ALL, sorted."""
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(queries), params)
        return sorted(cursor.fetchall())
