"""People's names move out of the log into the person register; the log is re-hashed once.

Before: events held names (the project leader, the steering group, risk owners, the project
managers and, in every event's metadata, the acting user), under the hash chain, so erasing a
person would break it. After: the log holds references ("@person:<id>") and the register
(eventstore_person, 0013) holds the names, outside the chain (people.py).

Like 0011, the migration first checks every stored hash and refuses a log that fails it. Then it
registers each name, rewrites each event's data and metadata with references, computes every
hash anew in position order (the same formula as 0011), and writes them all with one UPDATE
past the trigger that refuses updates, inside this migration's transaction. Which fields name
people is frozen here, as the formula is: later changes to the event classes must not change
what this migration wrote.

Heads signed before it (0012) signed old hashes. The migration keeps, for each stored head, the
old and the new hash at its position (eventstore_rehashed_head, refused UPDATE and DELETE), so
a head signed before, stored or carried by an issued report, still proves the log up to its
position: the old hash was checked here before it was replaced (witnesses.log_break).

Backwards it refuses: the names would have to go back into the log, which is what erasure
promises never to need.
"""

import importlib
import json
import uuid

from django.db import migrations, models

chain = importlib.import_module("portfolio.eventstore.migrations.0011_global_hash_chain")

# event type -> (fields holding names, fields holding user names), as at this migration
PEOPLE_FIELDS = {
    "Project.Created": ((), ("managers",)),
    "Project.LeaderNamed": (("project_leader",), ()),
    "Project.SteeringGroupNamed": (("members",), ()),
    "Project.ManagersAssigned": ((), ("managers",)),
    "Risk.Raised": (("owner",), ()),
    "Risk.Revised": (("owner",), ()),
}

IMMUTABLE = """
CREATE FUNCTION eventstore_reject_rehashed_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the record of re-hashed heads is immutable: % is not allowed', TG_OP
        USING ERRCODE = 'raise_exception';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER eventstore_rehashed_head_immutable
    BEFORE UPDATE OR DELETE ON eventstore_rehashed_head
    FOR EACH ROW EXECUTE FUNCTION eventstore_reject_rehashed_change();
CREATE TRIGGER eventstore_rehashed_head_no_truncate
    BEFORE TRUNCATE ON eventstore_rehashed_head
    FOR EACH STATEMENT EXECUTE FUNCTION eventstore_reject_rehashed_change();
"""
SQLITE_IMMUTABLE = [
    """CREATE TRIGGER eventstore_rehashed_head_no_update BEFORE UPDATE ON eventstore_rehashed_head
       BEGIN SELECT RAISE(ABORT, 'the record of re-hashed heads is immutable'); END""",
    """CREATE TRIGGER eventstore_rehashed_head_no_delete BEFORE DELETE ON eventstore_rehashed_head
       BEGIN SELECT RAISE(ABORT, 'the record of re-hashed heads is immutable'); END""",
]


class Register:
    """The people met so far, by key, as people.py keys them at this migration."""

    def __init__(self, cursor):
        cursor.execute("SELECT key, id FROM eventstore_person")
        self.ids = dict(cursor.fetchall())
        self.new: list[tuple[str, str, str]] = []

    def reference(self, key: str, name: str) -> str:
        if key not in self.ids:
            self.ids[key] = uuid.uuid4().hex
            self.new.append((self.ids[key], key, name))
        return f"@person:{self.ids[key]}"

    def field(self, value, prefix: str):
        if isinstance(value, str):
            if not value or value.startswith("@person:"):  # empty, or a reference already
                return value
            return self.reference(prefix + value, value)
        if isinstance(value, list):
            return [self.field(v, prefix) if isinstance(v, str) else v for v in value]
        return value


