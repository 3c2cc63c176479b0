"""The milestone rules every reader shares: state on a day, next milestone, original plan, slippage.

Plain Python without Django: the PDF renderer, which runs without settings, uses them too.
"""

from collections.abc import Iterable
from datetime import date
from typing import Protocol, TypeVar

# A milestone's state on a day; models.MilestoneQuerySet.in_state is the same rule in SQL.
PLANNED, ACHIEVED, OVERDUE, UNSCHEDULED = "planned", "achieved", "overdue", "unscheduled"
STATES = (PLANNED, ACHIEVED, OVERDUE, UNSCHEDULED)


def state_of(planned_on: date | None, achieved_on: date | None, day: date) -> str:
    """Return achieved, overdue, planned or unscheduled, judged on `day`.

    A milestone planned for `day` itself is still planned: it is overdue from the day after.
    """
    if achieved_on is not None:
        return ACHIEVED
    if planned_on is None:
        return UNSCHEDULED
    return OVERDUE if planned_on < day else PLANNED


def original_plan_after(
    original_plan: date | None, replans_before: int, planned_on: date | None
) -> date | None:
    """Return the original plan once a milestone is re-planned to `planned_on`.

    The original is the plan a milestone was first given; one planned without a date takes
    the date of its first re-plan as the original.
    """
    if original_plan is None and replans_before == 0:
        return planned_on
    return original_plan


def slippage_days(original_plan: date | None, planned_on: date | None) -> int | None:
    """Return the current plan minus the original plan, in days (None while either is unknown)."""
    if original_plan is None or planned_on is None:
        return None
    return (planned_on - original_plan).days


class Dated(Protocol):
    planned_on: date | None
    achieved_on: date | None


M = TypeVar("M", bound=Dated)


def next_milestone(milestones: Iterable[M], day: date) -> M | None:
    """Return the milestone still planned on `day` with the earliest plan (the first of a tie).

    Overdue milestones are not next: they are counted apart.
    """
    ahead = [m for m in milestones if state_of(m.planned_on, m.achieved_on, day) == PLANNED]
    return min(ahead, key=lambda m: m.planned_on, default=None)
