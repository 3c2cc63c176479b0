"""Export the log as JSON Lines and import it into an empty database, positions and all."""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO

from django.db import connection, transaction

from . import projections, store
from .errors import EventStoreError
from .heads import FORMAT, InvalidHead, SignedHead
from .lock import take_append_lock
from .models import Person, ProcessedCommand, RehashedHead, StoredEvent, StoredHead
from .signing import VERIFY_KEY, verify_key
from .verify import FIELDS, Chains
from .witnesses import head_breaks

COLUMNS = FIELDS  # every stored field
PERSON_FIELDS = ("id", "key", "name", "erased_at", "erased_by", "erasure_reason")
REHASHED_FIELDS = ("position", "old_hash", "new_hash", "migration")


def export_lines(batch_size: int = 5000) -> Iterator[str]:
    """Yield one JSON line per stored event, as stored (not upcast), in position order."""
    after = 0
    while True:
        rows = list(
            StoredEvent.objects.filter(position__gt=after)
            .order_by("position")
            .values(*COLUMNS)[:batch_size]
        )
        if not rows:
            break
        for row in rows:
            row["recorded_at"] = row["recorded_at"].isoformat()
            row["known_at"] = row["known_at"].isoformat()
            yield json.dumps(row, ensure_ascii=False, sort_keys=True)
        after = rows[-1]["position"]
    # The signed heads, so that an import is held to them as verify_events holds the database,
    # and the heads a migration re-hashed (models.RehashedHead).
    for row in StoredHead.objects.order_by("id"):
        yield json.dumps({"head": json.loads(SignedHead.of_row(row).text())}, sort_keys=True)
    for rehashed in RehashedHead.objects.order_by("id").values(*REHASHED_FIELDS):
        yield json.dumps({"rehashed": rehashed}, sort_keys=True)
    # The names the events refer to (people.py): outside the hash chain, as in the database.
    for person in Person.objects.order_by("id").values(*PERSON_FIELDS):
        person["erased_at"] = person["erased_at"] and person["erased_at"].isoformat()
        yield json.dumps({"person": person}, ensure_ascii=False, sort_keys=True)


class _Extras:
    """What an export holds besides the events: people, signed heads and re-hashed heads."""

    def __init__(self):
        self.persons: list[Person] = []
        self.heads: list[tuple[int, SignedHead]] = []  # with their line numbers
        self.rehashed: list[RehashedHead] = []

    def take(self, number: int, row: dict) -> bool:
        """Keep the line if it is one of these; return whether it was."""
        if "person" in row:
            self.persons.append(_person(row["person"]))
        elif "head" in row:
            try:
                self.heads.append((number, SignedHead.parse(json.dumps(row["head"]))))
            except InvalidHead as error:
                raise ValueError(f"not a signed head: {error}") from error
        elif "rehashed" in row:
            fields = row["rehashed"]
            if not isinstance(fields, dict) or set(fields) != set(REHASHED_FIELDS):
                raise ValueError(f"a re-hashed head holds {', '.join(REHASHED_FIELDS)}")
            self.rehashed.append(RehashedHead(**fields))
        else:
            return False
        return True

    def store(self) -> None:
        """Store them after the events, each head held to the imported log and its key."""
        Person.objects.all().delete()
        Person.objects.bulk_create(self.persons, batch_size=1000)
        RehashedHead.objects.bulk_create(self.rehashed)
        key = verify_key()
        for number, head in self.heads:
            if key is None:
                raise EventStoreError(
                    f"line {number}: a signed head, and no key to verify it: set {VERIFY_KEY}"
                    f" (or {VERIFY_KEY}_FILE)"
                )
            breaks = head_breaks("signed head", head, key)
            if breaks:
                raise EventStoreError(f"line {number}: {breaks[0]}")
        StoredHead.objects.bulk_create(
            StoredHead(
                format=FORMAT,
                position=head.position,
                hash=head.hash,
                time=head.time,
                key_id=head.key_id,
                signature=head.signature,
            )
            for _, head in self.heads
        )


def _parse(lines: Iterable[str], extras: _Extras) -> Iterator[StoredEvent]:
    """Yield the events of the lines, each checked as verify_events checks the stored log, and
    put the other lines into `extras`.

    Raise EventStoreError naming the first line that cannot be read, that is out of position
    order, or that breaks the log's hash chain or its stream's versions.
    """
    chains = Chains()
    last_position = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if extras.take(number, row):
                continue
            missing = [c for c in COLUMNS if c not in row]
            if missing:
                raise EventStoreError(f"line {number}: missing {', '.join(missing)}")
            row["recorded_at"] = datetime.fromisoformat(row["recorded_at"])
            row["known_at"] = datetime.fromisoformat(row["known_at"])
        except (ValueError, TypeError) as error:
            raise EventStoreError(f"line {number}: {error}") from error
        if not isinstance(row["position"], int) or row["position"] <= last_position:
            raise EventStoreError(
                f"line {number}: position {row['position']} does not follow {last_position}"
            )
        last_position = row["position"]
        breaks = chains.follow(**{c: row[c] for c in COLUMNS})
        if breaks:
            raise EventStoreError(f"line {number}: {breaks[0]}")
        yield StoredEvent(**{c: row[c] for c in COLUMNS})


def import_lines(lines: Iterable[str] | IO[str], batch_size: int = 2000) -> int:
    """Load exported events into an empty log, rebuild the read models; return the count.

    Every line is checked before the one transaction commits: a file with a bad line, or with
    a signed head the imported log or the verify key does not hold, leaves the database as it
    was.
    """
    count = 0
    with transaction.atomic():
        take_append_lock()
        if StoredEvent.objects.exists():
            raise EventStoreError("the event log is not empty; import only into an empty database")
        batch: list[StoredEvent] = []
        extras = _Extras()
        for event in _parse(lines, extras):
            batch.append(event)
            if len(batch) >= batch_size:
                StoredEvent.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            StoredEvent.objects.bulk_create(batch)
            count += len(batch)
        extras.store()
        _reset_sequence()
        _restore_commands()
        projections.rebuild(store.iter_all())
    return count


def _person(fields: dict) -> Person:
    if not isinstance(fields, dict) or set(fields) != set(PERSON_FIELDS):
        raise ValueError(f"a person line holds {', '.join(PERSON_FIELDS)}")
    erased_at = fields["erased_at"] and datetime.fromisoformat(fields["erased_at"])
    return Person(**{**fields, "erased_at": erased_at})


def _reset_sequence() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('eventstore_event', 'position'),"
                " COALESCE((SELECT MAX(position) FROM eventstore_event), 1))"
            )


def _restore_commands() -> None:
    """Rebuild the idempotency table from the command ids in the events' metadata."""
    ProcessedCommand.objects.all().delete()
    seen: dict[str, ProcessedCommand] = {}
    for event in store.iter_all():
        command_id = event.metadata.get("command_id")
        if not command_id:
            continue
        done = seen.setdefault(
            command_id,
            ProcessedCommand(
                command_id=command_id,
                stream_id=event.stream_id,
                version=event.version,
                positions=[],
                recorded_at=event.recorded_at,
            ),
        )
        done.version = event.version
        done.positions.append(event.position)
    ProcessedCommand.objects.bulk_create(seen.values(), batch_size=1000)
