"""What list and detail reads share: `?as_of=`, query parameters, and CSV for spreadsheets."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from typing import TypeVar

from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import renderers, serializers
from rest_framework.exceptions import ValidationError

from portfolio.eventstore import repository
from portfolio.eventstore.aggregate import Aggregate
from portfolio.eventstore.models import StoredEvent
from portfolio.models import Project as ProjectRow
from portfolio.selectors import NOW, AsOf

from . import problems

A = TypeVar("A", bound=Aggregate)

# What a slug in a query parameter may be: a letter-and-dash word, at most 100 long.
SLUG_PARAM = r"^[-a-zA-Z0-9_]{1,100}$"

AS_OF = OpenApiParameter(
    "as_of",
    {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]},
    description=(
        "Read the state as recorded then: a date (its end, Copenhagen time) or a date-time. "
        "Today (or a moment up to a minute ahead, for clock skew) reads the current state; "
        "a later one is refused with 400. A 404 of type .../problems/not-yet-recorded says "
        "the resource exists but nothing of it was recorded yet then."
    ),
)
# Free text in a query parameter: anything but control characters (NUL cannot be stored).
TEXT_PARAM = r"^[^\x00-\x1f\x7f]{1,200}$"
# The earliest moment an as-of read distinguishes; earlier ones all read the empty log.
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)


def query(serializer_class, request) -> dict:
    """Return the validated query parameters the serializer declares; blank ones are errors.

    DRF takes `?track=` as "not given"; the schema says a value is required, so say so.

    Each value goes through its declared field as the serializer's own validation would, but
    without an instance: a serializer deep-copies all its fields, about half of a list's
    parameter handling. A query serializer declares fields only (no `validate` methods or
    validators, which this would skip; `_plain_fields` checks).
    """
    fields = _plain_fields(serializer_class)
    params = request.query_params
    validated, errors = {}, {}
    for name, field in fields.items():
        values = params.getlist(name)
        if "" in values:
            errors[name] = [_("Give a value or leave the parameter out.")]
            continue
        if isinstance(field, serializers.ListField):
            value = values or serializers.empty
        elif len(values) > 1:
            errors[name] = [_("Give this parameter once.")]
            continue
        else:
            value = values[0] if values else serializers.empty
        try:
            validated[name] = field.run_validation(value)
        except serializers.SkipField:
            pass
        except ValidationError as error:
            errors[name] = error.detail
    if errors:
        raise ValidationError(errors)
    return validated


_checked: dict[type, dict] = {}


def _plain_fields(serializer_class) -> dict:
    """Return the fields a query serializer declares, refusing one that validates more."""
    fields = _checked.get(serializer_class)
    if fields is None:
        own = set(dir(serializer_class)) - set(dir(serializers.Serializer))
        validators = getattr(getattr(serializer_class, "Meta", None), "validators", None)
        if (
            any(n.startswith("validate_") for n in own)
            or validators
            or serializer_class.validate is not serializers.Serializer.validate
        ):
            raise TypeError(f"{serializer_class.__name__}: a query serializer validates fields")
        fields = _checked[serializer_class] = serializer_class._declared_fields
    return fields


def parse_moment(name: str, value: str | None, *, end_of_day: bool = True) -> AsOf | None:
    """Return the point a date or date-time parameter names, or None when it is absent."""
    if value is None:
        return None
    try:
        # Dates first: Python 3.11 reads "2026-04-24" as a date-time at midnight, but a date
        # here means the whole day.
        day = parse_date(value)
        moment = None if day else parse_datetime(value)
    except ValueError:
        moment = day = None
    if moment is None and day is None:
        raise ValidationError({name: [_("Give a date (2026-04-24) or a date-time.")]})
    if day is not None:
        if day >= timezone.localdate():
            return NOW
        if not end_of_day:
            return AsOf(time=_start_of(day))
        # Clamped like a date-time: before 1894 Copenhagen kept local mean time (+00:50:20),
        # an offset RFC 3339 cannot write, and the log is empty then anyway.
        return AsOf(time=max(AsOf.of_date(day).time, EARLIEST))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    try:
        if moment >= timezone.now():
            return NOW
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows.
        return AsOf(time=max(moment, EARLIEST).astimezone(UTC))
    except OverflowError:  # an offset that pushes year 1 below the calendar
        return AsOf(time=EARLIEST)


def _start_of(day: date) -> datetime:
    return max(timezone.make_aware(datetime.combine(day, datetime.min.time())), EARLIEST)


# How far ahead of our clock an `as_of` date-time may be and still mean "now": clock skew.
SKEW = timedelta(minutes=1)


def as_of(request) -> AsOf:
    """Return the `?as_of=` point of a read (now when absent); refuse one in the future."""
    value = request.query_params.get("as_of")
    point = parse_moment("as_of", value)
    if point is NOW and _is_future(value):
        raise ValidationError(
            {"as_of": [_("%(value)s is in the future; the log ends now.") % {"value": value}]}
        )
    return point or NOW


def _is_future(value: str) -> bool:
    day = parse_date(value)
    if day is not None:
        return day > timezone.localdate()
    moment = parse_datetime(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment > timezone.now() + SKEW


# --- CSV --------------------------------------------------------------------------------------


class CsvRenderer(renderers.BaseRenderer):
    """Render a list answer's `results` as CSV, one column per field (nested ones flattened)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        rows = data.get("results", []) if isinstance(data, dict) else data or []
        flat = [_flatten(row) for row in rows]
        columns = list(dict.fromkeys(c for row in flat for c in row))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
        writer.writeheader()
        for row in flat:
            writer.writerow({k: _cell(v) for k, v in row.items()})
        # A byte-order mark makes Excel read the file as UTF-8 (æ, ø, å intact).
        return ("\ufeff" + out.getvalue()).encode()


def _flatten(row: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_cell(v) for v in value)
    text = value.isoformat() if isinstance(value, date) else str(value)
    # Spreadsheets run cells starting with these as formulas; a quote keeps them text.
    return "'" + text if text[:1] in ("=", "+", "-", "@") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def member_at(cls: type[A], member_id: str, point: AsOf, *, recorded: bool) -> A:
    """Return a milestone, risk or KPI series as known at `point`.

    `recorded`: whether its read model has it (now). Unknown: 404. Recorded, but not yet at
    the point: 404 of type not-yet-recorded. Withdrawn by then: 410.
    """
    if not recorded:
        raise Http404
    member = repository.load(cls, member_id, known_by=point.time)
    if not member.exists:
        raise problems.NotYetRecorded
    if getattr(member, "withdrawn", False):
        raise problems.Gone
    return member


def check_recorded(project_slug: str, point: AsOf, field: str = "as_of") -> None:
    """Refuse an as-of read of a project that exists now but had nothing recorded at `point`
    (404 of type not-yet-recorded); an unknown slug is left to the caller."""
    if point.is_now:
        return
    rows = ProjectRow.objects.filter(slug=project_slug)
    project_id = rows.values_list("id", flat=True).first()
    if project_id is None:
        return
    if not point.filter(StoredEvent.objects.filter(stream_id=project_id)).exists():
        raise problems.NotYetRecorded(field)
