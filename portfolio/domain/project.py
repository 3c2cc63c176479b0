"""The project aggregate: what the status page says, its tracks, status and decisions."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from .. import checks, limits
from ..errors import Closed, InvalidInput, NotFound
from ..eventstore.aggregate import Aggregate, Event
from .change import Change, sets_field

NO_TRACK = ""  # the key of project-wide status and risk in a project without tracks


def status_date_of(reported_on: Iterable[date | None]) -> date | None:
    """Return a project's status date, the page's "Dato": the latest date among the current
    status reports of its tracks (None before the first report)."""
    return max((day for day in reported_on if day is not None), default=None)


class TrackState(NamedTuple):
    id: str
    name: str
    title: str
    monitoring_note: str = ""


class StatusState(NamedTuple):
    track_id: str
    rating: str | None  # None: reported without a rating
    narrative: str
    reported_on: date


class JustificationState(NamedTuple):
    rating: str | None  # the reported rating it justifies
    text: str


class DecisionState(NamedTuple):
    id: str
    meeting_on: date
    text: str
    affects: tuple[str, ...]


# The fields a project manager edits on the project itself, each with its own event.
DETAIL_FIELDS = (
    "title",
    "project_leader",
    "purpose",
    "read_more",
    "participants",
    "suppliers",
    "steering_group",
    "managers",
    "milestone_note",
)


class Project(Aggregate):
    """A project: what the status page says about it, its tracks, status and decisions."""

    stream_type = "Project"
    slug: str
    area_id: str
    title: str
    project_leader: str
    purpose: str
    read_more: tuple[str, str, str]  # label, url, note
    participants: tuple[dict, ...]  # {"track": id or "", "text": ...}
    suppliers: tuple[dict, ...]  # {"track": id or "", "name": ..., "state": ...}
    steering_group: tuple[str, ...]
    managers: tuple[str, ...]
    milestone_note: str
    tracks: dict[str, TrackState]
    statuses: dict[str, StatusState]
    biggest_risks: dict[str, str]  # track key -> risk id
    justifications: dict[str, JustificationState]  # track key -> why its rating differs
    decisions: list[DecisionState]
    closed: bool

    def __init__(self, aggregate_id: str):
        super().__init__(aggregate_id)
        self.slug = ""
        self.area_id = ""
        self.title = ""
        self.project_leader = ""
        self.purpose = ""
        self.read_more = ("", "", "")
        self.participants = ()
        self.suppliers = ()
        self.steering_group = ()
        self.managers = ()
        self.milestone_note = ""
        self.tracks = {}
        self.statuses = {}
        self.biggest_risks = {}
        self.justifications = {}
        self.decisions = []
        self.closed = False

    # --- events ---------------------------------------------------------------------------

    @dataclass(frozen=True)
    class Created(Event):
        usernames = ("managers",)
        slug: str
        title: str
        area_id: str
        managers: tuple[str, ...] = ()

        def apply(self, project):
            project.slug, project.title, project.area_id = self.slug, self.title, self.area_id
            project.managers = tuple(self.managers)

        def change(self, project):
            return Change("added", self.title)

    @sets_field("title")
    @dataclass(frozen=True)
    class Retitled(Event):
        title: str

    @sets_field("project_leader")
    @dataclass(frozen=True)
    class LeaderNamed(Event):
        names = ("project_leader",)
        project_leader: str

    @sets_field("purpose")
    @dataclass(frozen=True)
    class PurposeStated(Event):
        purpose: str

    @dataclass(frozen=True)
    class ReadMoreLinkSet(Event):
        label: str
        url: str
        note: str = ""

        def apply(self, project):
            project.read_more = (self.label, self.url, self.note)

        def change(self, project):
            link = (self.label, self.url, self.note)
            return Change("changed", project.title, "read_more", project.read_more, link)

    @sets_field("participants")
    @dataclass(frozen=True)
    class ParticipantsListed(Event):
        participants: tuple[dict, ...]  # {"track": id or "", "text": ...}

    @sets_field("suppliers")
    @dataclass(frozen=True)
    class SuppliersListed(Event):
        suppliers: tuple[dict, ...]  # {"track": id or "", "name": ..., "state": ...}

    @sets_field("steering_group", "members")
    @dataclass(frozen=True)
    class SteeringGroupNamed(Event):
        names = ("members",)
        members: tuple[str, ...]

    @sets_field("managers")
    @dataclass(frozen=True)
    class ManagersAssigned(Event):
        usernames = ("managers",)
        managers: tuple[str, ...]

    @sets_field("milestone_note", "note")
    @dataclass(frozen=True)
    class MilestoneNoteWritten(Event):
        note: str

    @dataclass(frozen=True)
    class TrackAdded(Event):
        track_id: str
        name: str
        title: str = ""

        def apply(self, project):
            project.tracks[self.track_id] = TrackState(self.track_id, self.name, self.title)

        def change(self, project):
            return Change("added", self.name, "track")

    @dataclass(frozen=True)
    class TrackChanged(Event):
        track_id: str
        name: str
        title: str
        monitoring_note: str

        def apply(self, project):
            project.tracks[self.track_id] = TrackState(
                self.track_id, self.name, self.title, self.monitoring_note
            )

        def change(self, project):
            old = project.tracks[self.track_id]
            new = TrackState(self.track_id, self.name, self.title, self.monitoring_note)
            return Change("changed", self.name, "track", old._asdict(), new._asdict())

    @dataclass(frozen=True)
    class StatusReported(Event):
        track_id: str
        rating: str | None
        narrative: str
        reported_on: date

        def apply(self, project):
            project.statuses[self.track_id] = StatusState(
                self.track_id, self.rating, self.narrative, self.reported_on
            )

        def change(self, project):
            old = project.statuses.get(self.track_id)
            track = project.track_name(self.track_id) or ""
            return Change("reported", track, "rating", old and old.rating, self.rating)

    @dataclass(frozen=True)
    class RatingJustified(Event):
        """Why a reported rating differs from the one derived from the plan and the risks."""

        track_id: str
        rating: str | None
        text: str

        def apply(self, project):
            if self.text:
                project.justifications[self.track_id] = JustificationState(self.rating, self.text)
            else:  # a later report without one withdraws it
                project.justifications.pop(self.track_id, None)

        def change(self, project):
            old = project.justifications.get(self.track_id)
            track = project.track_name(self.track_id) or ""
            return Change("changed", track, "justification", old and old.text, self.text)

    @dataclass(frozen=True)
    class BiggestRiskMarked(Event):
        track_id: str
        risk_id: str

        def apply(self, project):
            project.biggest_risks[self.track_id] = self.risk_id

        def change(self, project):
            old = project.biggest_risks.get(self.track_id)
            track = project.track_name(self.track_id) or ""
            return Change("changed", track, "biggest_risk", old, self.risk_id)

    @dataclass(frozen=True)
    class BiggestRiskCleared(Event):
        track_id: str

        def apply(self, project):
            project.biggest_risks.pop(self.track_id, None)

        def change(self, project):
            old = project.biggest_risks.get(self.track_id)
            return Change("changed", project.track_name(self.track_id) or "", "biggest_risk", old)

    @dataclass(frozen=True)
    class DecisionRecorded(Event):
        decision_id: str
        meeting_on: date
        text: str
        affects: tuple[str, ...] = ()

        def apply(self, project):
            project.decisions.append(
                DecisionState(self.decision_id, self.meeting_on, self.text, tuple(self.affects))
            )

        def change(self, project):
            return Change("decided", self.text.splitlines()[0][:200], after=self.meeting_on)

    @dataclass(frozen=True)
    class Closed(Event):
        reason: str

        def apply(self, project):
            project.closed = True

        def change(self, project):
            return Change("closed", project.title, reason=self.reason)

    @dataclass(frozen=True)
    class Reopened(Event):
        reason: str

        def apply(self, project):
            project.closed = False

        def change(self, project):
            return Change("reopened", project.title, reason=self.reason)

    # --- derived ----------------------------------------------------------------------------

    @property
    def status_date(self) -> date | None:
        return status_date_of(s.reported_on for s in self.statuses.values())

    def track_name(self, track_id: str) -> str | None:
        return self.tracks[track_id].name if track_id in self.tracks else None

    # --- commands -------------------------------------------------------------------------

    def check_open(self) -> None:
        if not self.exists:
            raise NotFound("project", "no such project")
        if self.closed:
            raise Closed("project", "the project is closed and takes no more changes")

    def check_track(self, track_id: str | None, field_name: str = "track") -> str:
        """Return the track key for `track_id` ("" for the whole project), or raise."""
        if not track_id:
            return NO_TRACK
        if track_id not in self.tracks:
            raise NotFound(field_name, f"the project has no track {track_id}")
        return track_id

    def create(self, *, slug: str, title: str, area_id: str, managers=()) -> None:
        if self.exists:
            raise InvalidInput("slug", "the project exists already")
        self.trigger(
            Project.Created(
                checks.slug("slug", slug),
                checks.text("title", title, max_length=limits.PROJECT_TITLE),
                checks.text("area", area_id, max_length=limits.ID),
                self._usernames(managers),
            )
        )

    def update(self, **changes) -> None:
        """Change any of DETAIL_FIELDS; unchanged values trigger nothing."""
        self.check_open()
        unknown = set(changes) - set(DETAIL_FIELDS)
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "is not a field of a project")
        events = [self._detail_event(name, value) for name, value in changes.items()]
        for event in events:  # validate everything before triggering anything
            if event is not None:
                self.trigger(event)

    def _detail_event(self, name: str, value) -> Event | None:
        if name == "title":
            value = checks.text("title", value, max_length=limits.PROJECT_TITLE)
            return Project.Retitled(value) if value != self.title else None
        if name == "project_leader":
            value = checks.text(
                "project_leader", value, required=False, max_length=limits.PROJECT_LEADER
            )
            return Project.LeaderNamed(value) if value != self.project_leader else None
        if name == "purpose":
            value = checks.rich_text("purpose", value)
            return Project.PurposeStated(value) if value != self.purpose else None
        if name == "milestone_note":
            value = checks.rich_text("milestone_note", value)
            return Project.MilestoneNoteWritten(value) if value != self.milestone_note else None
        if name == "read_more":
            link = self._read_more(value)
            return Project.ReadMoreLinkSet(*link) if link != self.read_more else None
        if name == "participants":
            value = self._participants(value)
            return Project.ParticipantsListed(value) if value != self.participants else None
        if name == "suppliers":
            value = self._suppliers(value)
            return Project.SuppliersListed(value) if value != self.suppliers else None
        if name == "steering_group":
            value = tuple(
                checks.text("steering_group", m, max_length=limits.STEERING_MEMBER)
                for m in checks.few("steering_group", value, limits.STEERING_GROUP)
            )
            return Project.SteeringGroupNamed(value) if value != self.steering_group else None
        value = self._usernames(value)
        return Project.ManagersAssigned(value) if value != self.managers else None

    @staticmethod
    def _usernames(managers) -> tuple[str, ...]:
        managers = checks.few("managers", managers, limits.MANAGERS)
        return tuple(checks.text("managers", m, max_length=limits.USERNAME) for m in managers)

    @staticmethod
    def _read_more(value) -> tuple[str, str, str]:
        value = value or {}
        return (
            checks.text(
                "read_more.label",
                value.get("label"),
                required=False,
                max_length=limits.READ_MORE_LABEL,
            ),
            checks.url("read_more.url", value.get("url")),
            checks.text(
                "read_more.note",
                value.get("note"),
                required=False,
                max_length=limits.READ_MORE_NOTE,
            ),
        )

    def _participants(self, items) -> tuple[dict, ...]:
        result = []
        for n, item in enumerate(checks.few("participants", items, limits.ROWS)):
            result.append(
                {
                    "track": self.check_track(item.get("track"), f"participants[{n}].track"),
                    "text": checks.text(
                        f"participants[{n}].text", item.get("text"), max_length=limits.PARTICIPANTS
                    ),
                }
            )
        return tuple(result)

    def _suppliers(self, items) -> tuple[dict, ...]:
        result = []
        for n, item in enumerate(checks.few("suppliers", items, limits.ROWS)):
            state = checks.choice(
                f"suppliers[{n}].state", item.get("state"), checks.SUPPLIER_STATES
            )
            result.append(
                {
                    "track": self.check_track(item.get("track"), f"suppliers[{n}].track"),
                    "name": checks.text(
                        f"suppliers[{n}].name",
                        item.get("name"),
                        required=state != "not_decided",
                        max_length=limits.SUPPLIER,
                    ),
                    "state": state,
                }
            )
        return tuple(result)

    def add_track(self, *, track_id: str, name: str, title: str = "") -> None:
        self.check_open()
        name = checks.text("name", name, max_length=limits.TRACK_NAME)
        if any(t.name == name for t in self.tracks.values()):
            raise InvalidInput("name", f"the project has a track named {name} already")
        self.trigger(
            Project.TrackAdded(
                track_id,
                name,
                checks.text("title", title, required=False, max_length=limits.TRACK_TITLE),
            )
        )

    def change_track(self, *, track_id: str, **changes) -> None:
        self.check_open()
        self.check_track(track_id)
        track = self.tracks[track_id]
        unknown = set(changes) - {"name", "title", "monitoring_note"}
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "is not a field of a track")
        updated = track._replace(
            name=checks.text("name", changes.get("name", track.name), max_length=limits.TRACK_NAME),
            title=checks.text(
                "title",
                changes.get("title", track.title),
                required=False,
                max_length=limits.TRACK_TITLE,
            ),
            monitoring_note=checks.rich_text(
                "monitoring_note", changes.get("monitoring_note", track.monitoring_note)
            ),
        )
        if any(t.name == updated.name and t.id != track_id for t in self.tracks.values()):
            raise InvalidInput("name", f"the project has a track named {updated.name} already")
        if updated != track:
            self.trigger(
                Project.TrackChanged(track_id, updated.name, updated.title, updated.monitoring_note)
            )

    def report_status(
        self,
        *,
        track_id: str | None,
        rating: str | None,
        narrative: str,
        reported_on: date,
        today: date,
        justification: str = "",
    ) -> None:
        """Report a track's status; a justification says why the rating differs from the
        derived one (the caller, who can see milestones and risks, decides whether it must)."""
        self.check_open()
        key = self.check_track(track_id)
        if rating is not None:
            checks.choice("rating", rating, checks.RATINGS)
        checks.not_in_future("reported_on", checks.a_date("reported_on", reported_on), today)
        self.trigger(
            Project.StatusReported(
                key, rating, checks.rich_text("narrative", narrative), reported_on
            )
        )
        if justification.strip() or key in self.justifications:
            self.trigger(Project.RatingJustified(key, rating, justification.strip()))

    def mark_biggest_risk(self, *, track_id: str | None, risk_id: str | None) -> None:
        """Mark the track's biggest risk (the risk's own checks are the command's job)."""
        self.check_open()
        key = self.check_track(track_id)
        if risk_id is None:
            if key in self.biggest_risks:
                self.trigger(Project.BiggestRiskCleared(key))
        elif self.biggest_risks.get(key) != risk_id:
            self.trigger(Project.BiggestRiskMarked(key, risk_id))

    def record_decision(
        self, *, decision_id: str, meeting_on: date, text: str, affects=(), today: date
    ) -> None:
        self.check_open()
        checks.a_date("meeting_on", meeting_on)
        self.trigger(
            Project.DecisionRecorded(
                decision_id,
                meeting_on,
                checks.rich_text("text", text, required=True),
                checks.few("affects", affects, limits.AFFECTS),
            )
        )

    def close(self, *, reason: str) -> None:
        self.check_open()
        self.trigger(Project.Closed(checks.text("reason", reason, max_length=limits.CLOSE_REASON)))

    def reopen(self, *, reason: str) -> None:
        """Open a closed project again, so that it takes changes."""
        if not self.exists:
            raise NotFound("project", "no such project")
        if not self.closed:
            raise InvalidInput("project", "the project is open already")
        reason = checks.text("reason", reason, max_length=limits.CLOSE_REASON)
        self.trigger(Project.Reopened(reason))
