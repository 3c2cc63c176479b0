"""What snapshots of aggregates need from the event store: folding a stored row, and the events
of many streams after given versions (portfolio/project_loading.py)."""

from django.db import connection
from django.db.models import Q

from .aggregate import event_class
from .models import StoredEvent
from .upcasting import upcast


def _fold_row(aggregate, event_type, schema_version, data) -> None:
    _, data = upcast(event_type, schema_version, data)
    aggregate.replay([event_class(event_type).from_data(data)])


def _events_after(stream_ids, latest: dict[str, int], as_of):
    """Yield (stream, type, event type, schema, data, position, known_at) of the events of
    `stream_ids` after the version `latest` holds (all for a stream it lacks) that `as_of`
    includes, in log order."""
    fields = (
        "stream_id",
        "stream_type",
        "event_type",
        "schema_version",
        "data",
        "position",
        "known_at",
    )
    if connection.vendor == "postgresql":
        return _events_after_postgres(stream_ids, latest, as_of)
    condition = Q(stream_id__in=[s for s in stream_ids if s not in latest])
    for stream_id, version in latest.items():
        condition |= Q(stream_id=stream_id, version__gt=version)
    rows = as_of.filter(StoredEvent.objects.filter(condition)).order_by("position")
    return rows.values_list(*fields)


def _events_after_postgres(stream_ids, latest: dict[str, int], as_of):
    from .store import load_json

    # An index range scan per stream, kept so by LATERAL and OFFSET 0 (which stops PostgreSQL
    # from flattening it into a join): over a whole portfolio's 57,000 streams the planner
    # otherwise merge-joined every event known by then, sorted on disk (1.6 s).
    sql = (
        "SELECT e.stream_id, e.stream_type, e.event_type, e.schema_version, e.data::text,"
        " e.position, e.known_at FROM {streams} AS s(id, after)"
        " CROSS JOIN LATERAL (SELECT * FROM eventstore_event e"
        "  WHERE e.stream_id = s.id AND e.version > s.after"
        "  AND e.known_at <= coalesce(%s::timestamptz, 'infinity')"
        "  AND e.position <= coalesce(%s::bigint, 9223372036854775807) OFFSET 0) e"
        " ORDER BY e.position"
    )
    versions = [latest.get(s, 0) for s in stream_ids]
    ids = ",".join(stream_ids)
    if ids.count(",") == len(stream_ids) - 1:
        # Comma-joined texts rather than arrays when no id holds a comma: psycopg quotes an
        # array's items one by one in Python, which cost more than the query itself.
        streams = "unnest(string_to_array(%s, ','), string_to_array(%s, ',')::int[])"
        params = [ids, ",".join(map(str, versions))]
    else:
        streams = "unnest(%s::varchar[], %s::int[])"
        params = [list(stream_ids), versions]
    with connection.cursor() as cursor:
        cursor.execute(sql.format(streams=streams), [*params, as_of.time, as_of.position])
        rows = cursor.fetchall()
        for stream_id, stream_type, event_type, schema, data, position, known_at in rows:
            yield stream_id, stream_type, event_type, schema, load_json(data), position, known_at
