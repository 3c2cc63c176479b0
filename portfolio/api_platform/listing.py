"""`ListApi`: what every API list shares. Pages with `count`, `next`, `previous` and a `Link`
header, `q` search, `ordering`, `?format=csv` as an attachment, and a 400 naming any query
parameter the list does not take.

`count` is given where it is free: a list folded in memory knows its length, and a page that
holds the whole list is counted by its rows. A list cut in SQL counts the rest only when asked
(`?count=true`): the COUNT query cost about as much as the page's own query.

A list declares its row serializer, its own filters, its orderings and the fields that make a
row unique; it returns its rows as JSON dicts (`rows`), or cuts its page itself (`page`) where
SQL should do it. The schema (`schema.ProblemAutoSchema`) documents all of it from the class.
"""

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.eventstore import replicas, store
from portfolio.selectors import NOW, AsOf

from . import pagination, reading

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass
class ListParams:
    """A list request's parameters, validated."""

    filters: dict  # the list's own (project, area, status, ...)
    q: str | None
    ordering: str  # as asked, with its "-"
    fields: tuple  # the ordering's fields, then the unique ones
    limit: int | None  # None: every row (CSV)
    cursor: pagination.Cursor | None
    point: AsOf
    csv: bool
    count: bool = False  # `?count=true`: count a list cut in SQL even when that takes a query

    @property
    def descending(self) -> bool:
        return self.ordering.startswith("-")


def format_problem(request) -> dict:
    """Return {"format": [why]} for a blank or repeated `?format=`, else {}: DRF reads either
    as none given, and the schema does not."""
    if request.query_params.getlist("format") not in ([], [request.accepted_renderer.format]):
        return {"format": ["Give one of the formats the schema names, once."]}
    return {}


def pinned_to(point: AsOf) -> AbstractContextManager:
    """Pin an as-of read to its position, or to the head now if it names a time: a replica
    holding that much answers it as the primary would. A read of now stays on the primary."""
    if point.is_now or not replicas.configured():
        return nullcontext()
    return replicas.pinned(point.position if point.position is not None else store.head_position())


def _list_query(cls) -> type[serializers.Serializer]:
    """Return the serializer of the parameters `cls` shares with every list: q, ordering, limit."""
    declared = {
        "limit": serializers.IntegerField(
            min_value=1,
            max_value=cls.max_page_size,
            default=cls.page_size,
            help_text="Rows per page.",
        )
    }
    if cls.search:
        declared["q"] = serializers.RegexField(
            reading.TEXT_PARAM,
            required=False,
            max_length=200,
            # Searched as given: trimmed, a space-only text (U+0085 too) that the schema
            # allows would turn into a refused blank one.
            trim_whitespace=False,
            help_text=f"Only rows whose {' or '.join(cls.search)} holds this (any case).",
        )
    if cls.orderings:  # a keyset list (a log pages by `after` and never counts)
        declared["count"] = serializers.ChoiceField(
            ["true", "false"],
            default="false",
            help_text=(
                "true: always give `count`. Otherwise a list cut in the database gives it only "
                "when this page holds the whole list, as counting the rest takes another query."
            ),
        )
        names = [n for name in cls.orderings for n in (name, "-" + name)]
        declared["ordering"] = serializers.ChoiceField(
            names,
            default=cls.ordering,
            help_text="Order by this field; a leading '-' orders descending.",
            error_messages={
                "invalid_choice": f'Unknown ordering "{{input}}"; use one of {", ".join(names)}.'
            },
        )
    return type(f"{cls.__name__}Query", (serializers.Serializer,), declared)


