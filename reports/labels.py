"""The words and date formats of a report, in Danish and English, shared by the PDF and the HTML."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from portfolio.domain import DETAIL_FIELDS
from portfolio.web.history import Words

# Readers are in Denmark: times on a report are shown in Danish local time.
LOCAL_TIME = ZoneInfo("Europe/Copenhagen")

DA = {
    "status_page": "Statusside",
    "date": "Dato",
    "project_leader": "Projektleder",
    "participants": "Deltagere",
    "suppliers": "Leverandør",
    "purpose": "Formål",
    "read_more": "Læs mere om projektet",
    "status": "Projektstatus",
    "biggest_risk": "Største risiko i projektet",
    "milestones": "Milepæle",
    "monitoring": "Monitorering",
    "remark": "Bemærkning",
    "decisions": "Styregruppens beslutninger",
    "affects": "Berører",
    "changes_since": "Ændringer siden {date}",
    "changes": "Ændringer",
    "col_number": "Nr.",
    "col_milestone": "Milepæl",
    "col_track": "Spor",
    "col_original": "Oprindelig plan",
    "col_plan": "Plan",
    "col_achieved": "Nået",
    "col_when": "Hvornår",
    "col_what": "Hvad",
    "col_subject": "Emne",
    "col_detail": "Detaljer",
    "col_actor": "Af",
    "overdue": "Forsinket",
    "replanned": "omplanlagt {count}×",
    "page": "Side {page} af {pages}",
    "as_of": "Status pr. {time}",
    "log_position": "logposition {position}",
    "of": "{value} af {denominator}",
    "probability_impact": "Sandsynlighed {probability}/5, konsekvens {impact}/5",
    "supplier_expected": "forventeligt {name}",
    "supplier_not_decided": "ikke fastlagt endnu",
    "closed": "Projektet er afsluttet.",
    "none_participants": "Ingen deltagere registreret.",
    "none_suppliers": "Ingen leverandører registreret.",
    "none_purpose": "Intet formål beskrevet.",
    "none_read_more": "Intet link angivet.",
    "none_status": "Ingen status rapporteret.",
    "none_risk": "Ingen største risiko angivet.",
    "none_milestones": "Ingen milepæle planlagt.",
    "none_monitoring": "Ingen målinger registreret.",
    "none_points": "Ingen målepunkter endnu.",
    "none_changes": "Ingen ændringer i perioden.",
    "no_previous": "Ingen tidligere rapport at sammenligne med.",
    "none_date": "Ingen statusdato.",
    "none_leader": "Ingen projektleder angivet.",
    "portfolio": "Porteføljerapport",
    "portfolio_name": "MedComs projektportefølje",
    "area": "Område",
    "all_areas": "Alle områder",
    "overview": "Oversigt over projekterne",
    "col_project": "Projekt",
    "col_ratings": "Status pr. spor",
    "col_next": "Næste milepæl",
    "col_overdue": "Forsinkede",
    "col_status_date": "Seneste statusdato",
    "projects_count": "{count} projekter",
    "none_projects": "Ingen projekter.",
    "whole_project": "Hele projektet",
    "ratings": {
        "green": "Grøn",
        "yellow": "Gul",
        "red": "Rød",
        "not_started": "Ikke startet",
        "finished": "Afsluttet",
        None: "Ikke vurderet",
    },
    "kinds": {
        "added": "tilføjet",
        "changed": "ændret",
        "replanned": "omplanlagt",
        "achieved": "nået",
        "corrected": "rettet",
        "raised": "rejst",
        "assessed": "vurderet",
        "closed": "lukket",
        "decided": "besluttet",
        "measured": "målt",
        "reported": "rapporteret",
    },
    # Field and item names the change list uses as subject or detail.
    "terms": {
        "title": "titel",
        "project_leader": "projektleder",
        "purpose": "formål",
        "read_more": "læs mere-link",
        "participants": "deltagere",
        "suppliers": "leverandører",
        "steering_group": "styregruppe",
        "managers": "projektansvarlige",
        "milestone_note": "note til milepæle",
        "track": "spor",
        "kpi": "måling",
        "biggest_risk": "største risiko",
        "remark": "bemærkning",
        "green": "grøn",
        "yellow": "gul",
        "red": "rød",
        "not_started": "ikke startet",
        "finished": "afsluttet",
    },
    "months": (
        "januar februar marts april maj juni juli august september oktober november december"
    ).split(),
    "long_date": "{day}. {month} {year}",
    "time": "{date} kl. {hour:02d}:{minute:02d}",
}

EN = {
    **DA,
    "status_page": "Status page",
    "date": "Date",
    "project_leader": "Project leader",
    "participants": "Participants",
    "suppliers": "Supplier",
    "purpose": "Purpose",
    "read_more": "Read more about the project",
    "status": "Project status",
    "biggest_risk": "Biggest risk in the project",
    "milestones": "Milestones",
    "monitoring": "Monitoring",
    "remark": "Remark",
    "decisions": "Steering group decisions",
    "affects": "Affects",
    "changes_since": "Changes since {date}",
    "changes": "Changes",
    "col_number": "No.",
    "col_milestone": "Milestone",
    "col_track": "Track",
    "col_original": "Original plan",
    "col_plan": "Plan",
    "col_achieved": "Achieved",
    "col_when": "When",
    "col_what": "What",
    "col_subject": "Subject",
    "col_detail": "Details",
    "col_actor": "By",
    "overdue": "Overdue",
    "replanned": "re-planned {count}×",
    "page": "Page {page} of {pages}",
    "as_of": "Status as of {time}",
    "log_position": "log position {position}",
    "of": "{value} of {denominator}",
    "probability_impact": "Probability {probability}/5, impact {impact}/5",
    "supplier_expected": "expected {name}",
    "supplier_not_decided": "not decided yet",
    "closed": "The project is closed.",
    "none_participants": "No participants recorded.",
    "none_suppliers": "No suppliers recorded.",
    "none_purpose": "No purpose described.",
    "none_read_more": "No link given.",
    "none_status": "No status reported.",
    "none_risk": "No biggest risk given.",
    "none_milestones": "No milestones planned.",
    "none_monitoring": "No measurements recorded.",
    "none_points": "No measurements yet.",
    "none_changes": "No changes in the period.",
    "no_previous": "No earlier report to compare with.",
    "none_date": "No status date.",
    "none_leader": "No project leader given.",
    "portfolio": "Portfolio report",
    "portfolio_name": "MedCom's project portfolio",
    "area": "Area",
    "all_areas": "All areas",
    "overview": "Overview of the projects",
    "col_project": "Project",
    "col_ratings": "Status per track",
    "col_next": "Next milestone",
    "col_overdue": "Overdue",
    "col_status_date": "Latest status date",
    "projects_count": "{count} projects",
    "none_projects": "No projects.",
    "whole_project": "Whole project",
    "ratings": {
        "green": "Green",
        "yellow": "Yellow",
        "red": "Red",
        "not_started": "Not started",
        "finished": "Finished",
        None: "Not rated",
    },
    "kinds": {
        "added": "added",
        "changed": "changed",
        "replanned": "re-planned",
        "achieved": "achieved",
        "corrected": "corrected",
        "raised": "raised",
        "assessed": "assessed",
        "closed": "closed",
        "decided": "decided",
        "measured": "measured",
        "reported": "reported",
    },
    "terms": {
        "project_leader": "project leader",
        "read_more": "read-more link",
        "steering_group": "steering group",
        "milestone_note": "milestone note",
        "biggest_risk": "biggest risk",
        "not_started": "not started",
        "kpi": "KPI",
    },
    "months": (
        "January February March April May June July August September October November December"
    ).split(),
    "long_date": "{day} {month} {year}",
    "time": "{date} {hour:02d}:{minute:02d}",
}

LANGUAGES = {"da": DA, "en": EN}
PDF_LANG = {"da": "da-DK", "en": "en-GB"}


def labels(language: str) -> dict:
    """Return the words for a language; anything but English is Danish, the default."""
    return LANGUAGES.get(language, DA)


def short_date(value: date | None) -> str:
    """Return dd.mm.yyyy, or "-" when there is no date (as on the seed page)."""
    return value.strftime("%d.%m.%Y") if value else "-"


def long_date(value: date | None, words: dict) -> str:
    """Return "24. april 2026" (Danish) or "24 April 2026" (English)."""
    if value is None:
        return words["none_date"]
    month = words["months"][value.month - 1]
    return words["long_date"].format(day=value.day, month=month, year=value.year)


def local_time(value: datetime, words: dict) -> str:
    """Return a moment in Danish local time, e.g. "24.04.2026 kl. 12:00"."""
    here = value.astimezone(LOCAL_TIME)
    return words["time"].format(date=short_date(here.date()), hour=here.hour, minute=here.minute)


def rating_word(rating: str | None, words: dict) -> str:
    return words["ratings"].get(rating, words["ratings"][None])


def track_prefix(track: str | None, text: str) -> str | None:
    """Return the track name to put before a line, unless the line names it already.

    Participants are often written "Lettilgængelige tilbud (LTT): ..."; "LTT: " before that
    would say it twice.
    """
    return track if track and track not in text else None


def change_words(words: dict) -> Words:
    """Return the words a report's change list uses."""
    terms = words["terms"]
    fields = {name: terms.get(name, name) for name in DETAIL_FIELDS}
    return Words(kinds=words["kinds"], fields=fields, terms=terms, day=short_date)
