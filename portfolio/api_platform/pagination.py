"""Pages of every API list: keyset cursors both ways, the envelope, and the `Link` header.

A cursor names the ordering it was made for, its direction and the key of the row it was taken
at: the ordering's values and then the row's unique ones, as the answer shows them (JSON values:
ISO dates and times sort as they read). So a page is the rows after (or before) that key, in
memory or in SQL, and a row inserted or removed meanwhile never shifts a page the way an offset
would. DRF's CursorPagination works on querysets only, and as-of lists are folded in memory; the
classes here serve both, and are DRF-shaped (`Page`, a serializer for the envelope).
"""

import base64
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

# A cursor we give out holds an ordering name and a few values (a title of at most 200
# characters the longest): far shorter. A longer one could only be forged, and could nest
# deeply enough to overflow the JSON parser's stack.
MAX_CURSOR = 1200
INDEX = "#"  # a unique field naming the row's place in the list's own order (see `key_of`)


@dataclass(frozen=True)
class Cursor:
    ordering: str  # as asked, with its "-"
    backwards: bool  # a `previous` link's: the rows before `key`
    key: tuple


def encode(cursor: Cursor) -> str:
    raw = [cursor.ordering, "prev" if cursor.backwards else "next", *cursor.key]
    # default=str: ids may be UUIDs (the report archive's).
    text = json.dumps(raw, default=str, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _forged() -> ValidationError:
    return ValidationError({"cursor": [_("This cursor is not one we gave out for this list.")]})


def decode(text: str | None, ordering: str, size: int) -> Cursor | None:
    """Return the cursor `text` holds for this ordering and key size, or raise a 400 naming it."""
    if text is None:
        return None
    if not text or len(text) > MAX_CURSOR:
        raise _forged()
    try:
        raw = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, TypeError, UnicodeError, RecursionError):
        raise _forged() from None
    scalar = (str, int, float, bool, type(None))
    if (
        not isinstance(raw, list)
        or len(raw) != size + 2
        or raw[0] != ordering
        or raw[1] not in ("next", "prev")
        or not all(isinstance(v, scalar) for v in raw[2:])
    ):
        raise _forged()
    return Cursor(ordering, raw[1] == "prev", tuple(raw[2:]))


def value_at(row: dict, name: str):
    """Return a row's field by a dotted name (`area.slug`)."""
    for part in name.split("."):
        row = row.get(part) if isinstance(row, dict) else None
    return row


def key_of(row: dict, fields: Sequence[str], index: int) -> tuple:
    return tuple(index if f == INDEX else value_at(row, f) for f in fields)


def _sortable(key: tuple) -> tuple:
    # Missing values sort last going up and first going down, as `keyset_queryset` orders SQL.
    return tuple((v is None, "" if v is None else v) for v in key)


@dataclass
class Page:
    """One page of a list: its rows, how many the whole list has, and where the others are.

    `next` and `previous` are the query parameters that reach the neighbouring pages (None when
    there is none); the view makes them URLs.
    """

    rows: list
    count: int | None
    next: dict | None = None
    previous: dict | None = None
    extra: dict = field(default_factory=dict)


def _links(ordering: str, first: tuple | None, last: tuple | None) -> tuple[dict | None, ...]:
    return (
        {"cursor": encode(Cursor(ordering, False, last))} if last is not None else None,
        {"cursor": encode(Cursor(ordering, True, first))} if first is not None else None,
    )


def page_of_rows(
    rows: list[dict],
    *,
    ordering: str,
    fields: Sequence[str],
    cursor: Cursor | None,
    limit: int | None,
) -> Page:
    """Order the rows by `fields` (descending if `ordering` starts with "-") and cut a page.

    `limit` None: every row (a CSV sheet). `fields` end in the list's unique ones.
    """
    descending = ordering.startswith("-")
    keyed = [(key_of(r, fields, i), r) for i, r in enumerate(rows)]
    keyed.sort(key=lambda kr: _sortable(kr[0]), reverse=descending)
    if limit is None:
        return Page([r for _, r in keyed], len(keyed))
    keys = [_sortable(k) for k, _ in keyed]
    start, end = 0, len(keyed)
    if cursor is not None:
        at = _sortable(cursor.key)

        def before(k):
            return k > at if descending else k < at

        def after(k):
            return k < at if descending else k > at

        if cursor.backwards:
            end = sum(1 for k in keys if before(k))
            start = max(0, end - limit)
        else:
            start = next((i for i, k in enumerate(keys) if after(k)), len(keys))
    end = min(end, start + limit)
    chosen = keyed[start:end]
    last = chosen[-1][0] if chosen and end < len(keyed) else None
    first = chosen[0][0] if chosen and start > 0 else None
    following, preceding = _links(ordering, first, last)
    return Page([r for _, r in chosen], len(keyed), following, preceding)


