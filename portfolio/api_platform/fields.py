"""Serializer fields that name what an object holds the id of, by the serializer's context."""

from rest_framework import serializers

from portfolio.selectors import ProjectState


class TrackNameField(serializers.CharField):
    """The name of the track whose id the source holds, by the context's `track_name`.

    The source is `track_id` unless given; None names the field's own name.
    """

    def __init__(self, *, source: str | None = "track_id", **kwargs):
        super().__init__(source=source, allow_null=True, **kwargs)

    def to_representation(self, track_id):
        return self.context["track_name"](track_id) if track_id else None


class ProjectSlugField(serializers.SlugField):
    """The slug of the object's project, by the context's `project_slug` (given the source)."""

    def __init__(self, *, source: str = "project_id", **kwargs):
        super().__init__(source=source, **kwargs)

    def to_representation(self, value):
        return self.context["project_slug"](value)


class ProjectIdField(serializers.CharField):
    """The id of the object's project, by the context's `project_id` (given the source)."""

    def __init__(self, *, source: str = "id", **kwargs):
        super().__init__(source=source, **kwargs)

    def to_representation(self, value):
        return self.context["project_id"](value)


def state_context(state: ProjectState) -> dict:
    """Return the context the fields read for the members of one project's state."""
    return {
        "state": state,
        "project_slug": lambda _: state.project.slug,
        "project_id": lambda _: state.project.id,
        "track_name": state.track_name,
    }


def row_context(rows) -> dict:
    """Return the context the fields read for read-model rows with their project and track."""
    return {
        "project_slug": {r.project_id: r.project.slug for r in rows}.get,
        "track_name": {r.track_id: r.track.name for r in rows if r.track_id}.get,
    }


class IdField(serializers.CharField):
    """An id the object holds, as the event feed names it; an empty one (no track) is null."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, **kwargs)

    def to_representation(self, value):
        return str(value) if value else None
