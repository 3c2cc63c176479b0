"""Reads of the portfolio: the current state, and the state as of any time or log position.

As-of reads fold the events known by then; current reads could use the read models, but a
project's full state (every re-plan with its reason, every assessment) lives only in the
aggregates, so `project_state` folds in both cases. Lists over many projects use the read models.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.utils import timezone

from . import domain, project_loading
from .eventstore.aggregate import Aggregate
from .models import Area as AreaRow
from .models import Project as ProjectRow
from .models import Track as TrackRow

A = TypeVar("A", bound=Aggregate)


@dataclass(frozen=True)
class AsOf:
    """A point in the log: events known by `time` and at or below `position` (None: no limit)."""

    time: datetime | None = None
    position: int | None = None

    @classmethod
    def of_date(cls, day: date) -> "AsOf":
        """Return the end of `day` in the site's time zone: "as of 24 April" includes that day."""
        return cls(time=end_of_day(day))

    @property
    def is_now(self) -> bool:
        return self.time is None and self.position is None

    def includes(self, event) -> bool:
        """Whether an event (stored row or recorded event) was visible at this point."""
        return (self.time is None or event.known_at <= self.time) and (
            self.position is None or event.position <= self.position
        )

    def filter(self, rows):
        if self.time is not None:
            rows = rows.filter(known_at__lte=self.time)
        if self.position is not None:
            rows = rows.filter(position__lte=self.position)
        return rows

    @property
    def day(self) -> date:
        """The business date the point stands for (today when it is now)."""
        return timezone.localdate(self.time) if self.time else timezone.localdate()


NOW = AsOf()


def end_of_day(day: date) -> datetime:
    start = datetime.combine(day + timedelta(days=1), time.min)
    return timezone.make_aware(start) - timedelta(microseconds=1)


@dataclass
class ProjectState:
    """Everything known about one project at one point: the project and its member streams
    (milestones, risks, KPI series), folded; the apps that own a kind pick theirs by class."""

    project: domain.Project
    area: domain.Area
    members: list[Aggregate] = field(default_factory=list)
    position: int = 0  # the highest log position included
    as_of: AsOf = NOW
    kinds: frozenset[str] | None = None  # the stream types read (None: all)

    @property
    def version(self) -> int:
        return self.project.version

    def of_type(self, kind: type[A]) -> list[A]:
        """Return the members of one kind, in the order they were created."""
        if self.kinds is not None and kind.stream_type not in self.kinds:
            raise LookupError(f"this state was read without its {kind.__name__} streams")
        return [member for member in self.members if isinstance(member, kind)]

    @property
    def kpis(self) -> list[domain.Kpi]:
        return self.of_type(domain.Kpi)

    def track_name(self, track_id: str) -> str | None:
        return self.project.track_name(track_id)


def _assemble(
    project_id: str, aggregates: dict, areas: dict, position: int, as_of: AsOf
) -> ProjectState:
    """Gather a project's aggregates: `aggregates` holds its streams in the order of their first
    events (project_loading.Loaded), which is the order members.members_of gives each kind."""
    project = aggregates[project_id]
    state = ProjectState(
        project=project,
        area=areas.get(project.area_id) or domain.Area(project.area_id),
        position=position,
        as_of=as_of,
    )
    # A withdrawn milestone or risk was a mistake: it is in the history, not in the state.
    state.members = [
        a
        for stream_id, a in aggregates.items()
        if stream_id != project_id and not getattr(a, "withdrawn", False)
    ]
    return state


def project_state(
    slug: str, as_of: AsOf = NOW, members: tuple[type[Aggregate], ...] | None = None
) -> ProjectState | None:
    """Return the project as it was at `as_of` (now by default), or None if unknown then.

    Given `members` (kinds, e.g. `(Milestone, Risk)`), only the project and those are read;
    asking the state for another kind then raises LookupError instead of answering "none".
    """
    kinds = None
    if members is not None:
        kinds = frozenset([domain.Project.stream_type, *(m.stream_type for m in members)])
    found = project_loading.load_project(slug, as_of, kinds)
    if found is None:
        return None
    project_id, project, areas = found
    if project_id not in project.aggregates:
        return None
    position = max(project.position, areas.position)
    state = _assemble(project_id, project.aggregates, areas.aggregates, position, as_of)
    state.kinds = kinds
    return state


def portfolio_states(
    as_of: AsOf = NOW, area_slug: str | None = None, slugs: list[str] | None = None
) -> list[ProjectState]:
    """Return every project known at `as_of` (optionally of one area, or only those `slugs`),
    ordered by title."""
    projects = ProjectRow.objects.all()
    if area_slug:
        projects = projects.filter(area__slug=area_slug)
    if slugs is not None:
        projects = projects.filter(slug__in=slugs)
    pairs = list(projects.values_list("id", "area_id"))
    project_ids = [p for p, _ in pairs]
    loaded, areas = project_loading.load_projects(project_ids, as_of, list({a for _, a in pairs}))
    position = max([areas.position, *(p.position for p in loaded.values())])
    states = [
        _assemble(pid, loaded[pid].aggregates, areas.aggregates, position, as_of)
        for pid in project_ids
        if pid in loaded[pid].aggregates
    ]
    return sorted(states, key=lambda s: s.project.title.lower())


def areas() -> list[AreaRow]:
    return list(AreaRow.objects.order_by("name"))


def track_id_by_name(project_id: str, track: str | None) -> str | None:
    """Return the id of a project's track named by id or by name (unknown ones pass through)."""
    if not track:
        return None
    found = TrackRow.objects.filter(project_id=project_id, name=track).values_list("id", flat=True)
    return found[0] if found else track
