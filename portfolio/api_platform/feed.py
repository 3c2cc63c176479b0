"""The portfolio's event feed: every event after a log position, in position order.

It reads `store.read_all`, whose order is reader-safe (appends are serialized until commit), so a
client that follows `next` sees every event exactly once however many writers are busy. Positions
may have gaps; follow `next`, never compute positions.
"""

from django.utils.http import urlencode
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from portfolio.eventstore import store

from . import reading


class FeedQuery(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, max_value=2**62, default=0, help_text="Log position last seen (0: start)."
    )
    limit = serializers.IntegerField(
        min_value=1, max_value=1000, default=100, help_text="At most this many events."
    )
    stream_type = serializers.ListField(
        # Stream types are identifiers (Project, Milestone ...): say so in the schema too.
        child=serializers.RegexField(r"^[A-Za-z][A-Za-z0-9_.]{0,49}$", max_length=50),
        required=False,
        default=list,
        help_text="Only events of these stream types.",
    )


class EventMetadataSerializer(serializers.Serializer):
    who = serializers.CharField(help_text="The user or process that recorded the event.")
    when = serializers.DateTimeField(help_text="When the fact was known (known_at).")
    why = serializers.CharField(allow_blank=True, help_text="The reason given, if any.")
    imported_at = serializers.DateTimeField(
        required=False, help_text="Present on history imported with an earlier known_at."
    )


class EventSerializer(serializers.Serializer):
    """One event of the feed (documents `event_json`, which builds it without DRF's cost)."""

    position = serializers.IntegerField()
    stream = serializers.CharField()
    stream_type = serializers.CharField()
    type = serializers.CharField()
    version = serializers.IntegerField()
    schema_version = serializers.IntegerField()
    data = serializers.DictField()
    metadata = EventMetadataSerializer()
    known_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()


class FeedPageSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    next = serializers.URLField(help_text="The URL of the following page (after the last event).")
    last_position = serializers.IntegerField(help_text="Position of the last event here.")


def event_json(event: store.RecordedEvent) -> dict:
    """Return an event as the feed shows it."""
    meta = event.metadata
    metadata = {
        "who": meta.get("actor", ""),
        "when": event.known_at.isoformat(),
        "why": meta.get("reason") or "",
    }
    if meta.get("imported_at"):
        metadata["imported_at"] = meta["imported_at"]
    return {
        "position": event.position,
        "stream": event.stream_id,
        "stream_type": event.stream_type,
        "type": event.event_type,
        "version": event.version,
        "schema_version": event.schema_version,
        "data": event.data,
        "metadata": metadata,
        "known_at": event.known_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
    }


class EventFeedApi(APIView):
    """List the log's events after a position, oldest first."""

    @extend_schema(
        operation_id="events_list",
        tags=["events"],
        parameters=[FeedQuery],
        responses=FeedPageSerializer,
    )
    def get(self, request):
        query = reading.query(FeedQuery, request)
        after, limit, types = query["after"], query["limit"], query["stream_type"]
        events = store.read_all(after=after, limit=limit, stream_types=types or None)
        last = events[-1].position if events else after
        params = [("after", last), ("limit", limit)] + [("stream_type", t) for t in types]
        return Response(
            {
                "results": [event_json(e) for e in events],
                "next": request.build_absolute_uri(f"{request.path}?{urlencode(params)}"),
                "last_position": last,
            }
        )
