"""The risk register's read model, kept by risks.projections."""

from django.db import models

from portfolio.models import LOOSE, Project, Track

from . import limits


class RiskQuerySet(models.QuerySet):
    def current(self) -> "RiskQuerySet":
        """Return the risks not withdrawn: those the register holds."""
        return self.filter(withdrawn=False)


class Risk(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    project = models.ForeignKey(Project, related_name="risks", **LOOSE)
    track = models.ForeignKey(Track, null=True, related_name="risks", **LOOSE)
    title = models.CharField(max_length=limits.TITLE)
    description = models.TextField(blank=True)
    probability = models.PositiveSmallIntegerField(null=True)
    impact = models.PositiveSmallIntegerField(null=True)
    owner = models.CharField(max_length=limits.OWNER, blank=True)
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=20, default="open", db_index=True)
    assessments = models.PositiveIntegerField(default=1)
    # Withdrawn rows stay: members.members_of lists a project's streams from them for as-of reads.
    withdrawn = models.BooleanField(default=False)
    sequence = models.BigIntegerField()
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField()

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["project", "sequence"]
        # Every project read lists its risks: from the index alone, not ~43 heap pages.
        indexes = [models.Index(fields=["project", "sequence", "id"], name="risks_project_members")]

    def __str__(self) -> str:
        return self.title

    @property
    def score(self) -> int | None:
        """Probability times impact, as the aggregate's `score` (None until both are known)."""
        return self.probability * self.impact if self.probability and self.impact else None
