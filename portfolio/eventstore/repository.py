"""Load aggregates from their streams and append what they decided: the glue for commands."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from . import store
from .aggregate import Aggregate, event_class

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class Context:
    """Who runs a command, its idempotency key, why, and (for imports) when it was known."""

    actor: str
    command_id: str | None = None
    reason: str = ""
    known_at: datetime | None = None


def load(
    cls: type[A],
    aggregate_id: str,
    *,
    until_position: int | None = None,
    known_by: datetime | None = None,
) -> A:
    """Return the aggregate folded from its stream, optionally as of a position and a time."""
    events = store.read_stream(aggregate_id, until_position=until_position, known_by=known_by)
    return fold(cls, aggregate_id, events)


def fold(cls: type[A], aggregate_id: str, events: list[store.RecordedEvent]) -> A:
    """Return the aggregate with these recorded events applied."""
    aggregate = cls(aggregate_id)
    return aggregate.replay(event_class(e.event_type).from_data(e.data) for e in events)


def execute(
    cls: type[A],
    aggregate_id: str,
    decide: Callable[[A], None],
    *,
    context: Context,
    expected_version: int | None,
) -> store.AppendResult:
    """Load the aggregate, let `decide` trigger events on it, and append them.

    A command id seen before answers the first result without deciding again, so a retry of a
    command that has since become invalid (say, "achieve" twice) still gets its first answer.
    """
    if context.command_id is not None:
        done = store.previous_result(context.command_id)
        if done is not None:
            return done
    aggregate = load(cls, aggregate_id)
    if expected_version is not None and aggregate.version != expected_version:
        raise store.ConcurrencyConflict(aggregate_id, expected_version, aggregate.version)
    decide(aggregate)
    if not aggregate.pending:
        return store.AppendResult(aggregate_id, aggregate.version)
    return store.append(
        stream_id=aggregate_id,
        stream_type=cls.stream_type,
        expected_version=aggregate.version,
        events=[
            store.NewEvent(type(e).type_name, e.to_data(), type(e).schema_version)
            for e in aggregate.pending
        ],
        actor=context.actor,
        command_id=context.command_id,
        reason=context.reason,
        known_at=context.known_at,
    )
