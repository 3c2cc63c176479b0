"""The portfolio's event feed: every event after a log position, in position order.

It reads `store.read_all`, whose order is reader-safe (appends are serialized until commit), so a
client that follows `next` sees every event exactly once however many writers are busy. Positions
may have gaps; follow `next`, never compute positions.
"""

from rest_framework import serializers

from portfolio.eventstore import replicas, store

from . import identities, times
from .listing import ListApi, ListParams
from .pagination import Page, PageOut


class FeedQuery(serializers.Serializer):
    after = serializers.IntegerField(
        min_value=0, max_value=2**62, default=0, help_text="Log position last seen (0: start)."
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
    when = times.Moment(help_text="When the fact was known (known_at).")
    why = serializers.CharField(allow_blank=True, help_text="The reason given, if any.")
    imported_at = times.Moment(
        required=False, help_text="Present on history imported with an earlier known_at."
    )


class SlugRefOut(serializers.Serializer):
    id = serializers.CharField(help_text="The id the resource shows as its `id`.")
    slug = serializers.SlugField(
        allow_null=True, help_text="The slug of its URL (null: not in the read models)."
    )


class TrackRefOut(serializers.Serializer):
    id = serializers.CharField(help_text="The track's id, as the project's `tracks[].id`.")
    name = serializers.CharField(allow_null=True, help_text="The track's name.")


class EventSerializer(serializers.Serializer):
    """One event of the feed (documents `event_json`, which builds it without DRF's cost)."""

    position = serializers.IntegerField()
    stream = serializers.CharField()
    stream_type = serializers.CharField()
    type = serializers.CharField()
    version = serializers.IntegerField()
    schema_version = serializers.IntegerField()
    project = SlugRefOut(
        allow_null=True, help_text="The project the event is about: /api/v1/projects/{slug}/."
    )
    area = SlugRefOut(allow_null=True, help_text="The area of that project, or the area itself.")
    track = TrackRefOut(allow_null=True, help_text="The track it is about, if one.")
    data = serializers.DictField(
        help_text="The event's payload as recorded; an id that names nothing is null."
    )
    metadata = EventMetadataSerializer()
    known_at = times.Moment()
    recorded_at = times.Moment()


class FeedPageOut(PageOut):
    # The feed always has a next page to poll, even when this one is empty.
    next = serializers.URLField(help_text="The URL of the following page (after the last event).")
    last_position = serializers.IntegerField(help_text="Position of the last event here.")


def events_json(events: list[store.RecordedEvent]) -> list[dict]:
    """Return events as the feed shows them, each naming what it is about."""
    return [
        event_json(event, about)
        for event, about in zip(events, identities.subjects(events), strict=True)
    ]


def event_json(event: store.RecordedEvent, about: dict) -> dict:
    """Return an event as the feed shows it; `about` is its identities.subjects entry."""
    meta = event.metadata
    metadata = {
        "who": meta.get("actor", ""),
        "when": times.rfc3339(event.known_at),
        "why": meta.get("reason") or "",
    }
    if meta.get("imported_at"):
        metadata["imported_at"] = times.rfc3339(meta["imported_at"])
    return {
        "position": event.position,
        "stream": event.stream_id,
        "stream_type": event.stream_type,
        "type": event.event_type,
        "version": event.version,
        "schema_version": event.schema_version,
        **about,
        "data": identities.null_ids(event.data),
        "metadata": metadata,
        "known_at": times.rfc3339(event.known_at),
        "recorded_at": times.rfc3339(event.recorded_at),
    }


class EventFeedApi(ListApi):
    """List the log's events after a position, oldest first.

    A log read forwards: `next` (and the `Link` header) always names the page after this one,
    to poll; `previous` and `count` are null. It takes no `q`, `ordering` or `as_of`: its order
    is its promise.
    """

    item_serializer = EventSerializer
    page_name = "FeedPage"
    page_base = FeedPageOut
    filters = FeedQuery
    reads_as_of = False
    page_size, max_page_size = 100, 1000
    csv_whole = False
    csv_name = "events"
    list_operation_id = "events_list"
    list_tag = "events"

    def page(self, params: ListParams) -> Page:
        after, types = params.filters["after"], params.filters["stream_type"]
        with replicas.pinned(after):  # a replica that holds `after` has all a poller saw
            events = store.read_all(after=after, limit=params.limit, stream_types=types or None)
        last = events[-1].position if events else after
        return Page(
            events_json(events),
            None,
            {"after": last},
            extra={"last_position": last},
        )
