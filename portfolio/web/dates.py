"""Dates as the page's language writes them (the `day` filter's logic, usable from Python)."""

from datetime import date

from django.utils import formats, translation

# Danish pages write dates as on the seed status page (01.12.2026); English ones spell the month
# so that 01.12 is never read as the twelfth of January.
DAY_FORMATS = {"da": "d.m.Y", "en": "j M Y"}
SHORT_FORMATS = {"da": "d.m.y", "en": "j M y"}


def _language() -> str:
    return (translation.get_language() or "da").split("-")[0]


def long_day(value: date | None) -> str:
    if value is None:
        return "-"
    return formats.date_format(value, DAY_FORMATS.get(_language(), "Y-m-d"))


def short_day(value: date) -> str:
    """A compact date for chart axes."""
    return formats.date_format(value, SHORT_FORMATS.get(_language(), "Y-m-d"))
