"""Changes in words: the history timeline and the conflict box, and the one wording of a change
the web pages, the API and the reports share, each with its own words."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portfolio import changes, richtext
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
        "withdrawn": pgettext_lazy("change", "withdrawn"),
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


def summary(change: Change, words: Words = WEB) -> str:
    """Return a change in one line, "subject: kind: detail", in the active language."""
    kind, subject, detail = describe(change, words)
    return ": ".join(part for part in (subject, kind, detail) if part)


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
        return reason if kind in ("closed", "reopened", "withdrawn") else words.term(change.field)
    return f"{text}: {reason}" if reason else text


def _score(assessment: dict) -> str:
    return f"{assessment['probability'] or '-'}×{assessment['impact'] or '-'}"


# The fields whose change the detail does not word: the history shows their old and new value.
VALUED_FIELDS = (*DETAIL_FIELDS, "remark")


def values(change: Change) -> tuple[str, str] | None:
    """Return the value before and after a change the detail words by its new value alone (a
    rating reported anew) or not at all (a field), as plain text ("" for none); None for any
    other change."""
    if change.field == "rating" and change.before and change.before != change.after:
        return WEB.term(change.before), WEB.term(change.after)
    if change.kind != "changed" or change.field not in VALUED_FIELDS:
        return None
    return _text(change.field, change.before), _text(change.field, change.after)


def _text(field: str, value) -> str:
    if not value:
        return ""
    if field in ("purpose", "milestone_note", "remark"):  # rich text: its words, not its marks
        return richtext.to_plain(value)
    if field == "read_more":  # (label, url, note)
        label, url = value[0], value[1]
        return f"{label} ({url})" if label and url else label or url
    if isinstance(value, (tuple, list)):  # names, or participants' and suppliers' entries
        items = (v.get("text") or v.get("name", "") if isinstance(v, dict) else v for v in value)
        return ", ".join(str(item) for item in items)
    return str(value)


@dataclass(frozen=True)
class Entry:
    change: Change
    kind: str
    subject: str
    detail: str
    values: tuple[str, str] | None = None  # (before, after) where the detail does not say them


def entry(change: Change) -> Entry:
    """Return a change as the history lists it, in the active language."""
    return Entry(change, *describe(change), values(change))


def entries(slug: str, since: AsOf | None = None, until: AsOf = NOW) -> list[Entry]:
    """Return the changes between two points, newest first, in the page's language."""
    return [entry(c) for c in reversed(changes.changes(slug, since, until))]


def newest(
    slug: str, count: int, keep: Callable[[Change], bool] | None = None, until: AsOf = NOW
) -> tuple[list[Change], bool]:
    """Return the `count` newest changes visible at `until` that `keep` accepts (all when it is
    None), newest first, and whether there are older ones; folding the events only from a
    little before the oldest of them, not from the start, unless that is where they are."""
    window = count * 2
    while True:
        since = changes.before_newest(slug, window, until)
        found = changes.changes(slug, since, until)
        kept = [c for c in reversed(found) if keep is None or keep(c)]
        if len(kept) > count or since is None:
            return kept[:count], len(kept) > count
        window *= 4  # too few kept, events that list no change, or many at one instant


def recent(slug: str, count: int, until: AsOf = NOW) -> list[Entry]:
    """Return the `count` newest changes visible at `until`, newest first, in the page's
    language."""
    return [entry(c) for c in newest(slug, count, until=until)[0]]
