"""What one event changed, as data: kinds and fields as codes, dates as dates, values as values."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Change:
    """One change a reader is told about; the web pages, the reports and the API word it.

    An event's `change(aggregate)` says what it changes in the aggregate's state before it;
    `portfolio.changes` adds where and when the event was recorded.
    """

    # added, changed, reported, replanned, achieved, corrected, raised, assessed, closed,
    # reopened, decided, measured
    kind: str
    subject: str  # what it is about: a title, or a track's or a KPI's name
    field: str = ""  # the part changed or added: a project field, "track", "rating", ...
    before: Any = None  # JSON-like values, dates as dates and numbers as numbers
    after: Any = None
    reason: str = ""
    subject_type: str = ""  # the stream type: Project, Milestone, Risk, Kpi
    subject_id: str = ""
    known_at: datetime | None = None
    position: int = 0
    actor: str = ""


def sets_field(name: str, attribute: str = "") -> Callable[[type], type]:
    """Declare, on an event class, that the event sets its aggregate's field `name` to its own
    `attribute` (the same name unless given): give it the `apply` doing that (a list is kept
    as a tuple), and the `change` listing it as "changed <name>" of the aggregate's title (the
    new one when that is what changes), the old value beside the new."""

    def apply(event, aggregate) -> None:
        value = getattr(event, attribute or name)
        setattr(aggregate, name, tuple(value) if isinstance(value, list) else value)

    def change(event, aggregate) -> Change:
        new = getattr(event, attribute or name)
        title = new if name == "title" else aggregate.title
        return Change("changed", title, name, getattr(aggregate, name), new)

    def declare(event_class: type) -> type:
        event_class.apply, event_class.change = apply, change
        return event_class

    return declare