def keyset_queryset(rows: QuerySet, field: str, descending: bool, after: tuple | None) -> QuerySet:
    """Order `rows` by `field` then id, starting after the cursor's row.

    Missing values sort last going up and first going down: that is a plain b-tree index's
    order (read backwards going down), so PostgreSQL walks the index instead of sorting every
    row. `after` is the (value, id) of the row to start after; a value None is a missing one.
    """
    if after is not None:
        value, last_id = after
        if descending:
            if value is None:
                cond = Q(**{f"{field}__isnull": True, "id__lt": last_id})
                cond |= Q(**{f"{field}__isnull": False})
            else:
                cond = Q(**{f"{field}__lt": value}) | Q(**{field: value, "id__lt": last_id})
        elif value is None:
            cond = Q(**{f"{field}__isnull": True, "id__gt": last_id})
        else:
            cond = Q(**{f"{field}__gt": value}) | Q(**{field: value, "id__gt": last_id})
            cond |= Q(**{f"{field}__isnull": True})
        rows = rows.filter(cond)
    if descending:
        return rows.order_by(F(field).desc(nulls_first=True), "-id")
    return rows.order_by(F(field).asc(nulls_last=True), "id")


def page_of_queryset(
    rows: QuerySet,
    *,
    ordering: str,
    column: str,
    fields: Sequence[str],
    cursor: Cursor | None,
    limit: int | None,
    serialize: Callable[[list], list[dict]],
    count: bool,
) -> Page:
    """Cut a page of `rows` in SQL, ordered by `column` then id; `fields` name both in the JSON.

    The count is the page's length on a first and only page; else, if `count`, one COUNT query,
    and None if not.
    """
    descending = ordering.startswith("-")
    if limit is None:
        found = serialize(list(keyset_queryset(rows, column, descending, None)))
        return Page(found, len(found))
    backwards = cursor is not None and cursor.backwards
    after = cursor.key if cursor is not None else None
    found = list(keyset_queryset(rows, column, descending != backwards, after)[: limit + 1])
    more = len(found) > limit
    found = found[:limit]
    if backwards:
        found.reverse()
    found = serialize(found)
    if not found:
        return Page(found, 0 if cursor is None else _counted(rows, count))
    keys = [key_of(found[0], fields, 0), key_of(found[-1], fields, 0)]
    has_previous = more if backwards else cursor is not None
    has_next = True if backwards else more
    following, preceding = _links(
        ordering, keys[0] if has_previous else None, keys[1] if has_next else None
    )
    whole = len(found) if cursor is None and not more else _counted(rows, count)
    return Page(found, whole, following, preceding)


def _counted(rows: QuerySet, asked: bool) -> int | None:
    return rows.count() if asked else None


def link_header(links: dict[str, str | None]) -> str:
    """Return an RFC 8288 `Link` header value for the links given (rel: URL)."""
    return ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url)


class PageOut(serializers.Serializer):
    count = serializers.IntegerField(
        allow_null=True,
        help_text="How many rows the whole list has; null where costly unless `count=true`.",
    )
    next = serializers.URLField(
        allow_null=True, help_text="The next page (an opaque cursor); null on the last page."
    )
    previous = serializers.URLField(
        allow_null=True, help_text="The previous page; null on the first page."
    )


def page_serializer(name: str, item: type[serializers.Serializer], base=PageOut) -> type:
    """Return the envelope serializer `name` of a list of `item` rows (documents the answer)."""
    return type(name, (base,), {"results": item(many=True), "__module__": item.__module__})
