"""The derived traffic light: red, yellow or green from the plan, the risks and the status date.

The rule table (the README's "Derived traffic light" repeats it for readers):

| colour | when |
|---|---|
| red | an open milestone's current plan is more than `red_slip_days` past its original plan |
| red | an open milestone is overdue by more than `red_overdue_days` |
| yellow | an open milestone has slipped more than `yellow_slip_days` |
| yellow | an open milestone is overdue by more than `yellow_overdue_days` (any overdue) |
| yellow | the biggest risk scores probability x impact >= `yellow_risk_score` |
| yellow | the status was reported before the last steering meeting (or never) |
| green | none of these |

Plain Python without Django, like milestones.rules: the caller gathers the facts as of a day
and passes that day as "today", so the light of a past date is judged on that date.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from milestones.rules import OVERDUE, slippage_days, state_of

GREEN, YELLOW, RED = "green", "yellow", "red"
_RANK = {GREEN: 0, YELLOW: 1, RED: 2}
# Reported ratings a derived light can contradict; "not started" and "finished" say something else.
COMPARABLE = (GREEN, YELLOW, RED)

SLIPPED, OVERDUE_BY, RISK, STALE = "slipped", "overdue", "risk", "stale"


@dataclass(frozen=True)
class Thresholds:
    red_slip_days: int = 90
    red_overdue_days: int = 30
    yellow_slip_days: int = 30
    yellow_overdue_days: int = 0
    yellow_risk_score: int = 15


@dataclass(frozen=True)
class Reason:
    """One reason for a colour: which rule, about what, the measured value and its limit."""

    rating: str  # the colour this reason gives
    rule: str  # slipped, overdue, risk or stale
    subject: str  # a milestone's or a risk's title; "" for a stale status
    value: int | None  # days slipped or overdue, a risk's score; None for a stale status
    limit: int | None  # the threshold it exceeds (or, for a stale status, None)
    since: date | None = None  # for a stale status: the steering meeting it predates


@dataclass(frozen=True)
class Light:
    rating: str
    reasons: tuple[Reason, ...]


class PlannedMilestone(Protocol):
    title: str
    original_plan: date | None
    planned_on: date | None
    achieved_on: date | None


def derive_light(
    *,
    milestones: Iterable[PlannedMilestone],
    risk_title: str = "",
    risk_score: int | None = None,
    reported_on: date | None,
    last_meeting: date | None,
    today: date,
    thresholds: Thresholds = Thresholds(),  # noqa: B008 - frozen, shared safely
) -> Light:
    """Return the light of one track (or project) and every reason for it, worst first."""
    t = thresholds
    reasons: list[Reason] = []
    for m in milestones:
        if m.achieved_on is not None:
            continue
        slip = slippage_days(m.original_plan, m.planned_on)
        if slip is not None and slip > t.yellow_slip_days:
            red = slip > t.red_slip_days
            limit = t.red_slip_days if red else t.yellow_slip_days
            reasons.append(Reason(RED if red else YELLOW, SLIPPED, m.title, slip, limit))
        if state_of(m.planned_on, m.achieved_on, today) == OVERDUE:
            late = (today - m.planned_on).days
            if late > t.yellow_overdue_days:
                red = late > t.red_overdue_days
                limit = t.red_overdue_days if red else t.yellow_overdue_days
                reasons.append(Reason(RED if red else YELLOW, OVERDUE_BY, m.title, late, limit))
    if risk_score is not None and risk_score >= t.yellow_risk_score:
        reasons.append(Reason(YELLOW, RISK, risk_title, risk_score, t.yellow_risk_score))
    if reported_before(reported_on, last_meeting):
        reasons.append(Reason(YELLOW, STALE, "", None, None, last_meeting))
    reasons.sort(key=lambda r: -_RANK[r.rating])
    return Light(reasons[0].rating if reasons else GREEN, tuple(reasons))


def reported_before(reported_on: date | None, meeting: date | None) -> bool:
    """Return whether a status reported on this day (None: never) predates the meeting."""
    return meeting is not None and (reported_on is None or reported_on < meeting)


def status_outdated(
    reported_on: date | None, last_meeting: date | None, today: date, max_age_days: int
) -> bool:
    """Return whether a status is "forældet": never reported, reported before the last steering
    meeting, or more than max_age_days old."""
    if reported_on is None or reported_before(reported_on, last_meeting):
        return True
    return (today - reported_on).days > max_age_days


def worst(lights: Iterable[Light]) -> Light:
    """Return the project's light from its tracks': the worst colour, with all their reasons."""
    lights = list(lights)
    reasons = tuple(sorted((r for x in lights for r in x.reasons), key=lambda r: -_RANK[r.rating]))
    return Light(reasons[0].rating if reasons else GREEN, reasons)


def needs_justification(reported: str | None, derived: str) -> bool:
    """Return whether a reported rating contradicts the derived one and so must be justified."""
    return reported in COMPARABLE and reported != derived
