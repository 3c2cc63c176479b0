"""The history timeline: what changed, said in the page's language."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portfolio import changes
from portfolio.selectors import NOW, AsOf
from reports.snapshot import Change

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
