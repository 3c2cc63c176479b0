"""The milestone aggregate: plan, re-plan with a reason, achieve, correct a mistaken achievement."""

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from portfolio import checks
from portfolio.domain import Project
from portfolio.domain.change import Change, sets_field
from portfolio.errors import InvalidInput
from portfolio.eventstore.aggregate import Aggregate, Event

from . import limits
from .rules import original_plan_after, slippage_days, state_of


class Replan(NamedTuple):
    planned_on: date | None
    previous: date | None
    reason: str


class Milestone(Aggregate):
    """A milestone of a project (and maybe of one of its tracks)."""

    stream_type = "Milestone"
    project_id: str
    track_id: str
    title: str
    original_plan: date | None
    planned_on: date | None
    achieved_on: date | None
    replans: list[Replan]
    withdrawn: bool

    def __init__(self, aggregate_id: str):
        super().__init__(aggregate_id)
        self.project_id = ""
        self.track_id = ""
        self.title = ""
        self.original_plan = None
        self.planned_on = None
        self.achieved_on = None
        self.replans = []
        self.withdrawn = False

    @dataclass(frozen=True)
    class Planned(Event):
        project_id: str
        track_id: str
        title: str
        planned_on: date | None

        def apply(self, milestone):
            milestone.project_id, milestone.track_id = self.project_id, self.track_id
            milestone.title = self.title
            milestone.original_plan = milestone.planned_on = self.planned_on

        def change(self, milestone):
            return Change("added", self.title, "planned_on", after=self.planned_on)

    @dataclass(frozen=True)
    class Replanned(Event):
        planned_on: date | None
        reason: str

        def apply(self, milestone):
            milestone.original_plan = original_plan_after(
                milestone.original_plan, len(milestone.replans), self.planned_on
            )
            milestone.replans.append(Replan(self.planned_on, milestone.planned_on, self.reason))
            milestone.planned_on = self.planned_on

        def change(self, milestone):
            old = milestone.planned_on
            return Change(
                "replanned", milestone.title, "planned_on", old, self.planned_on, self.reason
            )

    @sets_field("title")
    @dataclass(frozen=True)
    class Retitled(Event):
        title: str

    @dataclass(frozen=True)
    class Achieved(Event):
        achieved_on: date

        def apply(self, milestone):
            milestone.achieved_on = self.achieved_on

        def change(self, milestone):
            return Change("achieved", milestone.title, "achieved_on", after=self.achieved_on)

    @dataclass(frozen=True)
    class AchievementCorrected(Event):
        achieved_on: date | None  # None: it was not achieved after all
        reason: str

        def apply(self, milestone):
            milestone.achieved_on = self.achieved_on

        def change(self, milestone):
            old, new = milestone.achieved_on, self.achieved_on
            return Change("corrected", milestone.title, "achieved_on", old, new, self.reason)

    @dataclass(frozen=True)
    class Withdrawn(Event):
        """Entered by mistake: gone from the project from now on, kept in its history."""

        reason: str

        def apply(self, milestone):
            milestone.withdrawn = True

        def change(self, milestone):
            return Change("withdrawn", milestone.title, reason=self.reason)

    # --- derived ----------------------------------------------------------------------------

    @property
    def replan_count(self) -> int:
        return len(self.replans)

    @property
    def slippage_days(self) -> int | None:
        return slippage_days(self.original_plan, self.planned_on)

    def state_on(self, day: date) -> str:
        return state_of(self.planned_on, self.achieved_on, day)

    # --- commands -------------------------------------------------------------------------

    def plan(
        self, *, project: Project, track_id: str | None, title: str, planned_on: date | None
    ) -> None:
        project.check_open()
        if self.exists:
            raise InvalidInput("milestone", "the milestone exists already")
        self.trigger(
            Milestone.Planned(
                project.id,
                project.check_track(track_id),
                checks.text("title", title, max_length=limits.TITLE),
                checks.a_date("planned_on", planned_on, required=False),
            )
        )

    def replan(self, *, project: Project, planned_on: date | None, reason: str) -> None:
        project.check_open()
        checks.a_date("planned_on", planned_on, required=False)
        reason = checks.text("reason", reason, max_length=limits.REASON)
        if self.achieved_on is not None:
            raise InvalidInput("planned_on", "the milestone is achieved; correct that first")
        if planned_on == self.planned_on:
            raise InvalidInput("planned_on", "is the current plan already")
        self.trigger(Milestone.Replanned(planned_on, reason))

    def retitle(self, *, project: Project, title: str) -> None:
        project.check_open()
        title = checks.text("title", title, max_length=limits.TITLE)
        if title != self.title:
            self.trigger(Milestone.Retitled(title))

    def achieve(self, *, project: Project, achieved_on: date, today: date) -> None:
        project.check_open()
        checks.not_in_future("achieved_on", checks.a_date("achieved_on", achieved_on), today)
        if self.achieved_on is not None:
            raise InvalidInput("achieved_on", "the milestone is achieved already")
        self.trigger(Milestone.Achieved(achieved_on))

    def correct_achievement(
        self, *, project: Project, achieved_on: date | None, reason: str, today: date
    ) -> None:
        project.check_open()
        if achieved_on is not None:
            checks.not_in_future("achieved_on", checks.a_date("achieved_on", achieved_on), today)
        reason = checks.text("reason", reason, max_length=limits.REASON)
        if self.achieved_on is None:
            raise InvalidInput("achieved_on", "the milestone is not achieved; nothing to correct")
        if achieved_on == self.achieved_on:
            raise InvalidInput("achieved_on", "is the recorded date already")
        self.trigger(Milestone.AchievementCorrected(achieved_on, reason))

    def withdraw(self, *, project: Project, reason: str) -> None:
        project.check_open()
        self.trigger(Milestone.Withdrawn(checks.text("reason", reason, max_length=limits.REASON)))
