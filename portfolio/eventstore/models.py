"""The append-only event table and the bookkeeping beside it."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class StoredEvent(models.Model):
    """One event, immutable once written (a database trigger rejects UPDATE and DELETE).

    `recorded_at` is when this system stored the event; it only grows with `position`.
    `known_at` is when the organisation knew the fact: the same as `recorded_at` for live
    events, earlier for history imported from hand-typed pages. As-of reads filter on
    `known_at`; issued reports also pin `position`, so a later import never changes them.
    """

    position = models.BigAutoField(primary_key=True)
    stream_id = models.CharField(max_length=100)
    stream_type = models.CharField(max_length=50)
    # Not PositiveIntegerField: PostgreSQL re-parses a CHECK constraint's expression for every
    # statement that writes the table. eventstore_append numbers the versions itself.
    version = models.IntegerField()
    event_type = models.CharField(max_length=100)
    schema_version = models.SmallIntegerField(default=1)
    data = models.JSONField(encoder=DjangoJSONEncoder)
    metadata = models.JSONField(encoder=DjangoJSONEncoder, default=dict)
    recorded_at = models.DateTimeField()
    known_at = models.DateTimeField()
    hash = models.CharField(max_length=64)

    class Meta:
        db_table = "eventstore_event"
        ordering = ["position"]
        constraints = [
            # On PostgreSQL its index also carries known_at and position (INCLUDE, migration
            # 0007): as-of reads ask for a stream's events after a version and within a point,
            # and the index rejects those beyond the point without fetching their rows.
            models.UniqueConstraint(
                fields=["stream_id", "version"], name="eventstore_event_stream_version"
            ),
        ]
        indexes = [
            models.Index(fields=["stream_type", "position"], name="eventstore_type_pos"),
            models.Index(fields=["known_at"], name="eventstore_known_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.position} {self.stream_id}@{self.version} {self.event_type}"


class ProcessedCommand(models.Model):
    """A command id seen before, with the answer it got, so a retry appends nothing."""

    command_id = models.CharField(max_length=200, primary_key=True)
    stream_id = models.CharField(max_length=100)
    version = models.IntegerField()
    positions = models.JSONField(default=list)
    recorded_at = models.DateTimeField()

    class Meta:
        db_table = "eventstore_command"

    def __str__(self) -> str:
        return self.command_id


class ProjectionCheckpoint(models.Model):
    """The last log position a projection has applied; replays below it are skipped."""

    name = models.CharField(max_length=100, primary_key=True)
    position = models.BigIntegerField(default=0)

    class Meta:
        db_table = "eventstore_checkpoint"

    def __str__(self) -> str:
        return f"{self.name}@{self.position}"


class StoredHead(models.Model):
    """A signed head of the log (a checkpoint), stored as signed; append-only like the events.

    Migration 0012 makes the database refuse UPDATE, DELETE and TRUNCATE here too. The key
    that signed it is never stored: see signing.py.
    """

    format = models.CharField(max_length=40)
    position = models.BigIntegerField()
    hash = models.CharField(max_length=64)
    time = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=100)

    class Meta:
        db_table = "eventstore_signed_head"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"head #{self.position} at {self.time:%Y-%m-%d %H:%M}"


class Person(models.Model):
    """Someone the log names, by reference: see people.py.

    `key` is what a writer's text is matched on ("name:<name>" or "user:<user name>"), so the
    same name gets the same reference. Erasure blanks `name` and `key` and keeps when, by whom
    and why: the row is the record that the person was erased.
    """

    id = models.CharField(max_length=32, primary_key=True)
    key = models.TextField(unique=True)
    name = models.TextField(blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)
    erased_by = models.CharField(max_length=150, blank=True)
    erasure_reason = models.TextField(blank=True)

    class Meta:
        db_table = "eventstore_person"

    def __str__(self) -> str:
        return self.name or f"[erased {self.id}]"


class RehashedHead(models.Model):
    """A signed head's position with the hash it signed and the hash a migration that re-hashed
    the log wrote there, after it checked the old one (migration 0014). Append-only."""

    position = models.BigIntegerField()
    old_hash = models.CharField(max_length=64)
    new_hash = models.CharField(max_length=64)
    migration = models.CharField(max_length=100)

    class Meta:
        db_table = "eventstore_rehashed_head"

    def __str__(self) -> str:
        return f"#{self.position} re-hashed by {self.migration}"
