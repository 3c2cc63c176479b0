"""Aggregates as pickles for the snapshot caches, loaded back only as the domain's own classes.

A cached project holds thousands of small objects; pickle restores them in C, many times
faster than decoding tagged JSON in Python. Pickle can run any callable it names, so `loads`
refuses every class but the registered aggregates, their registered state types, `_aggregate`
and a few value types (the "restricting globals" recipe of the pickle documentation): a cache
row tampered with can give a wrong answer, like any read-model row, but cannot run code.

Loading, not dumping, is what a read pays, so `dumps` writes for it. An aggregate is written
as its attributes and, for each list of records (named tuples such as a risk's assessments),
the records' plain tuples: loading builds those lists in one comprehension each instead of
one pickle instruction per record. Equal texts and dates are written once: pickle refers back
to an object it has written, so they load as one object. A whole portfolio loads in about half
the time it took with records as dataclasses written one by one.
"""

import datetime
import decimal
import io
import pickle
import uuid
import zlib
from typing import Any

from .aggregate import Aggregate, _aggregate_classes

PROTOCOL = 5
# What `dumps` writes: bump it when that changes, so rows written before are not misread (the
# snapshot caches store it beside each row and read only rows of the current format).
FORMAT = 2

_VALUE_TYPES = {
    ("datetime", "date"): datetime.date,
    ("datetime", "datetime"): datetime.datetime,
    ("datetime", "timedelta"): datetime.timedelta,
    ("datetime", "timezone"): datetime.timezone,
    ("decimal", "Decimal"): decimal.Decimal,
    ("uuid", "UUID"): uuid.UUID,
}


def _aggregate(cls: type, attributes: dict, lists: list) -> Aggregate:
    """Return an aggregate of `cls` as `_Pickler` wrote it: `attributes`, and for each (name,
    record type, rows) in `lists`, that attribute as a list of records."""
    aggregate = cls.__new__(cls)
    state = aggregate.__dict__
    state.update(attributes)
    new = tuple.__new__  # a named tuple from its values, without a call of its __new__
    for name, record, rows in lists:
        state[name] = [new(record, row) for row in rows]
    return aggregate


def _allowed() -> dict[tuple[str, str], Any]:
    from .snapshots import _state_types

    allowed: dict[tuple[str, str], Any] = dict(_VALUE_TYPES)
    allowed[(__name__, _aggregate.__qualname__)] = _aggregate
    for cls in [*_aggregate_classes.values(), *_state_types.values()]:
        allowed[(cls.__module__, cls.__qualname__)] = cls
    return allowed


_known: dict[tuple[str, str], Any] = {}  # _allowed(), kept: a portfolio read asks 5,000 times


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _known.get((module, name))
        if found is None:  # unknown, or registered since the last look
            _known.update(_allowed())
            found = _known.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} may not be loaded from a snapshot")
        return found


class _Pickler(pickle.Pickler):
    """Write aggregates for `_aggregate`, and equal texts and dates once."""

    def __init__(self, file):
        super().__init__(file, protocol=PROTOCOL)
        self._written: dict[tuple[type, Any], Any] = {}

    def reducer_override(self, obj: Any) -> Any:
        if not isinstance(obj, Aggregate):
            return NotImplemented
        attributes, lists = {}, []
        for name, value in vars(obj).items():
            record = _record_type(value)
            if record is None:
                attributes[name] = self._same(value)
            else:  # keep the attribute's place in the order: _aggregate fills it in
                attributes[name] = None
                lists.append((name, record, [tuple(map(self._same, item)) for item in value]))
        return _aggregate, (type(obj), attributes, lists)

    def _same(self, value: Any) -> Any:
        """Return the first equal text or date written, or `value` if it is none of those."""
        kind = type(value)
        if kind is str or kind is datetime.date:  # not datetime: equal ones may differ in zone
            return self._written.setdefault((kind, value), value)
        return value


def _record_type(value: Any) -> type | None:
    """Return the type of the records in `value` if it is a non-empty list of named tuples of
    one registered type, else None."""
    from .snapshots import _state_types

    if type(value) is not list or not value:
        return None
    record = type(value[0])
    if not issubclass(record, tuple) or _state_types.get(record.__qualname__) is not record:
        return None
    return record if all(type(item) is record for item in value) else None


def dumps(value: Any) -> bytes:
    """Return `value` pickled and compressed: a project's repeated texts shrink about five
    times, and the database sends bytea as hex text, so size is time."""
    file = io.BytesIO()
    _Pickler(file).dump(value)
    return zlib.compress(file.getvalue(), 1)


def loads(data: bytes) -> Any:
    """Return the value in `data`, refusing any class the domain did not register."""
    return _Unpickler(io.BytesIO(zlib.decompress(data))).load()
