"""The comparison of a project on two dates: the facts its page shows, lined up."""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from portfolio.selectors import ProjectState
from portfolio.web.dates import long_day
from portfolio.web.forms import RISK_STATUSES
from portfolio.web.ratings import NO_RATING, RATING_WORDS
from risks.domain import Risk

from .status import kpi_views, milestone_views, track_views


class Value(NamedTuple):
    """A fact's value: plain text, or rich text (the safe Markdown subset) after a plain lead
    such as a status's rating; two values are the same fact when all of it is equal."""

    text: str
    rich: bool = False
    lead: str = ""


def facts(state: ProjectState | None) -> dict[tuple[str, str], tuple[str, Value]]:
    """Return what a page shows as comparable facts: key -> (label, value)."""
    if state is None:
        return {}
    project = state.project
    result = {
        ("p", "title"): (_("Title"), Value(project.title)),
        ("p", "leader"): (_("Project leader"), Value(project.project_leader)),
        ("p", "date"): (_("Status date"), Value(long_day(project.status_date))),
        ("p", "purpose"): (_("Purpose"), Value(project.purpose, rich=True)),
    }
    for track in track_views(state):
        label = track.name or _("Project")
        rating = str(RATING_WORDS.get(track.rating, NO_RATING))
        result[("s", track.key)] = (
            f"{_('Status')}: {label}",
            Value(track.narrative, rich=True, lead=rating) if track.reported else Value("-"),
        )
        risk = track.biggest_risk
        result[("r", track.key)] = (
            f"{_('Biggest risk')}: {label}",
            Value(risk.title if risk else "-"),
        )
    for row in milestone_views(state):
        m = row.milestone
        value = f"{_('Plan')} {long_day(m.planned_on)}, {_('Achieved')} {long_day(m.achieved_on)}"
        result[("m", m.id)] = (f"{_('Milestone')}: {m.title}", Value(value))
    statuses = dict(RISK_STATUSES)
    for risk in state.of_type(Risk):
        score = f"{risk.probability or '-'}×{risk.impact or '-'}"
        status = statuses.get(risk.status, risk.status)
        result[("k", risk.id)] = (f"{_('Risk')}: {risk.title}", Value(f"{status}, {score}"))
    for kpi in kpi_views(state):
        latest = kpi.points[-1] if kpi.points else None
        value = f"{latest.value} ({long_day(latest.measured_on)})" if latest else "-"
        result[("i", kpi.id)] = (f"{_('KPI')}: {kpi.name}", Value(value))
    result[("d", "count")] = (_("Decisions"), Value(str(len(project.decisions))))
    return result


def compare_rows(before: ProjectState | None, after: ProjectState | None) -> list[dict]:
    """Line up the facts of two states; a row is `changed` when its values differ."""
    a, b = facts(before), facts(after)
    rows = []
    for key in list(a) + [k for k in b if k not in a]:
        label = (b.get(key) or a.get(key))[0]
        old = a.get(key, (None, Value("-")))[1]
        new = b.get(key, (None, Value("-")))[1]
        rows.append({"label": label, "before": old, "after": new, "changed": old != new})
    return rows
