"""What an event is about, named as the resources name it: project, area and track by id and by
their public name (slug, or a track's name), so a feed consumer joins events to resources
without replaying the log."""

from collections.abc import Iterable

from portfolio import members
from portfolio.eventstore import store
from portfolio.eventstore.models import StoredEvent
from portfolio.models import Area as AreaRow
from portfolio.models import Project as ProjectRow
from portfolio.models import Track as TrackRow

KERNEL_STREAMS = ("Project", "Area")


def _id(value) -> str | None:
    """Return an id from an event's payload; an empty one names nothing."""
    return value if isinstance(value, str) and value else None


def null_ids(data: dict) -> dict:
    """Return an event's payload with its empty ids (`track_id: ""`: no track) as null."""
    return {
        key: None if key.endswith("_id") and value == "" else value for key, value in data.items()
    }


def _member_rows(stream_ids: set[str]) -> dict[str, tuple[str, str | None]]:
    """Return the project and track of each milestone, risk or KPI stream, from the read models
    (one query for all kinds)."""
    if not stream_ids:
        return {}
    kinds = [
        model.objects.filter(id__in=stream_ids)
        .order_by()
        .values_list("id", "project_id", "track_id")
        for model in members.tables()
    ]
    rows = kinds[0].union(*kinds[1:], all=True)
    return {stream: (project, track) for stream, project, track in rows}


def _named_earlier(stream_ids: set[str]) -> dict[str, str]:
    """Return the project each stream named in an earlier event, for streams that keep no
    member read model and say it once (a publication's `Issued`, not its `Withdrawn`)."""
    if not stream_ids:
        return {}
    named = (
        StoredEvent.objects.filter(stream_id__in=stream_ids, data__has_key="project_id")
        .order_by("position")
        .values_list("stream_id", "data__project_id")
    )
    # The first that names one; in Python, not DISTINCT ON, which only PostgreSQL has (the
    # zero-setup run answered 500). Such a stream holds a handful of events.
    first: dict[str, str] = {}
    for stream, project in named:
        first.setdefault(stream, project)
    return {stream: project for stream, project in first.items() if _id(project)}


def subjects(events: Iterable[store.RecordedEvent]) -> list[dict]:
    """Return, for each event, the `project`, `area` and `track` it is about ({id, slug} or
    {id, name}, or null), in a fixed number of queries for the whole page."""
    events = list(events)
    rows = _member_rows({e.stream_id for e in events if e.stream_type not in KERNEL_STREAMS})
    about = []
    for e in events:
        data = e.data
        project = track = None
        area = e.stream_id if e.stream_type == "Area" else _id(data.get("area_id"))
        if e.stream_type == "Project":
            project = e.stream_id
        elif e.stream_type != "Area":
            project, track = rows.get(e.stream_id, (_id(data.get("project_id")), None))
        track = _id(data.get("track_id")) or track
        about.append([project, area, track])
    unnamed = {
        e.stream_id
        for e, (project, _, _) in zip(events, about, strict=True)
        if project is None and e.stream_type not in KERNEL_STREAMS
    }
    if unnamed:
        earlier = _named_earlier(unnamed)
        for e, entry in zip(events, about, strict=True):
            entry[0] = entry[0] or earlier.get(e.stream_id)
    projects, areas = {}, {}
    project_ids = {p for p, _, _ in about if p}
    for pid, slug, area_id, area_slug in ProjectRow.objects.filter(id__in=project_ids).values_list(
        "id", "slug", "area_id", "area__slug"
    ):
        projects[pid], areas[area_id] = (slug, area_id), area_slug
    for entry in about:  # a project's events name its area through the project
        if entry[0] and not entry[1]:
            entry[1] = projects.get(entry[0], (None, None))[1]
    unknown = {a for _, a, _ in about if a and a not in areas}
    areas.update(AreaRow.objects.filter(id__in=unknown).values_list("id", "slug"))
    track_ids = {t for _, _, t in about if t}
    tracks = dict(TrackRow.objects.filter(id__in=track_ids).values_list("id", "name"))
    return [
        {
            "project": {"id": p, "slug": projects.get(p, (None,))[0]} if p else None,
            "area": {"id": a, "slug": areas.get(a)} if a else None,
            "track": {"id": t, "name": tracks.get(t)} if t else None,
        }
        for p, a, t in about
    ]
