"""Keep the milestone read model."""

from datetime import date

from portfolio.eventstore.projections import Projection, Rows, handles

from .models import Milestone
from .rules import original_plan_after


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


class MilestonesProjection(Projection):
    name = "milestones"
    models = (Milestone,)

    def _milestone(self, event, rows: Rows) -> Milestone:
        milestone = rows.get(Milestone, event.stream_id)
        milestone.version = event.version
        milestone.changed_at = event.known_at
        rows.put(milestone)
        return milestone

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
        milestone = self._milestone(event, rows)
        planned_on = _day(event.data["planned_on"])
        milestone.original_plan = original_plan_after(
            milestone.original_plan, milestone.replan_count, planned_on
        )
        milestone.planned_on = planned_on
        milestone.replan_count += 1

    @handles("Milestone.Retitled")
    def retitled(self, event, rows: Rows):
        self._milestone(event, rows).title = event.data["title"]

    @handles("Milestone.Achieved", "Milestone.AchievementCorrected")
    def achieved(self, event, rows: Rows):
        self._milestone(event, rows).achieved_on = _day(event.data["achieved_on"])
