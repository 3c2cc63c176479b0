"""Dates as the page's language writes them (the `day` filter's logic, usable from Python)."""

from datetime import date
from functools import lru_cache

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
    language = _language()
    return _formatted(value, DAY_FORMATS.get(language, "Y-m-d"), language)


def short_day(value: date) -> str:
    """A compact date for chart axes."""
    language = _language()
    return _formatted(value, SHORT_FORMATS.get(language, "Y-m-d"), language)


# A project page writes a few hundred dates, mostly the same days again, and Django's date
# formatting is slow per call; a day's text in a language never changes, so each is made once.
@lru_cache(maxsize=8192)
def _formatted(value: date, pattern: str, language: str) -> str:
    with translation.override(language):
        return formats.date_format(value, pattern)
