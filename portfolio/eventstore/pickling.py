"""Aggregates as pickles for the snapshot caches, loaded back only as the domain's own classes.

A cached project holds thousands of small objects; pickle restores them in C, many times
faster than decoding tagged JSON in Python. Pickle can run any callable it names, so `loads`
refuses every class but the registered aggregates, their registered state types and a few
value types (the "restricting globals" recipe of the pickle documentation): a cache row
tampered with can give a wrong answer, like any read-model row, but cannot run code.
"""

import datetime
import decimal
import io
import pickle
import uuid
import zlib
from typing import Any

from .aggregate import _aggregate_classes

PROTOCOL = 5

_VALUE_TYPES = {
    ("datetime", "date"): datetime.date,
    ("datetime", "datetime"): datetime.datetime,
    ("datetime", "timedelta"): datetime.timedelta,
    ("datetime", "timezone"): datetime.timezone,
    ("decimal", "Decimal"): decimal.Decimal,
    ("uuid", "UUID"): uuid.UUID,
}


def _allowed() -> dict[tuple[str, str], type]:
    from .snapshots import _state_types

    allowed = dict(_VALUE_TYPES)
    for cls in [*_aggregate_classes.values(), *_state_types.values()]:
        allowed[(cls.__module__, cls.__qualname__)] = cls
    return allowed


_known: dict[tuple[str, str], type] = {}  # _allowed(), kept: a portfolio read asks 5,000 times


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        found = _known.get((module, name))
        if found is None:  # unknown, or registered since the last look
            _known.update(_allowed())
            found = _known.get((module, name))
        if found is None:
            raise pickle.UnpicklingError(f"{module}.{name} may not be loaded from a snapshot")
        return found


def dumps(value: Any) -> bytes:
    """Return `value` pickled and compressed: a project's repeated texts shrink about five
    times, and the database sends bytea as hex text, so size is time."""
    return zlib.compress(pickle.dumps(value, protocol=PROTOCOL), 1)


def loads(data: bytes) -> Any:
    """Return the value in `data`, refusing any class the domain did not register."""
    return _Unpickler(io.BytesIO(zlib.decompress(data))).load()
