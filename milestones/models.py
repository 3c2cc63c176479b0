"""The milestone read model, kept by milestones.projections."""

from django.db import models

from portfolio.models import LOOSE, Project, Track


class Milestone(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    project = models.ForeignKey(Project, related_name="milestones", **LOOSE)
    track = models.ForeignKey(Track, null=True, related_name="milestones", **LOOSE)
    title = models.CharField(max_length=500)
    original_plan = models.DateField(null=True)
    planned_on = models.DateField(null=True, db_index=True)
    achieved_on = models.DateField(null=True, db_index=True)
    replan_count = models.PositiveIntegerField(default=0)
    sequence = models.BigIntegerField()  # log position of its first event: the order planned
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["project", "sequence"]
        # Every project read lists its milestones: from the index alone, not ~66 heap pages.
        indexes = [
            models.Index(fields=["project", "sequence", "id"], name="milestones_project_members")
        ]

    def __str__(self) -> str:
        return self.title
