"""Aggregates and their events, as pure Python: no ORM, no I/O.

An aggregate is rebuilt by folding its stream's events; a command asks it to decide, and the
events it triggers are what gets appended. Events are frozen dataclasses nested in their
aggregate (`Milestone.Planned`), named in the past tense; each knows how it changes the state.
"""

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Self
from uuid import UUID

_event_classes: dict[str, type["Event"]] = {}
_aggregate_classes: dict[str, type["Aggregate"]] = {}
_fields: dict[type, list[tuple[str, Any]]] = {}


class Event:
    """Base of domain events. Subclasses are frozen dataclasses with JSON-friendly fields."""

    type_name: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1
    # Fields that name people (a text or a list of texts): the store keeps these names in
    # its person register, so a person can be erased (people.py).
    names: ClassVar[tuple[str, ...]] = ()
    usernames: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.type_name = cls.__qualname__
        _event_classes[cls.type_name] = cls

    def apply(self, aggregate: "Aggregate") -> None:
        """Change the aggregate's state; subclasses override."""

    def to_data(self) -> dict:
        """Return the payload as JSON values (dates and UUIDs as strings)."""
        return {f.name: _to_json(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_data(cls, data: dict) -> Self:
        fields = _fields.get(cls)
        if fields is None:  # resolving hints is slow, and folds call this for every event
            fields = _fields[cls] = _field_readers(cls)
        values = {}
        for name, read in fields:
            if name in data:
                value = data[name]
                values[name] = value if read is None or value is None else read(value)
        return cls(**values)


def _field_readers(cls: type) -> list[tuple[str, Any]]:
    """Return each field's name and the function turning its JSON value into its type (None:
    the JSON value is the value), worked out once per class rather than once per event."""
    hints = typing.get_type_hints(cls)
    readers = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if _is_plain(hint):
            read = None
        else:
            read = _DIRECT.get(_optional_of(hint)) or (lambda v, hint=hint: _from_json(hint, v))
        readers.append((f.name, read))
    return readers


# What _from_json does with a (non-None) value of these types, without its inspection of the
# hint: most non-plain fields are dates.
_DIRECT = {date: date.fromisoformat, datetime: datetime.fromisoformat, UUID: UUID, Decimal: Decimal}


def _optional_of(hint: Any) -> Any:
    """Return X for `X | None`, else the hint (readers never see None: from_data passes it on)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(options) == 1:
            return options[0]
    return hint


def _is_plain(hint: Any) -> bool:
    """Whether _from_json returns a JSON value of this type unchanged."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return len(options) != 1 or _is_plain(options[0])
    if origin in (tuple, list):
        return False
    return hint not in (datetime, date, UUID, Decimal)


def event_class(type_name: str) -> type[Event]:
    """Return the event class registered under `type_name`."""
    return _event_classes[type_name]


def people_fields(type_name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the fields of an event type that hold people's names, and user names."""
    cls = _event_classes.get(type_name)
    return (cls.names, cls.usernames) if cls is not None else ((), ())


def aggregate_class(stream_type: str) -> type["Aggregate"] | None:
    """Return the aggregate class of a stream type (None for streams no aggregate owns)."""
    return _aggregate_classes.get(stream_type)


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    return value


def _from_json(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return _from_json(options[0], value) if len(options) == 1 else value
    if origin in (tuple, list):
        args = typing.get_args(hint)
        inner = args[0] if args else Any
        items = [_from_json(inner, v) for v in value]
        return tuple(items) if origin is tuple else items
    if hint is datetime:
        return datetime.fromisoformat(value)
    if hint is date:
        return date.fromisoformat(value)
    if hint in (UUID, Decimal):
        return hint(value)
    return value


class Aggregate:
    """Base of aggregates: holds the state folded from its events and the events it triggered.

    Each subclass declares its state as class annotations (`title: str`), which its __init__
    sets: a snapshot holds exactly those attributes (eventstore/state_json.py).
    """

    stream_type: ClassVar[str] = ""
    id: str
    version: int
    pending: list["Event"]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.stream_type:
            _aggregate_classes[cls.stream_type] = cls

    def __init__(self, aggregate_id: str):
        self.id = aggregate_id
        self.version = 0
        self.pending: list[Event] = []

    def trigger(self, event: Event) -> None:
        """Apply a new event now and keep it to be appended."""
        event.apply(self)
        self.pending.append(event)

    def replay(self, events: typing.Iterable[Event]) -> Self:
        """Apply past events (already stored), moving the version along."""
        for event in events:
            event.apply(self)
            self.version += 1
        return self

    @property
    def exists(self) -> bool:
        return self.version > 0 or bool(self.pending)
