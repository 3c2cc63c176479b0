"""A report's words and dates, shared by the PDF and the HTML twin.

The words are gettext messages in the context "report" (their Danish is in reports/locale), read
in the language a renderer activates with `in_language`; English is the message itself.
"""

from contextlib import AbstractContextManager
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import dateformat, translation
from django.utils.translation import pgettext, pgettext_lazy

from portfolio.richtext import to_plain
from portfolio.web.history import Words

# Readers are in Denmark: times on a report are shown in Danish local time.
LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
PDF_LANG = {"da": "da-DK", "en": "en-GB"}


def in_language(language: str) -> AbstractContextManager:
    """Activate the report's language: English when asked for, else Danish, the default."""
    return translation.override("en" if language == "en" else "da")


def short_date(value: date | None) -> str:
    """Return dd.mm.yyyy (in either language), or "-" when there is no date, as the seed page."""
    return value.strftime("%d.%m.%Y") if value else "-"


def long_date(value: date | None) -> str:
    """Return "24. april 2026" (Danish) or "24 April 2026" (English)."""
    if value is None:
        return pgettext("report", "No status date.")
    # Translators: a date format of Django's `date` filter; Danish puts a dot after the day.
    return dateformat.format(value, pgettext("report", "j F Y"))


def local_time(value: datetime) -> str:
    """Return a moment in Danish local time, e.g. "24.04.2026 kl. 12:00"."""
    here = value.astimezone(LOCAL_TIME)
    time = f"{here.hour:02d}:{here.minute:02d}"
    return pgettext("report", "{date} {time}").format(date=short_date(here.date()), time=time)


def status_as_of(moment: datetime) -> str:
    return pgettext("report", "Status as of {time}").format(time=local_time(moment))


def status_on(moment: datetime) -> str:
    """Return "Status pr. 24. april 2026": the as-of day, as a document's footer says it."""
    day = long_date(moment.astimezone(LOCAL_TIME).date())
    return pgettext("report", "Status as of {time}").format(time=day)


def check_code(digest: str) -> str:
    """Return "kontrolkode 21ed2e943559": the short fingerprint, for checking a printout."""
    return pgettext("report", "check code {code}").format(code=digest)


def log_position(position: int) -> str:
    return pgettext("report", "log position {position}").format(position=position)


def area_name(area: str | None) -> str:
    return area or pgettext("report", "All areas")


def track_or_whole(track: str | None) -> str:
    return track or pgettext("report", "Whole project")


def tentative_supplier(supplier) -> str | None:
    """Return "forventeligt X" or "ikke fastlagt endnu" for a supplier not decided on, else None."""
    if supplier.state == "expected":
        return pgettext("report", "expected {name}").format(name=supplier.name)
    if supplier.state == "not_decided":
        return pgettext("report", "not decided yet")
    return None


def repeats_title(title: str, description: str, track: str | None) -> bool:
    """Return whether a risk's description only says its title again, perhaps after "<track>: "."""
    said, title = to_plain(description).strip().casefold(), title.strip().casefold()
    prefix = f"{track}:".casefold() if track else ""
    return said == title or (bool(prefix) and said == f"{prefix} {title}")


def score_line(risk) -> str:
    """Return "Sandsynlighed 4/5, konsekvens 4/5 · P×I 16", or "" when not assessed."""
    if not risk.score:
        return ""
    return f"{probability_impact(risk.probability, risk.impact)} · P×I {risk.score}"


BANDS = {
    "high": pgettext_lazy("report", "high"),
    "raised": pgettext_lazy("report", "elevated"),
    "medium": pgettext_lazy("report", "medium"),
    "low": pgettext_lazy("report", "low"),
    "none": pgettext_lazy("report", "not assessed"),
}


def band_word(band: str) -> str:
    """Return a risk score band's name for readers (risks.rules.score_band)."""
    return str(BANDS[band])


def score_word(risk) -> str:
    """Return "4 × 4 = 16" (probability × impact = score), or "-" when not assessed."""
    if risk.score is None:
        return "-"
    return f"{risk.probability} × {risk.impact} = {risk.score}"


def probability_impact(probability: int, impact: int) -> str:
    line = pgettext("report", "Probability {probability}/5, impact {impact}/5")
    return line.format(probability=probability, impact=impact)


def changes_heading(since: datetime | None) -> str:
    """Return "Ændringer siden 1. april 2026", or "Ændringer" when there is no earlier report."""
    if since is None:
        return pgettext("report", "Changes")
    day = long_date(since.astimezone(LOCAL_TIME).date())
    return pgettext("report", "Changes since {date}").format(date=day)


def no_changes(since: datetime | None) -> str:
    if since is None:
        return pgettext("report", "No earlier report to compare with.")
    return pgettext("report", "No changes in the period.")