class ListApi(APIView):
    """Base of every list endpoint (see the module's docstring)."""

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, reading.CsvRenderer]

    item_serializer: type[serializers.Serializer] | None = None  # a row, for the schema
    page_name = ""  # the envelope's schema component, e.g. "ProjectPage"
    page_base = pagination.PageOut
    filters: type[serializers.Serializer] | None = None  # the list's own parameters
    orderings: dict[str, tuple[str, ...]] = {}  # name: the fields it orders by
    ordering = ""  # the default, with "-" if descending
    unique: tuple[str, ...] = ("id",)  # fields that tell rows apart (ties of an ordering)
    search: tuple[str, ...] = ()  # the fields `q` looks in
    reads_as_of = True
    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    csv_name = "list"
    list_operation_id = ""
    list_tag = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.item_serializer is not None:
            cls.list_query = _list_query(cls)
            cls.page_serializer = pagination.page_serializer(
                cls.page_name, cls.item_serializer, cls.page_base
            )

    # --- what a list supplies -----------------------------------------------------------

    def rows(self, params: ListParams) -> list[dict]:
        """Return every row the list's filters keep (as JSON), in any order."""
        raise NotImplementedError

    def page(self, params: ListParams) -> pagination.Page:
        """Return the page asked for; by default searched, ordered and cut in memory."""
        rows = self.rows(params)
        if params.q is not None:
            rows = [r for r in rows if self.matches(r, params.q)]
        return pagination.page_of_rows(
            rows,
            ordering=params.ordering,
            fields=params.fields,
            cursor=params.cursor,
            limit=params.limit,
        )

    def csv_filename(self) -> str:
        return self.csv_name

    # --- shared -------------------------------------------------------------------------

    def matches(self, row: dict, q: str) -> bool:
        needle = q.casefold()
        return any(needle in str(pagination.value_at(row, f) or "").casefold() for f in self.search)

    def get(self, request, *args, **kwargs):
        # (No docstring: the schema describes each list by its class's.)
        params = self.params(request)
        with pinned_to(params.point):
            page = self.page(params)
        return self.page_response(request, page)

    def allowed_params(self) -> set[str]:
        allowed = set(self.list_query._declared_fields) | {"format"}
        if self.orderings:  # a keyset list; the logs page by `after`
            allowed.add("cursor")
        if self.filters is not None:
            allowed |= set(self.filters._declared_fields)
        if self.reads_as_of:
            allowed.add("as_of")
        return allowed

    def params(self, request) -> ListParams:
        """Return the request's validated parameters; an unknown one is a 400 naming it."""
        allowed = self.allowed_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            takes = ", ".join(sorted(allowed))
            message = _("Unknown query parameter; this list takes %(takes)s.") % {"takes": takes}
            raise ValidationError({name: [message] for name in unknown})
        filters, shared, errors = {}, {}, {}
        errors.update(format_problem(request))
        for serializer, into in ((self.filters, filters), (self.list_query, shared)):
            if serializer is None:
                continue
            try:  # both, so a 400 names every parameter at fault
                into.update(reading.query(serializer, request))
            except ValidationError as error:
                errors.update(error.detail)
        if errors:
            raise ValidationError(errors)
        ordering = shared.get("ordering", self.ordering)
        fields = (*self.orderings.get(ordering.lstrip("-"), ()), *self.unique)
        csv = request.accepted_renderer.format == "csv"
        return ListParams(
            filters=filters,
            q=shared.get("q"),
            ordering=ordering,
            fields=fields,
            limit=None if csv and self.csv_whole else shared["limit"],
            cursor=pagination.decode(request.query_params.get("cursor"), ordering, len(fields)),
            point=reading.as_of(request) if self.reads_as_of else NOW,
            csv=csv,
            count=shared.get("count") == "true",
        )

    # A sheet holds the whole list; a log (the feed, a history) sends it a page at a time.
    csv_whole = True

    def url(self, request, changes: dict | None) -> str | None:
        if changes is None:
            return None
        params = request.query_params.copy()
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = value
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    def page_response(self, request, page: pagination.Page) -> Response:
        following, preceding = self.url(request, page.next), self.url(request, page.previous)
        body = {
            "count": page.count,
            "next": following,
            "previous": preceding,
            **page.extra,
            "results": page.rows,
        }
        response = Response(body)
        link = pagination.link_header({"next": following, "prev": preceding})
        if link:
            response["Link"] = link
        if request.accepted_renderer.format == "csv":
            name = self.csv_filename()
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
