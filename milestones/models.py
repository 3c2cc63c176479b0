"""The milestone read model, kept by milestones.projections."""

from datetime import date

from django.db import models
from django.db.models import Q

from portfolio.models import LOOSE, Project, Track

from . import limits
from .rules import ACHIEVED, OVERDUE, PLANNED, UNSCHEDULED, state_of


def _state_filter(state: str, day: date) -> Q:
    """Return the condition of `state` on `day`: rules.state_of, written for SQL."""
    pending = Q(achieved_on__isnull=True)
    return {
        ACHIEVED: Q(achieved_on__isnull=False),
        UNSCHEDULED: pending & Q(planned_on__isnull=True),
        OVERDUE: pending & Q(planned_on__lt=day),
        PLANNED: pending & Q(planned_on__gte=day),
    }[state]


class MilestoneQuerySet(models.QuerySet):
    def in_state(self, *states: str, on: date) -> "MilestoneQuerySet":
        """Return the milestones in any of `states`, judged on `on`."""
        condition = Q()
        for state in states:
            condition |= _state_filter(state, on)
        return self.filter(condition) if states else self.none()

    def current(self) -> "MilestoneQuerySet":
        """Return the milestones not withdrawn: those the plan holds."""
        return self.filter(withdrawn=False)


class Milestone(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    project = models.ForeignKey(Project, related_name="milestones", **LOOSE)
    track = models.ForeignKey(Track, null=True, related_name="milestones", **LOOSE)
    title = models.CharField(max_length=limits.TITLE)
    original_plan = models.DateField(null=True)
    planned_on = models.DateField(null=True, db_index=True)
    achieved_on = models.DateField(null=True, db_index=True)
    replan_count = models.PositiveIntegerField(default=0)
    # Withdrawn rows stay: members.members_of lists a project's streams from them for as-of reads.
    withdrawn = models.BooleanField(default=False)
    sequence = models.BigIntegerField()  # log position of its first event: the order planned
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["project", "sequence"]
        # Every project read lists its milestones: from the index alone, not ~66 heap pages.
        indexes = [
            models.Index(fields=["project", "sequence", "id"], name="milestones_project_members")
        ]

    def __str__(self) -> str:
        return self.title

    def state_on(self, day: date) -> str:
        return state_of(self.planned_on, self.achieved_on, day)
