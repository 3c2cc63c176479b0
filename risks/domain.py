"""The risk aggregate: raise, re-assess, revise, change status; every assessment is kept."""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from portfolio import checks
from portfolio.domain import Project
from portfolio.domain.change import Change
from portfolio.errors import InvalidInput
from portfolio.eventstore.aggregate import Aggregate, Event

from . import limits

STATUSES = ("open", "mitigated", "closed", "occurred")


class Assessment(NamedTuple):
    probability: int | None
    impact: int | None
    reason: str


class Risk(Aggregate):
    """A risk in a project's register, maybe tied to one track."""

    stream_type = "Risk"
    project_id: str
    track_id: str
    title: str
    description: str
    owner: str
    mitigation: str
    status: str
    assessments: list[Assessment]
    withdrawn: bool

    def __init__(self, aggregate_id: str):
        super().__init__(aggregate_id)
        self.project_id = ""
        self.track_id = ""
        self.title = ""
        self.description = ""
        self.owner = ""
        self.mitigation = ""
        self.status = "open"
        self.assessments = []
        self.withdrawn = False

    @dataclass(frozen=True)
    class Raised(Event):
        names = ("owner",)
        project_id: str
        track_id: str
        title: str
        description: str
        probability: int | None
        impact: int | None
        owner: str
        mitigation: str

        def apply(self, risk):
            risk.project_id, risk.track_id = self.project_id, self.track_id
            risk.title, risk.description = self.title, self.description
            risk.owner, risk.mitigation = self.owner, self.mitigation
            risk.assessments.append(Assessment(self.probability, self.impact, ""))

        def change(self, risk):
            return Change("raised", self.title)

    @dataclass(frozen=True)
    class Assessed(Event):
        probability: int | None
        impact: int | None
        reason: str

        def apply(self, risk):
            risk.assessments.append(Assessment(self.probability, self.impact, self.reason))

        def change(self, risk):
            old = {"probability": risk.probability, "impact": risk.impact}
            new = {"probability": self.probability, "impact": self.impact}
            return Change("assessed", risk.title, "assessment", old, new, self.reason)

    @dataclass(frozen=True)
    class Revised(Event):
        names = ("owner",)
        title: str
        description: str
        owner: str
        mitigation: str

        def apply(self, risk):
            risk.title, risk.description = self.title, self.description
            risk.owner, risk.mitigation = self.owner, self.mitigation

        def change(self, risk):
            return Change("changed", self.title)

    @dataclass(frozen=True)
    class StatusChanged(Event):
        status: str
        reason: str
        changed_on: date

        def apply(self, risk):
            risk.status = self.status

        def change(self, risk):
            kind = "closed" if self.status in ("closed", "mitigated") else "changed"
            return Change(kind, risk.title, "status", risk.status, self.status, self.reason)

    @dataclass(frozen=True)
    class Withdrawn(Event):
        """Raised by mistake: gone from the register from now on, kept in its history."""

        reason: str

        def apply(self, risk):
            risk.withdrawn = True

        def change(self, risk):
            return Change("withdrawn", risk.title, reason=self.reason)

    # --- derived ----------------------------------------------------------------------------

    @property
    def probability(self) -> int | None:
        return self.assessments[-1].probability if self.assessments else None

    @property
    def impact(self) -> int | None:
        return self.assessments[-1].impact if self.assessments else None

    @property
    def score(self) -> int | None:
        if self.probability is None or self.impact is None:
            return None
        return self.probability * self.impact

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    # --- commands -------------------------------------------------------------------------

    def raise_risk(
        self,
        *,
        project: Project,
        track_id: str | None,
        title: str,
        description: str = "",
        probability: int | None = None,
        impact: int | None = None,
        owner: str = "",
        mitigation: str = "",
    ) -> None:
        project.check_open()
        if self.exists:
            raise InvalidInput("risk", "the risk exists already")
        self.trigger(
            Risk.Raised(
                project.id,
                project.check_track(track_id),
                checks.text("title", title, max_length=limits.TITLE),
                checks.rich_text("description", description),
                checks.score("probability", probability),
                checks.score("impact", impact),
                checks.text("owner", owner, required=False, max_length=limits.OWNER),
                checks.rich_text("mitigation", mitigation),
            )
        )

    def assess(
        self, *, project: Project, probability: int | None, impact: int | None, reason: str
    ) -> None:
        project.check_open()
        self.trigger(
            Risk.Assessed(
                checks.score("probability", probability),
                checks.score("impact", impact),
                checks.text("reason", reason, required=False, max_length=limits.REASON),
            )
        )

    def revise(self, *, project: Project, **changes) -> None:
        project.check_open()
        unknown = set(changes) - {"title", "description", "owner", "mitigation"}
        if unknown:
            raise InvalidInput(sorted(unknown)[0], "is not a field of a risk")
        revised = Risk.Revised(
            checks.text("title", changes.get("title", self.title), max_length=limits.TITLE),
            checks.rich_text("description", changes.get("description", self.description)),
            checks.text(
                "owner", changes.get("owner", self.owner), required=False, max_length=limits.OWNER
            ),
            checks.rich_text("mitigation", changes.get("mitigation", self.mitigation)),
        )
        current = (self.title, self.description, self.owner, self.mitigation)
        if (revised.title, revised.description, revised.owner, revised.mitigation) != current:
            self.trigger(revised)

    def change_status(self, *, project: Project, status: str, reason: str, today: date) -> None:
        project.check_open()
        checks.choice("status", status, STATUSES)
        if status == self.status:
            raise InvalidInput("status", f"the risk is {status} already")
        self.trigger(
            Risk.StatusChanged(
                status,
                checks.text("reason", reason, required=False, max_length=limits.REASON),
                today,
            )
        )

    def withdraw(self, *, project: Project, reason: str) -> None:
        project.check_open()
        self.trigger(Risk.Withdrawn(checks.text("reason", reason, max_length=limits.REASON)))

    def check_can_be_biggest(self) -> None:
        if not self.is_open:
            raise InvalidInput("risk", "only an open risk can be a track's biggest risk")
