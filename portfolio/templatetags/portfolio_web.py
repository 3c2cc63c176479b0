"""Template helpers for the web pages: dates, rating badges and accessible form fields."""

from datetime import date, datetime

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from portfolio import roles
from portfolio.richtext import is_safe_url, to_html
from portfolio.web.dates import long_day
from portfolio.web.ratings import NO_RATING, RATING_WORDS

register = template.Library()

# Words go with the colours so the rating never depends on seeing colour alone.


@register.filter
def administers(user) -> bool:
    """Whether `user` administers the site (sees the set-up pages)."""
    return roles.is_admin(user)


@register.filter
def day(value: date | datetime | None) -> str:
    """Format a date as the page's language writes it; "-" for no date, as on the seed page."""
    if value in (None, ""):
        return "-"
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return long_day(value)


@register.filter
def when(value: datetime | None) -> str:
    """Format a moment as date and time in the page's language and the site's time zone."""
    if value is None:
        return "-"
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{day(local.date())} {local:%H:%M}"


@register.inclusion_tag("portfolio/includes/rating_badge.html")
def rating_badge(rating: str | None, label: str = "") -> dict:
    """Render a rating as a coloured badge with its word; `label` names the track it rates."""
    known = rating in RATING_WORDS
    return {
        "css": rating if known else "none",
        "word": RATING_WORDS[rating] if known else NO_RATING,
        "label": label,
    }


@register.inclusion_tag("portfolio/includes/field.html")
def field_row(field: BoundField, hint: str = "") -> dict:
    """Render a label, the widget and its errors, tied together for screen readers."""
    described = []
    if hint or field.help_text:
        described.append(f"{field.auto_id}-hint")
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs = {}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "hint": hint or field.help_text,
        "is_check": field.widget_type == "checkbox",
        "required_text": _("required"),
    }


@register.filter
def rich(source: str | None) -> str:
    """Render rich text (the safe Markdown subset) as escaped HTML."""
    return mark_safe(to_html(source or ""))  # noqa: S308 - to_html escapes everything it emits


@register.filter
def safe_href(url: str | None) -> str:
    """Return the link target if it is http(s), mailto or relative; "" otherwise.

    The domain refuses other schemes already; this guards the page against anything older.
    """
    return url if url and is_safe_url(url) else ""
