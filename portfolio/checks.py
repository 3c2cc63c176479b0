"""Input rules shared by the domain's aggregates; each failure names its field."""

import re
from datetime import date
from urllib.parse import urlparse

from . import limits
from .errors import InvalidInput

RATINGS = ("green", "yellow", "red", "not_started", "finished")
SUPPLIER_STATES = ("decided", "expected", "not_decided")


def text(field: str, value, *, required: bool = True, max_length: int) -> str:
    """Return the stripped text, or raise naming `field` when empty (if required) or too long."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be text")
    value = value.strip()
    if "\x00" in value:  # PostgreSQL cannot store NUL in text or JSON
        raise InvalidInput(field, "contains a NUL character")
    if required and not value:
        raise InvalidInput(field, "may not be empty")
    if len(value) > max_length:
        raise InvalidInput(field, f"is longer than {max_length} characters")
    return value


def rich_text(field: str, value, *, required: bool = False) -> str:
    """Return rich-text source (the Markdown subset), kept as typed apart from outer blanks."""
    return text(field, value, required=required, max_length=limits.RICH_TEXT)


def few(field: str, items, max_items: int) -> tuple:
    """Return the items as a tuple, or raise naming `field` when there are more than `max_items`."""
    items = tuple(items or ())
    if len(items) > max_items:
        raise InvalidInput(field, f"holds more than {max_items} items")
    return items


def choice(field: str, value, options: tuple[str, ...]) -> str:
    if value not in options:
        raise InvalidInput(field, f"must be one of {', '.join(options)}")
    return value


def score(field: str, value) -> int | None:
    """Return a probability or impact score 1-5 (None when not assessed)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidInput(field, "must be a whole number from 1 to 5")
    return value


def a_date(field: str, value, *, required: bool = True) -> date | None:
    if value is None:
        if required:
            raise InvalidInput(field, "is required")
        return None
    if not isinstance(value, date):
        raise InvalidInput(field, "must be a date")
    return in_range(field, value)


def in_range(field: str, value: date) -> date:
    """Return a business date, or raise naming `field` when it lies outside the sane range."""
    if not limits.EARLIEST_DATE <= value <= limits.LATEST_DATE:
        raise InvalidInput(field, DATE_RANGE_MESSAGE)
    return value


DATE_RANGE_MESSAGE = (
    f"must be from {limits.EARLIEST_DATE.isoformat()} to {limits.LATEST_DATE.isoformat()}"
)


def not_in_future(field: str, value: date, today: date) -> date:
    if value > today:
        raise InvalidInput(field, f"{value.isoformat()} is in the future")
    return value


def url(field: str, value) -> str:
    """Return a link target: http(s), mailto, a relative path or a fragment."""
    value = text(field, value, required=False, max_length=limits.READ_MORE_URL)
    if value and urlparse(value).scheme not in ("", "http", "https", "mailto"):
        raise InvalidInput(field, "must be an http, https or mailto link")
    return value


SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
SLUG_RULE = "may hold only a-z, 0-9 and '-'"


def slug(field: str, value) -> str:
    value = text(field, value, max_length=limits.SLUG)
    if not re.fullmatch(SLUG_PATTERN, value):
        raise InvalidInput(field, SLUG_RULE)
    return value
