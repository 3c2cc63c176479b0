"""Schema evolution: old events are translated to the current shape when read, never rewritten."""

from collections.abc import Callable

Upcaster = Callable[[dict], dict]

_upcasters: dict[tuple[str, int], Upcaster] = {}
_current: dict[str, int] = {}


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that turns `event_type` data of `from_version` into the next version."""

    def register(function: Upcaster) -> Upcaster:
        key = (event_type, from_version)
        if key in _upcasters:
            raise ValueError(f"an upcaster for {event_type} v{from_version} exists already")
        _upcasters[key] = function
        _current[event_type] = max(_current.get(event_type, 1), from_version + 1)
        return function

    return register


def current_version(event_type: str) -> int:
    """Return the schema version new events of this type are written with."""
    return _current.get(event_type, 1)


def is_current(event_type: str, schema_version: int) -> bool:
    """Whether data of this version needs no upcasting."""
    return (event_type, schema_version) not in _upcasters


def upcast(event_type: str, schema_version: int, data: dict) -> tuple[int, dict]:
    """Return (version, data) brought up to the current schema version of `event_type`."""
    while (event_type, schema_version) in _upcasters:
        data = _upcasters[(event_type, schema_version)](dict(data))
        schema_version += 1
    return schema_version, data


def upcasters_of(event_type: str) -> list[Upcaster]:
    """Return the upcasters registered for `event_type`, from its oldest schema version on."""
    return [_upcasters[key] for key in sorted(_upcasters) if key[0] == event_type]
