"""Aggregates as JSON and back, through their constructors and their declared state.

Each aggregate class declares its state as class annotations (`title: str`, `replans:
list[Replan]`). `dumps` writes exactly those attributes, and refuses an aggregate holding any
other, so nothing is left out silently. `loads` builds each aggregate with its constructor and
sets the declared attributes, each JSON value turned into its declared type. A document groups
the streams by type:

    {"Milestone": {"records": {"Replan": [["2027-02-01", "2027-01-01", "Grund"], ...]},
                   "streams": {"<stream id>": {"version": 4, "title": "M", ...,
                                               "replans": [0, 1]}}},
     "Risk": {...}}

Records (named tuples: a risk's assessments, a milestone's re-plans, KPI points) are most of a
project, and many repeat: each distinct record is written once in its type's table, and stands
as its number wherever it is held. Equal records load as one object, as they may: they are
immutable.

Beside the document, `dumps` returns the code version of each type in it, for the caller to
store with it: a SHA-256 of this module's source and of the code that folds the aggregate
(eventstore/aggregate_code.py), so nobody bumps it by hand. `loads` reads only the entries whose
type's version is today's; a stream of any other gets a fresh aggregate (version 0) in its
place, for the caller to fold from the log.
"""

import functools
import hashlib
import inspect
import sys
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import orjson

from .aggregate import Aggregate, aggregate_class
from .aggregate_code import is_record, records_held, source_of

# Not stored: the stream id is the entry's key, and a snapshot has nothing left to append.
_NOT_STORED = ("id", "pending")

Reader = Callable[[Any, dict[str, list]], Any]  # (JSON value, record tables) -> value


def dumps(aggregates: dict[str, Aggregate]) -> tuple[str, dict[str, str]]:
    """Return the aggregates (by stream id) as a JSON document, and the code version of each
    stream type in it."""
    groups: dict[type, _Group] = {}
    for stream_id, aggregate in aggregates.items():
        cls = type(aggregate)
        group = groups.get(cls)
        if group is None:
            group = groups[cls] = _Group(shape_of(cls))
        group.add(stream_id, aggregate)
    document = {cls.stream_type: group.document() for cls, group in groups.items()}
    versions = {cls.stream_type: code_version(cls) for cls in groups}
    return orjson.dumps(document).decode(), versions


def loads(
    text: str, versions: dict[str, str], types: frozenset[str] | None = None
) -> tuple[dict[str, Aggregate], list[str]]:
    """Return the aggregates of a document (by stream id, in its order), and the streams whose
    entries were not read, as their type's code version is not today's: those are fresh
    aggregates, to be folded from their first event. Given `types`, only streams of those."""
    aggregates: dict[str, Aggregate] = {}
    unread: list[str] = []
    for stream_type, group in orjson.loads(text).items():
        if types is not None and stream_type not in types:
            continue
        cls = aggregate_class(stream_type)
        if cls is None or versions.get(stream_type) != code_version(cls):
            unread += group["streams"]
            if cls is not None:
                aggregates.update((stream_id, cls(stream_id)) for stream_id in group["streams"])
            continue
        shape = shape_of(cls)
        records = group["records"]  # a type no entry holds has no table
        tables = {
            name: read(records[name]) if name in records else []
            for name, read in shape.tables.items()
        }
        for stream_id, entry in group["streams"].items():
            aggregates[stream_id] = shape.read(stream_id, entry, tables)
    return aggregates, unread


@functools.cache
def code_version(cls: type[Aggregate]) -> str:
    """Return the version of the code that folds aggregates of `cls` and stores them here."""
    code = inspect.getsource(sys.modules[__name__]) + source_of(cls)
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def is_current(versions: dict[str, str]) -> bool:
    """Whether every entry of a document was written by today's code of its aggregate."""
    for stream_type, version in versions.items():
        cls = aggregate_class(stream_type)
        if cls is None or code_version(cls) != version:
            return False
    return True


class Shape:
    """How the declared state of one aggregate class is written and read."""

    def __init__(self, cls: type[Aggregate]):
        hints = {
            name: hint
            for name, hint in typing.get_type_hints(cls).items()
            if typing.get_origin(hint) is not typing.ClassVar and name not in _NOT_STORED
        }
        self.cls = cls
        self.names = frozenset(hints)
        self.attributes = self.names | set(_NOT_STORED)
        # (name, function of the JSON value) for plain values, (name, function of the JSON
        # value and the record tables) for attributes holding records; None: read as it is.
        self.readers = []
        self.record_readers = []
        for name, hint in hints.items():
            if records_held_by(hint):
                self.record_readers.append((name, _record_reader(hint)))
            elif (read := _value_reader(hint)) is not None:
                self.readers.append((name, read))
        self.writers = [(n, w) for n, h in hints.items() if (w := _writer(h)) is not None]
        self.tables = {record.__qualname__: _table_reader(record) for record in records_held(cls)}

    def read(self, stream_id: str, entry: dict, tables: dict[str, list]) -> Aggregate:
        if entry.keys() != self.names:
            raise ValueError(f"{self.cls.__name__} {stream_id}: stored {sorted(entry)}")
        for name, read in self.readers:
            entry[name] = read(entry[name])
        for name, read in self.record_readers:
            entry[name] = read(entry[name], tables)
        aggregate = self.cls(stream_id)
        # The constructor made it; the state it declares (and nothing else: the keys were
        # checked) replaces the initial values in one step.
        vars(aggregate).update(entry)
        return aggregate


