"""The code that decides what folding an aggregate's streams gives, as text to version caches by.

A cache of folded state is right only for the code that folded it. `source_of(cls)` gathers
that code: the source of the class and its bases (its nested events included), of each event's
apply() (written elsewhere when a decorator gives it) and the functions it calls by name, of
the records (named tuples) its declared state holds, and each event's type name, schema
version, fields and upcasters.
eventstore/state_json.py hashes it, with its own source, into the version each cached entry
carries. Other changes in those sources (a command's check, a comment) change it too: that
costs a refresh of the cache, never a wrong answer.
"""

import dataclasses
import inspect
import types
import typing

from . import upcasting
from .aggregate import Aggregate, Event


def source_of(cls: type[Aggregate]) -> str:
    """Return the text of the code that folds aggregates of `cls`."""
    bases = [c for c in cls.__mro__ if c is not object]
    parts = [inspect.getsource(c) for c in bases]
    for event in _events(bases):
        fields = " ".join(f.name for f in dataclasses.fields(event))
        current = upcasting.current_version(event.type_name)
        parts.append(f"{event.type_name} v{event.schema_version}/{current}: {fields}")
        parts += [inspect.getsource(f) for f in upcasting.upcasters_of(event.type_name)]
        parts += [inspect.getsource(f) for f in (event.apply, *_called(event.apply))]
    parts += [inspect.getsource(record) for record in records_held(cls)]
    return "\n".join(parts)


def _events(classes: list[type]) -> list[type[Event]]:
    found = {}
    for cls in classes:
        for value in vars(cls).values():
            if isinstance(value, type) and issubclass(value, Event):
                found.setdefault(value.__qualname__, value)
    return [found[name] for name in sorted(found)]


def _called(function) -> list[types.FunctionType]:
    """Return the functions `function` calls by a global name (its module's helpers)."""
    if not isinstance(function, types.FunctionType):
        return []
    names = function.__code__.co_names
    found = [function.__globals__.get(name) for name in names]
    return [f for f in found if isinstance(f, types.FunctionType)]


def records_held(cls: type) -> list[type]:
    """Return the record types (named tuples) in the declared state of `cls`, by name."""
    found: dict[str, type] = {}

    def visit(hint) -> None:
        if is_record(hint):
            found.setdefault(hint.__qualname__, hint)
            for inner in typing.get_type_hints(hint).values():
                visit(inner)
        for inner in typing.get_args(hint):
            visit(inner)

    for hint in typing.get_type_hints(cls).values():
        visit(hint)
    return [found[name] for name in sorted(found)]


def is_record(hint) -> bool:
    return isinstance(hint, type) and issubclass(hint, tuple) and hasattr(hint, "_fields")
