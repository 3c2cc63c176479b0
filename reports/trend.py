"""The milestone trend analysis (MTA): how each milestone's plan moved, laid out for any drawing.

x is the day a plan became known, y the date it planned; both axes span the same days, so the
diagonal is "today": a line that reaches it is achieved (or overdue), one that climbs slipped.
The web page's SVG and the PDF's Drawing both scale this one layout (fractions 0 to 1, y up).
"""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

# Lines told apart by colour and by the milestone's number at their end (as in the table);
# each dark enough to carry its number as text on white.
COLOURS = ("#1f4e79", "#c62828", "#2e7d32", "#a84300", "#6a1b9a", "#006d77", "#5d4037")


def colour(index: int) -> str:
    return COLOURS[index % len(COLOURS)]


class PlanHistory(NamedTuple):
    """A milestone as the trend reads it (a snapshot's MilestoneRow reads the same)."""

    number: int
    title: str
    plans: tuple  # (day known, date planned), oldest first
    achieved_on: date | None


@dataclass(frozen=True)
class TrendLine:
    number: int
    title: str
    points: tuple[tuple[float, float], ...]  # the path, (x, y) as fractions of the plot
    achieved: bool  # the path ends on the diagonal, at the day it was achieved
    steps: tuple[tuple[date, date], ...]  # (known on, planned for), for the data table


@dataclass(frozen=True)
class Tick:
    at: float
    day: date


@dataclass(frozen=True)
class TrendLayout:
    lines: tuple[TrendLine, ...]
    ticks: tuple[Tick, ...]  # the same days on both axes
    first: date
    last: date
    omitted: int = 0  # the milestones achieved longest ago, beyond MAX_LINES, not drawn


MAX_TICKS = 6
# A trend of every milestone a long project ever had is a tangle, and a page of bytes: it draws
# at most MAX_LINES, the open milestones first, then the most recently achieved.
MAX_LINES = 12


def moved(milestones) -> bool:
    """Whether any milestone's plan moved: only then does the trend say more than the table."""
    return any(len(m.plans) > 1 for m in milestones)


def trend_layout(milestones, day: date) -> TrendLayout | None:
    """Return the trend of milestones (PlanHistory or alike) up to `day`, or None when no
    milestone has a planned date yet."""
    every = list(milestones)
    kept = sorted(
        every, key=lambda m: (m.achieved_on is not None, -(m.achieved_on or day).toordinal())
    )
    kept = {id(m) for m in kept[:MAX_LINES]}
    milestones = [m for m in every if id(m) in kept]
    steps = [[(on, plan) for on, plan in m.plans if plan is not None] for m in milestones]
    known = [d for line in steps for step in line for d in step]
    if not known:
        return None
    achieved = [m.achieved_on for m in milestones if m.achieved_on]
    first, last = min(known), max([*known, *achieved, day])
    span = max((last - first).days, 1)

    def at(value: date) -> float:
        return (value - first).days / span

    lines = []
    for m, line in zip(milestones, steps, strict=True):
        if not line:
            continue
        path, previous = [], None
        for on, plan in line:
            if previous is not None:  # the plan held until the day it moved
                path.append((at(on), at(previous)))
            path.append((at(on), at(plan)))
            previous = plan
        end = max(m.achieved_on or day, line[-1][0])
        path.append((at(end), at(previous)))
        if m.achieved_on:
            path.append((at(end), at(m.achieved_on)))
        lines.append(
            TrendLine(m.number, m.title, _distinct(path), bool(m.achieved_on), tuple(line))
        )
    return TrendLayout(
        tuple(lines), _ticks(first, last, at), first, last, len(every) - len(milestones)
    )


def _distinct(path: list) -> tuple:
    out = []
    for point in path:
        if not out or out[-1] != point:
            out.append(point)
    return tuple(out)


def _ticks(first: date, last: date, at) -> tuple[Tick, ...]:
    """Return month starts between first and last, every 1, 2, 3, 6, 12 ... months: the
    closest spacing that keeps at most MAX_TICKS, on familiar months (quarters, new year)."""
    months = []
    year, month = first.year, first.month
    while (tick := date(year, month, 1)) <= last:
        if tick >= first:
            months.append(tick)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for every in (1, 2, 3, 6, 12, 24, 60, 120):
        kept = [m for m in months if (m.year * 12 + m.month - 1) % every == 0]
        if len(kept) <= MAX_TICKS:
            break
    return tuple(Tick(at(m), m) for m in kept)