_shapes: dict[type, Shape] = {}


def shape_of(cls: type[Aggregate]) -> Shape:
    """Return the shape of `cls`, worked out once: resolving type hints is slow."""
    shape = _shapes.get(cls)
    if shape is None:
        shape = _shapes[cls] = Shape(cls)
    return shape


class _Group:
    """The entries of one aggregate class in a document, and the records they hold."""

    def __init__(self, shape: Shape):
        self.shape = shape
        self.streams: dict[str, dict] = {}
        self.records: dict[str, list[tuple]] = {}
        self._numbers: dict[tuple, int] = {}

    def add(self, stream_id: str, aggregate: Aggregate) -> None:
        shape, state = self.shape, vars(aggregate)
        if state.keys() != shape.attributes:
            undeclared = sorted(state.keys() - shape.attributes)
            raise TypeError(f"{shape.cls.__name__} holds undeclared attributes {undeclared}")
        if aggregate.pending:
            raise ValueError(f"{shape.cls.__name__} {stream_id} has events not yet appended")
        entry = {name: state[name] for name in shape.names}
        for name, write in shape.writers:
            entry[name] = write(entry[name], self)
        self.streams[stream_id] = entry

    def number(self, record: tuple) -> int:
        """Return the record's number in its type's table, adding it if it is not there.

        Records are the same only if their values are of the same types too (1 == 1.0 ==
        True), so that the one written is what each of them would have been."""
        key = (record, tuple(map(type, record)))
        number = self._numbers.get(key)
        if number is None:
            table = self.records.setdefault(type(record).__qualname__, [])
            number = self._numbers[key] = len(table)
            table.append(tuple(record))
        return number

    def document(self) -> dict:
        return {"records": self.records, "streams": self.streams}


def _record_reader(hint) -> Reader:
    """Return the function turning the JSON of an attribute holding records (as numbers) into
    its value."""
    inner = _optional_of(hint)
    if inner is not hint:
        read = _record_reader(inner)
        return lambda v, t: None if v is None else read(v, t)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if is_record(hint):
        name = hint.__qualname__
        return lambda v, t: t[name][v]
    if origin is list and len(args) == 1 and is_record(args[0]):
        name = args[0].__qualname__
        return lambda v, t: list(map(t[name].__getitem__, v))
    if origin is dict and len(args) == 2 and is_record(args[1]):
        name = args[1].__qualname__
        return lambda v, t: {key: t[name][number] for key, number in v.items()}
    raise TypeError(f"a state may hold records only alone, in a list or as a dict's values: {hint}")


def records_held_by(hint) -> bool:
    return is_record(hint) or any(records_held_by(a) for a in typing.get_args(hint))


def _writer(hint) -> Callable[[Any, _Group], Any] | None:
    """Return the function turning an attribute of this type into JSON that orjson cannot
    write by itself (records, as numbers), or None."""
    inner = _optional_of(hint)
    if inner is not hint:
        write = _writer(inner)
        return None if write is None else lambda v, g: None if v is None else write(v, g)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if is_record(hint):
        return lambda v, g: g.number(_checked(hint, v))
    if origin is list and args and is_record(args[0]):
        return lambda v, g: [g.number(_checked(args[0], r)) for r in v]
    if origin is dict and len(args) == 2 and is_record(args[1]):
        return lambda v, g: {key: g.number(_checked(args[1], r)) for key, r in v.items()}
    return None


def _checked(record: type, value: tuple) -> tuple:
    if type(value) is not record:
        raise TypeError(f"a {type(value).__name__} where the state declares {record.__name__}")
    return value


def _table_reader(record: type) -> Callable[[list[list]], list]:
    """Return the function building a table of records from their JSON values."""
    readers = [_value_reader(hint) for hint in typing.get_type_hints(record).values()]
    make = record._make
    if not any(readers):
        return lambda rows: list(map(make, rows))

    def read(rows: list[list]) -> list:
        columns = zip(*rows, strict=True)  # a column a field, each read with one map()
        values = [c if r is None else map(r, c) for r, c in zip(readers, columns, strict=True)]
        return list(map(make, zip(*values, strict=True)))

    return read


_PLAIN = (str, int, bool, float, dict, type(None), Any)


def _value_reader(hint) -> Callable[[Any], Any] | None:
    """Return the function turning the JSON of a plain value of this type into the value
    (None: it is the value). Refuse a type JSON cannot carry back."""
    inner = _optional_of(hint)
    if inner is not hint:
        read = _value_reader(inner)
        return None if read is None else lambda v: None if v is None else read(v)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in (date, datetime):
        return hint.fromisoformat
    if origin is tuple:
        reads = {_value_reader(a) for a in args if a is not Ellipsis}
        if reads != {None}:
            raise TypeError(f"a state may hold {hint} only as plain values")
        return tuple
    if origin in (list, dict) and all(_value_reader(a) is None for a in args):
        return None
    if hint in _PLAIN:
        return None
    raise TypeError(f"a state may not hold {hint}: JSON would not give it back")


def _optional_of(hint) -> Any:
    """Return X for `X | None`, else the hint itself."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1:
            return options[0]
    return hint
