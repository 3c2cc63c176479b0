"""Keep the milestone read model."""

from datetime import date

from portfolio.eventstore.projections import Projection, Rows, handles, touched

from .models import Milestone
from .rules import original_plan_after


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class MilestonesProjection(Projection):
    name = "milestones"
    models = (Milestone,)

    @handles("Milestone.Planned")
    def planned(self, event, rows: Rows):
        data = event.data
        rows.add(
            Milestone,
            id=event.stream_id,
            project_id=data["project_id"],
            track_id=data["track_id"] or None,
            title=data["title"],
            original_plan=_day(data["planned_on"]),
            planned_on=_day(data["planned_on"]),
            sequence=event.position,
            version=event.version,
            changed_at=event.known_at,
        )

    @handles("Milestone.Replanned")
    def replanned(self, event, rows: Rows):
        milestone = touched(rows, Milestone, event)
        planned_on = _day(event.data["planned_on"])
        milestone.original_plan = original_plan_after(
            milestone.original_plan, milestone.replan_count, planned_on
        )
        milestone.planned_on = planned_on
        milestone.replan_count += 1

    @handles("Milestone.Retitled")
    def retitled(self, event, rows: Rows):
        touched(rows, Milestone, event).title = event.data["title"]

    @handles("Milestone.Achieved", "Milestone.AchievementCorrected")
    def achieved(self, event, rows: Rows):
        touched(rows, Milestone, event).achieved_on = _day(event.data["achieved_on"])

    @handles("Milestone.Withdrawn")
    def withdrawn(self, event, rows: Rows):
        touched(rows, Milestone, event).withdrawn = True
