"""Read-model rows touched by a batch of events, written back in bulk.

Handlers change rows through `Rows`, which writes every touched row in one upsert per model
when the batch is flushed. One append is a batch. A rebuild is one batch over the whole log: its
tables start empty, so it keeps every row and writes each once at the end, with COPY.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import TypeVar

import orjson
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model
from django.db.models.base import ModelState
from psycopg.types.json import Jsonb

from . import bound

M = TypeVar("M", bound=Model)


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
    placeholder per column however many rows it writes, and is prepared once per connection."""
    db = connections[DEFAULT_DB_ALIAS]  # once here, not through the proxy for every value
    columns = [_column(field, rows, db) for field in fields]
    casts = ", ".join(f"%b::{f.db_type(db)}[]" for f in fields)  # %b: sent in binary
    statement = f"{insert} SELECT * FROM unnest({casts}) {conflict}"  # noqa: S608 (names)
    bound.execute(db, statement, columns)


def _copy_in(model: type[Model], rows: list[Model]) -> None:
    """PostgreSQL: write rows into a table that holds none of them, with COPY: psycopg turns
    the values into COPY's text in C, where the array upsert dumps each one in Python."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = model._meta.concrete_fields
    columns = [_column(field, rows, db) for field in fields]
    quote = db.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    if db.connection is None:
        db.ensure_connection()
    with db.wrap_database_errors, db.connection.cursor() as cursor:
        with cursor.copy(f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN") as copy:
            for row in zip(*columns, strict=True):
                copy.write_row(row)


# Field types whose values of this Python type go to psycopg as they are: Django's preparation
# converts only values of other types, and it cost microseconds a value, most of a rebuild's
# writing. Others (JSON, bytes, decimals) and values of other types are prepared by Django.
_AS_THEY_ARE = {
    "CharField": str,
    "TextField": str,
    "SlugField": str,
    "IntegerField": int,
    "BigIntegerField": int,
    "SmallIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "BooleanField": bool,
    "DateField": date,
}


def _column(field, rows: list[Model], db) -> list:
    """Return the values of `field` in `rows`, prepared for the database."""
    prepare = field.get_db_prep_save
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return [prepare(field.pre_save(row, True), db) for row in rows]
    values = [getattr(row, field.attname) for row in rows]
    kind = getattr(field, "target_field", field).get_internal_type()  # a key: its target's
    if kind == "DateTimeField" and settings.USE_TZ:  # naive ones: Django makes them aware
        return [
            v if v is None or (type(v) is datetime and v.tzinfo is not None) else prepare(v, db)
            for v in values
        ]
    if kind == "DecimalField":
        return [_decimal(v, prepare, db) for v in values]
    if kind == "JSONField" and field.encoder is None:  # Django's: Jsonb(v, dumps=json.dumps)
        return [
            Jsonb(v, dumps=_json) if type(v) in (dict, list) else prepare(v, db) for v in values
        ]
    plain = _AS_THEY_ARE.get(kind)
    if plain is None:
        return [prepare(v, db) for v in values]
    return [v if v is None or type(v) is plain else prepare(v, db) for v in values]


def _decimal(value, prepare, db):
    """What Django makes of a decimal field's value on PostgreSQL (a finite Decimal), without
    its three layers of calls; anything else it would refuse, it is left to refuse."""
    try:
        number = Decimal(value) if type(value) is str else value
    except ArithmeticError:
        return prepare(value, db)
    return number if type(number) is Decimal and number.is_finite() else prepare(value, db)


def _json(value) -> bytes:
    """JSON text of a read model's value; orjson where it can (whitespace and the order of keys
    mean nothing in jsonb), json where it cannot (integers beyond 64 bits, keys not texts)."""
    try:
        return orjson.dumps(value)
    except TypeError:
        return json.dumps(value).encode()


class _Fields:
    """What `Rows.add` needs of a model: its attribute names and their defaults."""

    def __init__(self, model: type[Model]):
        fields = model._meta.concrete_fields
        self.names = frozenset(f.attname for f in fields)
        self.constant = {f.attname: f.get_default() for f in fields if not _made_fresh(f)}
        self.made = [(f.attname, f.default) for f in fields if _made_fresh(f)]


def _made_fresh(field) -> bool:
    return field.has_default() and callable(field.default)  # default=list: a new one each


_fields: dict[type[Model], _Fields] = {}
_pk_names: dict[type[Model], str] = {}  # model -> its primary key's attribute: put() asks a lot


def _pk_name(model: type[Model]) -> str:
    name = _pk_names[model] = model._meta.pk.attname
    return name


class Rows:
    """Read-model rows touched in one batch, written back in bulk by `flush`."""

    def __init__(self, *, empty_tables: bool = False):
        # In a rebuild the tables start empty, so a row not in the cache does not exist.
        self.empty_tables = empty_tables
        self._rows: dict[type[Model], dict] = {}
        self._dirty: dict[type[Model], set] = {}
        self._deleted: dict[type[Model], set] = {}
        self._written = False  # whether a flush wrote rows: until then, a rebuild's are new

    def get(self, model: type[Model], pk) -> Model | None:
        """Return the row with this primary key, or None."""
        cache = self._rows.setdefault(model, {})
        if pk not in cache:
            cache[pk] = None if self.empty_tables else model.objects.filter(pk=pk).first()
        return cache[pk]

    def cached(self, model: type[Model], pk) -> Model | None:
        """Return the row if this batch holds it already, without reading the table."""
        return self._rows.get(model, {}).get(pk)

    def add(self, model: type[M], **values) -> M:
        """Put a new row of `model` with these values (by attribute: `project_id`), the
        others at their defaults.

        Built without Model.__init__, which took 7 µs a row against 1 here: a rebuild makes
        tens of thousands (a KPI point per measurement). Read-model rows are plain values.
        """
        fields = _fields.get(model) or _fields.setdefault(model, _Fields(model))
        if not fields.names.issuperset(values):
            unknown = ", ".join(sorted(set(values) - fields.names))
            raise TypeError(f"{model.__name__} has no field {unknown}")
        row = model.__new__(model)
        row._state = ModelState()
        state = row.__dict__
        state.update(fields.constant)
        for name, make in fields.made:
            state[name] = make()
        state.update(values)
        return self.put(row)

    def put(self, row: Model) -> Model:
        """Insert or replace `row` when the batch is flushed."""
        model = type(row)
        pk = getattr(row, _pk_names.get(model) or _pk_name(model))  # row.pk looks up _meta
        self._rows.setdefault(model, {})[pk] = row
        if self.empty_tables and not self._written:  # flush writes every row held: no marks
            return row
        self._dirty.setdefault(model, set()).add(pk)
        if self._deleted:
            self._deleted.get(model, set()).discard(pk)
        return row

    def delete(self, model: type[Model], pk) -> None:
        """Delete the row with this primary key when the batch is flushed."""
        self._rows.setdefault(model, {})[pk] = None
        self._dirty.get(model, set()).discard(pk)
        self._deleted.setdefault(model, set()).add(pk)

    def flush(self) -> None:
        """Write every changed row: one delete per model, then upserts."""
        for model, pks in self._deleted.items():
            if pks:
                model.objects.filter(pk__in=pks).delete()
        if self.empty_tables and not self._written:  # a rebuild's first: every row is new
            self._dirty = {
                model: [pk for pk, row in held.items() if row is not None]
                for model, held in self._rows.items()
            }
        for model, pks in self._dirty.items():
            if not pks:
                continue
            rows = [self._rows[model][pk] for pk in pks]
            if self.empty_tables and not self._written and connection.vendor == "postgresql":
                _copy_in(model, rows)
                continue
            _upsert(model, rows, [f.name for f in model._meta.concrete_fields if not f.primary_key])
        self._dirty.clear()
        self._deleted.clear()
        self._written = True
        if not self.empty_tables:
            self._rows.clear()
