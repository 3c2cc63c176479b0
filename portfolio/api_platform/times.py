"""The one way the API writes a moment: RFC 3339 in UTC, with `Z` (2026-04-24T10:00:00Z)."""

from datetime import UTC, datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# What the schema says of every moment the API writes.
PATTERN = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$"


def rfc3339(moment: datetime | str | None) -> str | None:
    """Return a moment (or its ISO 8601 text, as event metadata holds it) in UTC with `Z`."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@extend_schema_field({"type": "string", "format": "date-time", "pattern": PATTERN})
class Moment(serializers.DateTimeField):
    """A moment the API answers with: in UTC with `Z`, whatever the site's time zone."""

    def to_representation(self, value):
        return rfc3339(value)
