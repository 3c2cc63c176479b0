"""Changes in words: the history timeline and the conflict box, and the one wording of a change
the web pages, the API and the reports share, each with its own words."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portfolio import changes
from portfolio.changes import Change
from portfolio.domain import DETAIL_FIELDS
from portfolio.selectors import NOW, AsOf

from .dates import long_day
from .forms import RISK_STATUSES
from .ratings import NO_RATING, RATING_WORDS


@dataclass(frozen=True)
class Words:
    """A reader's words for changes: kinds, the codes a detail names, how a date is written,
    and the project fields named as a change's subject (the terms unless given)."""

    kinds: dict
    terms: dict
    day: Callable[[date | None], str]
    fields: dict | None = None
    whole: str = ""  # the subject of a change to the project as a whole (status, biggest risk)

    def term(self, code) -> str:
        return str(self.terms.get(code, code or ""))


WEB = Words(
    kinds={
        "added": pgettext_lazy("change", "added"),
        "changed": pgettext_lazy("change", "changed"),
        "reported": pgettext_lazy("change", "status reported"),
        "replanned": pgettext_lazy("change", "re-planned"),
        "achieved": pgettext_lazy("change", "achieved"),
        "corrected": pgettext_lazy("change", "corrected"),
        "raised": pgettext_lazy("change", "risk raised"),
        "assessed": pgettext_lazy("change", "risk assessed"),
        "closed": pgettext_lazy("change", "closed"),
        "reopened": pgettext_lazy("change", "reopened"),
        "decided": pgettext_lazy("change", "decision"),
        "measured": pgettext_lazy("change", "measured"),
    },
    fields={
        "title": _("Title"),
        "project_leader": _("Project leader"),
        "purpose": _("Purpose"),
        "read_more": _("Read more"),
        "participants": _("Participants"),
        "suppliers": _("Suppliers"),
        "steering_group": _("Steering group"),
        "managers": _("Project managers"),
        "milestone_note": _("Milestone note"),
    },
    terms={
        "track": _("track"),
        "kpi": _("KPI"),
        "remark": _("remark"),
        "title": _("title"),
        "biggest_risk": _("biggest risk"),
        "justification": _("justification of the rating"),
        **RATING_WORDS,
        None: NO_RATING,
        **dict(RISK_STATUSES),
    },
    day=long_day,
    whole=_("The whole project"),
)


def describe(change: Change, words: Words = WEB) -> tuple[str, str, str]:
    """Return a change's kind, subject and detail in `words`, in the active language."""
    kind = str(words.kinds.get(change.kind, change.kind))
    if change.subject_type == "Project" and change.field in DETAIL_FIELDS:
        return kind, str((words.fields or words.terms)[change.field]), ""  # what changed
    subject = change.subject
    if not subject and change.subject_type == "Project":  # a status or risk not of one track
        subject = str(words.whole)
    return kind, subject, _detail(change, words)


def _detail(change: Change, words: Words) -> str:
    kind, before, after, reason = change.kind, change.before, change.after, change.reason
    if kind == "assessed":
        return f"{_score(before)} → {_score(after)}"
    if kind == "measured":
        return f"{after['value']:f} ({words.day(after['measured_on'])})"
    if kind in ("achieved", "decided") or (kind == "added" and change.field == "planned_on"):
        return words.day(after)
    if kind in ("replanned", "corrected"):
        text = f"{words.day(before)} → {words.day(after)}"
    elif change.field in ("rating", "status"):
        text = words.term(after)
    elif change.field == "justification":
        text = after or ""
    else:
        return reason if kind in ("closed", "reopened") else words.term(change.field)
    return f"{text}: {reason}" if reason else text


def _score(assessment: dict) -> str:
    return f"{assessment['probability'] or '-'}×{assessment['impact'] or '-'}"


@dataclass(frozen=True)
class Entry:
    change: Change
    kind: str
    subject: str
    detail: str


def entries(slug: str, since: AsOf | None = None, until: AsOf = NOW) -> list[Entry]:
    """Return the changes between two points, newest first, in the page's language."""
    found = changes.changes(slug, since, until)
    return [Entry(c, *describe(c)) for c in reversed(found)]
