"""Propose a free slug from a title: Danish letters spelt out (æ->ae, ø->oe, å->aa)."""

from django.utils.text import slugify

from . import limits

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def slug_from(text: str) -> str:
    """Return `text` as a slug, Danish letters transliterated; "x" if nothing is left.

    An underscore, which slugify keeps and a slug may not hold (checks.slug), becomes a dash.
    """
    spelt = text.translate(_DANISH).replace("_", " ")
    return slugify(spelt)[: limits.SLUG - 4].strip("-") or "x"


def propose_slug(rows, text: str) -> str:
    """Return the slug of `text`, or with -2, -3, ... the first that `rows` does not hold."""
    base = slug_from(text)
    taken = set(rows.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
