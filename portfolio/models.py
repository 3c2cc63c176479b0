"""Read models of the portfolio, kept by portfolio.projections; nothing else writes them.

Foreign keys carry no database constraint so a projection can be dropped and rebuilt in any
order; they exist so reads can join.
"""

from django.db import models

from . import limits

LOOSE = {"on_delete": models.DO_NOTHING, "db_constraint": False}


class Area(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    slug = models.SlugField(max_length=limits.SLUG, unique=True)
    name = models.CharField(max_length=limits.AREA_NAME)
    version = models.PositiveIntegerField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    slug = models.SlugField(max_length=limits.SLUG, unique=True)
    title = models.CharField(max_length=limits.PROJECT_TITLE)
    area = models.ForeignKey(Area, related_name="projects", **LOOSE)
    project_leader = models.CharField(max_length=limits.PROJECT_LEADER, blank=True)
    purpose = models.TextField(blank=True)
    read_more_label = models.CharField(max_length=limits.READ_MORE_LABEL, blank=True)
    read_more_url = models.CharField(max_length=limits.READ_MORE_URL, blank=True)
    read_more_note = models.CharField(max_length=limits.READ_MORE_NOTE, blank=True)
    participants = models.JSONField(default=list)
    suppliers = models.JSONField(default=list)
    steering_group = models.JSONField(default=list)
    managers = models.JSONField(default=list)
    milestone_note = models.TextField(blank=True)
    closed = models.BooleanField(default=False)
    version = models.PositiveIntegerField()
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Track(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    project = models.ForeignKey(Project, related_name="tracks", **LOOSE)
    name = models.CharField(max_length=limits.TRACK_NAME)
    title = models.CharField(max_length=limits.TRACK_TITLE, blank=True)
    monitoring_note = models.TextField(blank=True)
    order = models.PositiveIntegerField()

    class Meta:
        ordering = ["project", "order"]

    def __str__(self) -> str:
        return self.name


class Status(models.Model):
    """A project's current status for one track (or for the whole project: track is null)."""

    id = models.CharField(max_length=80, primary_key=True)  # "<project id>/<track id or ''>"
    project = models.ForeignKey(Project, related_name="statuses", **LOOSE)
    track = models.ForeignKey(Track, null=True, related_name="+", **LOOSE)
    rating = models.CharField(max_length=20, blank=True)
    narrative = models.TextField(blank=True)
    reported_on = models.DateField(null=True)
    biggest_risk_id = models.CharField(max_length=36, blank=True)

    def __str__(self) -> str:
        return self.id


class Decision(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    project = models.ForeignKey(Project, related_name="decisions", **LOOSE)
    meeting_on = models.DateField()
    text = models.TextField()
    affects = models.JSONField(default=list)
    recorded_by = models.CharField(max_length=150)
    known_at = models.DateTimeField()

    class Meta:
        ordering = ["-meeting_on", "-known_at"]

    def __str__(self) -> str:
        return f"{self.meeting_on}: {self.text[:40]}"


class KpiSeries(models.Model):
    id = models.CharField(max_length=36, primary_key=True)
    project = models.ForeignKey(Project, related_name="kpis", **LOOSE)
    track = models.ForeignKey(Track, null=True, related_name="+", **LOOSE)
    name = models.CharField(max_length=limits.KPI_NAME)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=limits.KPI_UNIT, blank=True)
    denominator = models.PositiveIntegerField(null=True)
    denominator_label = models.CharField(max_length=limits.KPI_DENOMINATOR_LABEL, blank=True)
    remark = models.TextField(blank=True)
    sequence = models.BigIntegerField(default=0)  # log position of its first event
    version = models.PositiveIntegerField()

    def __str__(self) -> str:
        return self.name


class KpiPoint(models.Model):
    id = models.CharField(max_length=60, primary_key=True)  # "<series id>/<ISO date>"
    series = models.ForeignKey(KpiSeries, related_name="points", **LOOSE)
    measured_on = models.DateField()
    value = models.DecimalField(max_digits=20, decimal_places=6)
    source = models.CharField(max_length=limits.KPI_SOURCE, blank=True)

    class Meta:
        ordering = ["series", "measured_on"]

    def __str__(self) -> str:
        return self.id


class ProjectSnapshot(models.Model):
    """Cache: every stream of a project folded as of its `events`-th event (see
    portfolio.project_snapshots); valid for a point that includes its position and known_at."""

    id = models.CharField(max_length=60, primary_key=True)  # "<project id>/<events>"
    project_id = models.CharField(max_length=36)
    events = models.PositiveIntegerField()  # the project's events folded into it
    position = models.BigIntegerField()  # the highest log position folded
    known_at = models.DateTimeField()  # the latest known_at folded (not that of the last)
    state = models.TextField()  # the aggregates, as JSON (eventstore.state_json)
    # {stream type: the code version of its aggregate class when written}: entries of another
    # version are not read (eventstore.code_version)
    versions = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["project_id", "position"], name="portfolio_projsnap_pos")]

    def __str__(self) -> str:
        return self.id


class ProjectEventCount(models.Model):
    """How many events a project's streams hold (every EVERY-th one takes a snapshot), and where
    those after the last full ProjectEventChunk sit in the log."""

    project_id = models.CharField(max_length=36, primary_key=True)
    events = models.PositiveIntegerField()
    recent = models.JSONField(default=list)  # [[position, known_at in µs since 1970], ...]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.events}"


class ProjectEventChunk(models.Model):
    """Index: where EVERY events of a project sit in the log, so an as-of read finds the events
    after a snapshot in a row or two rather than by probing each of the project's streams."""

    id = models.CharField(max_length=60, primary_key=True)  # "<project id>/<events before>"
    project_id = models.CharField(max_length=36)
    first_position = models.BigIntegerField()
    last_position = models.BigIntegerField()
    earliest = models.DateTimeField()  # the lowest known_at among them (imports back-date)
    entries = models.JSONField()  # [[position, known_at in µs since 1970], ...] in log order

    class Meta:
        indexes = [
            models.Index(fields=["project_id", "last_position"], name="portfolio_projchunk_pos")
        ]

    def __str__(self) -> str:
        return self.id