def _without_names(event: dict, register: Register) -> bool:
    """Replace the names in the event's data and metadata by references; whether any was."""
    changed = False
    names, usernames = PEOPLE_FIELDS.get(event["event_type"], ((), ()))
    data = dict(event["data"])
    for fields, prefix in ((names, "name:"), (usernames, "user:")):
        for field in fields:
            if field in data and data[field] != (new := register.field(data[field], prefix)):
                data[field], changed = new, True
    metadata = dict(event["metadata"])
    actor = metadata.get("actor")
    if isinstance(actor, str) and actor and not actor.startswith("@person:"):
        metadata["actor"], changed = register.reference("user:" + actor, actor), True
    event["data"], event["metadata"] = data, metadata
    return changed


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        if vendor == "postgresql":  # no append while the log is rewritten
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [chain.plainer.APPEND_LOCK_KEY])
        register = Register(cursor)
        stored, new = chain.LogChain(), chain.LogChain()
        rewritten, hashes, count = [], {}, 0
        for event in chain._events(cursor):
            if stored.next(event) != event["hash"]:
                raise RuntimeError(
                    f"position {event['position']} (stream {event['stream_id']} version"
                    f" {event['version']}) does not match its hash: the log was altered, so"
                    " it is not rewritten (nothing changed). Run verify_events first."
                )
            count += 1
            old_hash = event["hash"]
            changed = _without_names(event, register)
            event["hash"] = new.next(event)
            hashes[event["position"]] = (old_hash, event["hash"])
            if changed or event["hash"] != old_hash:
                rewritten.append(
                    (
                        event["position"],
                        json.dumps(event["data"]),
                        json.dumps(event["metadata"]),
                        event["hash"],
                    )
                )
        cursor.executemany(
            "INSERT INTO eventstore_person (id, key, name, erased_by, erasure_reason)"
            " VALUES (%s, %s, %s, '', '')",
            register.new,
        )
        _write(cursor, vendor, rewritten)
        _keep_heads(cursor, hashes)
    if count:
        print(
            f"\n  moved {len(register.new)} people's names into the person register and"
            f" re-hashed {count} events ({len(rewritten)} rewritten)"
        )


def _write(cursor, vendor: str, rows: list[tuple]) -> None:
    if not rows:
        return
    cursor.execute(
        "CREATE TEMPORARY TABLE eventstore_rewrite"
        " (position bigint NOT NULL, data text, metadata text, hash varchar(64))"
    )
    if vendor == "postgresql":
        columns = "eventstore_rewrite (position, data, metadata, hash)"
        with cursor.cursor.copy(f"COPY {columns} FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("ANALYZE eventstore_rewrite")
    else:
        cursor.executemany(
            "INSERT INTO eventstore_rewrite (position, data, metadata, hash)"
            " VALUES (%s, %s, %s, %s)",
            rows,
        )
    cast = "::jsonb" if vendor == "postgresql" else ""
    update = (
        f"UPDATE eventstore_event SET data = r.data{cast}, metadata = r.metadata{cast},"
        " hash = r.hash FROM eventstore_rewrite r WHERE eventstore_event.position = r.position"
    )
    if vendor == "postgresql":
        cursor.execute(chain.POSTGRES_TRIGGER.format("DISABLE"))
        cursor.execute(update)
        cursor.execute(chain.POSTGRES_TRIGGER.format("ENABLE"))
    else:
        cursor.execute("DROP TRIGGER eventstore_event_no_update")
        cursor.execute(update)
        cursor.execute(chain.SQLITE_UPDATE_TRIGGER)
    cursor.execute("DROP TABLE eventstore_rewrite")


def _keep_heads(cursor, hashes: dict[int, tuple[str, str]]) -> None:
    cursor.execute("SELECT DISTINCT position, hash FROM eventstore_signed_head")
    kept = []
    for position, signed in cursor.fetchall():
        old, new = hashes.get(position, (None, None))
        if old == signed and new != old:
            kept.append((position, old, new))
    cursor.executemany(
        "INSERT INTO eventstore_rehashed_head (position, old_hash, new_hash, migration)"
        " VALUES (%s, %s, %s, '0014_people_out_of_the_log')",
        kept,
    )


def backwards(apps, schema_editor):
    raise RuntimeError(
        "0014 moved people's names out of the log; it does not put them back (see its docstring)"
    )


def immutable(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(IMMUTABLE, params=None)
    else:
        for statement in SQLITE_IMMUTABLE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("eventstore", "0013_person_register")]

    operations = [
        migrations.CreateModel(
            name="RehashedHead",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("position", models.BigIntegerField()),
                ("old_hash", models.CharField(max_length=64)),
                ("new_hash", models.CharField(max_length=64)),
                ("migration", models.CharField(max_length=100)),
            ],
            options={"db_table": "eventstore_rehashed_head"},
        ),
        migrations.RunPython(immutable, migrations.RunPython.noop),
        migrations.RunPython(forwards, backwards),
    ]
