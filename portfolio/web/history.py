"""The history timeline and the compare view: what changed, said in the page's language."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portfolio import changes
from portfolio.selectors import NOW, AsOf, ProjectState
from reports.snapshot import Change

from .dates import long_day
from .forms import RISK_STATUSES
from .ratings import NO_RATING, RATING_WORDS
from .status import kpi_views, milestone_views, track_views

KINDS = {
    "added": pgettext_lazy("change", "added"),
    "changed": pgettext_lazy("change", "changed"),
    "reported": pgettext_lazy("change", "status reported"),
    "replanned": pgettext_lazy("change", "re-planned"),
    "achieved": pgettext_lazy("change", "achieved"),
    "corrected": pgettext_lazy("change", "corrected"),
    "raised": pgettext_lazy("change", "risk raised"),
    "assessed": pgettext_lazy("change", "risk assessed"),
    "closed": pgettext_lazy("change", "closed"),
    "decided": pgettext_lazy("change", "decision"),
    "measured": pgettext_lazy("change", "measured"),
}
# changes.changes() names a changed project field by its code; people read its label.
FIELDS = {
    "title": _("Title"),
    "project_leader": _("Project leader"),
    "purpose": _("Purpose"),
    "read_more": _("Read more"),
    "participants": _("Participants"),
    "suppliers": _("Suppliers"),
    "steering_group": _("Steering group"),
    "managers": _("Project managers"),
    "milestone_note": _("Milestone note"),
}
DETAILS = {
    "track": _("track"),
    "kpi": _("KPI"),
    "remark": _("remark"),
    "title": _("title"),
    "biggest_risk": _("biggest risk"),
}


@dataclass(frozen=True)
class Entry:
    change: Change
    kind: str
    subject: str
    detail: str


def entries(slug: str, since: AsOf | None = None, until: AsOf = NOW) -> list[Entry]:
    """Return the changes between two points, newest first, with their words translated."""
    found = changes.changes(slug, since or AsOf(position=0), until)
    return [_entry(c) for c in reversed(found)]


def _entry(change: Change) -> Entry:
    subject = FIELDS.get(change.subject, change.subject) if change.kind == "changed" else None
    return Entry(
        change,
        KINDS.get(change.kind, change.kind),
        subject or change.subject,
        DETAILS.get(change.detail, change.detail),
    )


def facts(state: ProjectState | None) -> dict[tuple[str, str], tuple[str, str]]:
    """Return what a page shows as comparable facts: key -> (label, value)."""
    if state is None:
        return {}
    project = state.project
    result = {
        ("p", "title"): (_("Title"), project.title),
        ("p", "leader"): (_("Project leader"), project.project_leader),
        ("p", "date"): (_("Status date"), long_day(project.status_date)),
        ("p", "purpose"): (_("Purpose"), project.purpose),
    }
    for track in track_views(state):
        label = track.name or _("Project")
        rating = RATING_WORDS.get(track.rating, NO_RATING) if track.reported else "-"
        result[("s", track.key)] = (
            f"{_('Status')}: {label}",
            f"{rating} · {track.narrative}" if track.reported else "-",
        )
        risk = track.biggest_risk
        result[("r", track.key)] = (f"{_('Biggest risk')}: {label}", risk.title if risk else "-")
    for row in milestone_views(state):
        m = row.milestone
        value = f"{_('Plan')} {long_day(m.planned_on)}, {_('Achieved')} {long_day(m.achieved_on)}"
        result[("m", m.id)] = (f"{_('Milestone')}: {m.title}", value)
    statuses = dict(RISK_STATUSES)
    for risk in state.risks:
        score = f"{risk.probability or '-'}×{risk.impact or '-'}"
        status = statuses.get(risk.status, risk.status)
        result[("k", risk.id)] = (f"{_('Risk')}: {risk.title}", f"{status}, {score}")
    for kpi in kpi_views(state):
        latest = kpi.points[-1] if kpi.points else None
        value = f"{latest.value} ({long_day(latest.measured_on)})" if latest else "-"
        result[("i", kpi.id)] = (f"{_('KPI')}: {kpi.name}", value)
    result[("d", "count")] = (_("Decisions"), str(len(project.decisions)))
    return result


def compare_rows(before: ProjectState | None, after: ProjectState | None) -> list[dict]:
    """Line up the facts of two states; a row is `changed` when its values differ."""
    a, b = facts(before), facts(after)
    rows = []
    for key in list(a) + [k for k in b if k not in a]:
        label = (b.get(key) or a.get(key))[0]
        old = a.get(key, (None, "-"))[1]
        new = b.get(key, (None, "-"))[1]
        rows.append({"label": label, "before": old, "after": new, "changed": old != new})
    return rows