def of(value, denominator) -> str:
    """Return "40 af 98" (Danish) or "40 of 98"."""
    return pgettext("report", "{value} of {denominator}").format(
        value=value, denominator=denominator
    )


def replanned(count: int) -> str:
    return pgettext("report", "re-planned {count}×").format(count=count)


RATINGS = {
    "green": pgettext_lazy("report", "Green"),
    "yellow": pgettext_lazy("report", "Yellow"),
    "red": pgettext_lazy("report", "Red"),
    "not_started": pgettext_lazy("report", "Not started"),
    "finished": pgettext_lazy("report", "Finished"),
}


def rating_word(rating: str | None) -> str:
    return str(RATINGS.get(rating) or pgettext("report", "Not rated"))


def track_prefix(track: str | None, text: str) -> str | None:
    """Return the track name to put before a line, unless the line names it already.

    Participants are often written "Lettilgængelige tilbud (LTT): ..."; "LTT: " before that
    would say it twice.
    """
    return track if track and track not in text else None


# How a report's change list words a change (portfolio/web/history.py words it).
CHANGES = Words(
    kinds={
        "added": pgettext_lazy("report", "added"),
        "changed": pgettext_lazy("report", "changed"),
        "replanned": pgettext_lazy("report", "re-planned"),
        "achieved": pgettext_lazy("report", "achieved"),
        "corrected": pgettext_lazy("report", "corrected"),
        "withdrawn": pgettext_lazy("report", "withdrawn"),
        "raised": pgettext_lazy("report", "elevated"),
        "assessed": pgettext_lazy("report", "assessed"),
        "closed": pgettext_lazy("report", "closed"),
        "reopened": pgettext_lazy("report", "reopened"),
        "decided": pgettext_lazy("report", "decided"),
        "measured": pgettext_lazy("report", "measured"),
        "reported": pgettext_lazy("report", "reported"),
    },
    terms={  # a changed project field is named by its word here, as the subject
        "title": pgettext_lazy("report", "title"),
        "project_leader": pgettext_lazy("report", "project leader"),
        "purpose": pgettext_lazy("report", "purpose"),
        "read_more": pgettext_lazy("report", "read-more link"),
        "participants": pgettext_lazy("report", "participants"),
        "suppliers": pgettext_lazy("report", "suppliers"),
        "steering_group": pgettext_lazy("report", "steering group"),
        "managers": pgettext_lazy("report", "managers"),
        "milestone_note": pgettext_lazy("report", "milestone note"),
        "track": pgettext_lazy("report", "track"),
        "kpi": pgettext_lazy("report", "KPI"),
        "biggest_risk": pgettext_lazy("report", "biggest risk"),
        "remark": pgettext_lazy("report", "remark"),
        "green": pgettext_lazy("report", "green"),
        "yellow": pgettext_lazy("report", "yellow"),
        "red": pgettext_lazy("report", "red"),
        "not_started": pgettext_lazy("report", "not started"),
        "finished": pgettext_lazy("report", "finished"),
        None: pgettext_lazy("report", "not rated"),
        "justification": pgettext_lazy("report", "justification of the rating"),
        "open": pgettext_lazy("report", "open"),
        "mitigated": pgettext_lazy("report", "mitigated"),
        "closed": pgettext_lazy("report", "closed"),
        "occurred": pgettext_lazy("report", "occurred"),
    },
    day=short_date,
    whole=pgettext_lazy("report", "Whole project"),
)


def light_reason(reason) -> str:
    """Return one reason of a derived light (reports.lights.Reason) as a sentence."""
    words = {
        "slipped": pgettext("report", "{subject}: the plan has moved {value} days (limit {limit})"),
        "overdue": pgettext("report", "{subject}: overdue by {value} days (limit {limit})"),
        "risk": pgettext(
            "report", "Biggest risk {subject}: probability x impact {value} (>= {limit})"
        ),
        "stale": pgettext("report", "Status is older than the steering meeting on {since}"),
    }
    return words[reason.rule].format(
        subject=reason.subject,
        value=reason.value,
        limit=reason.limit,
        since=short_date(reason.since),
    )


def derived_line(derived: str, reasons, reported: str | None, justification: str) -> str:
    """Return "Derived: Red (reasons). Justification: ..." for a track, in the active language."""
    line = pgettext("report", "Derived: {rating}").format(rating=rating_word(derived))
    if reasons:
        line += " (" + "; ".join(light_reason(r) for r in reasons) + ")"
    if justification:
        line += ". " + pgettext("report", "Why reported {rating}: {text}").format(
            rating=rating_word(reported).lower(), text=justification
        )
    return line
