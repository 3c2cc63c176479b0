"""The person register: the log names people by reference, the register holds their names.

An event's hash covers what the log stores, so a name in the log could never be erased without
breaking the chain. Instead the store writes a reference where an event names a person, and
keeps the name in `Person`, outside the chain. Erasing a person blanks their row; every
reference to it then reads as "[slettet]", and every hash still holds.

Where a person is named:
- fields an event class declares in `names` (a person's name, or a list of names) or
  `usernames` (user names), and the acting user in every event's metadata;
- free text where the writer marked a name as `@[Name]`.

The log stores "@person:<id>" for a field and "@[person:<id>]" for a marked name; readers get
the name back (a marked one as `@[Name]`, which rich text shows as the bare name).
"""

import json
import re
import uuid
from collections.abc import Iterable, Sequence

from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext

from . import replicas
from .aggregate import people_fields
from .models import Person

# A reference, as a field's whole value or a marked name in text: group 1 or 2 is the id.
REFERENCE = re.compile(r"@\[person:([0-9a-f]{32})\]|@person:([0-9a-f]{32})")
MARKED = re.compile(r"@\[([^\[\]\n]{1,200})\]")  # what a writer types: @[Name]
_HINT = "person:"  # in every reference: a text without it needs no look


def erased_text() -> str:
    return gettext("[erased]")


def name_key(name: str) -> str:
    return f"name:{name}"


def user_key(username: str) -> str:
    return f"user:{username}"


# --- writing ---------------------------------------------------------------------------------


class _Wanted:
    """The people one append names, by register key, each with the name to register."""

    def __init__(self):
        self.names: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    def want(self, key: str, name: str) -> None:
        self.names.setdefault(key, name)

    def fields(self, value, keyed) -> None:
        for text in _texts(value):
            self.want(keyed(text), text)

    def marked(self, value) -> None:
        for text in _strings(value):
            if "@[" in text:
                for name in MARKED.findall(text):
                    self.want(name_key(name), name)


def _texts(value) -> list[str]:
    """The non-empty texts of a field that names people: a text or a list of texts."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str) and v]
    return []


def _strings(value) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def references(events: Sequence[tuple[str, dict]], metadata: dict, *, remembered=True):
    """Return the events' data and the metadata with every person named replaced by a
    reference, registering people not seen before; {id: name} of those named; and
    {id: key} of the ids taken from this process's memory, which the append must confirm.

    `events` holds (event type, data) pairs. Data and metadata are not changed in place.
    """
    wanted = _Wanted()
    actor = metadata.get("actor")
    if isinstance(actor, str) and actor:
        wanted.want(user_key(actor), actor)
    wanted.marked(metadata.get("reason"))
    for event_type, data in events:
        names, usernames = people_fields(event_type)
        for field in names:
            wanted.fields(data.get(field), name_key)
        for field in usernames:
            wanted.fields(data.get(field), user_key)
        wanted.marked(data)
    if not wanted.names:
        return [data for _, data in events], metadata, {}, {}
    ids, vouched = _ids(wanted.names, remembered)

    def field(value, keyed):
        if isinstance(value, str):
            return f"@person:{ids[keyed(value)]}" if value else value
        if isinstance(value, list | tuple):
            return [field(v, keyed) if isinstance(v, str) else v for v in value]
        return value

    def marked(value):
        if isinstance(value, str):
            if "@[" not in value:
                return value
            return MARKED.sub(lambda m: f"@[person:{ids[name_key(m.group(1))]}]", value)
        if isinstance(value, dict):
            return {key: marked(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [marked(item) for item in value]
        return value

    stored = []
    for event_type, data in events:
        data = marked(data)
        names, usernames = people_fields(event_type)
        for name in names:
            if name in data:
                data[name] = field(data[name], name_key)
        for name in usernames:
            if name in data:
                data[name] = field(data[name], user_key)
        stored.append(data)
    metadata = dict(metadata)
    if "reason" in metadata:
        metadata["reason"] = marked(metadata["reason"])
    if isinstance(actor, str) and actor:
        metadata["actor"] = f"@person:{ids[user_key(actor)]}"
    names = {ids[key]: name for key, name in wanted.names.items()}
    return stored, metadata, names, vouched


# This process's memory of the register, key -> id, so that an append naming someone met before
# needs no look in the register. A remembered id can be stale: erasure changes the person's key
# (in any process), and a registration can roll back. So the append confirms each remembered id
# against its key in its own statement and raises Forgotten if one no longer holds; store.append
# then forgets and looks the people up afresh.
_memory: dict[str, str] = {}
_MEMORY_SIZE = 10_000


class Forgotten(Exception):
    """A remembered id no longer stands for its key: nothing was appended."""


def forget() -> None:
    _memory.clear()


def _ids(names: dict[str, str], remembered: bool) -> tuple[dict[str, str], dict[str, str]]:
    """Return the id of each key in `names` and {id: key} of those taken from memory."""
    ids = {key: _memory[key] for key in names if key in _memory} if remembered else {}
    vouched = {i: key for key, i in ids.items()}
    missing = {key: name for key, name in names.items() if key not in ids}
    if missing:
        found = register(missing)
        if len(_memory) + len(found) > _MEMORY_SIZE:
            _memory.clear()
        _memory.update(found)
        ids |= found
    return ids, vouched


def still_named(vouched: dict[str, str]) -> bool:
    """Whether each id in {id: key} is still registered under its key (the portable append's
    check; PostgreSQL's append function makes it in its own statement)."""
    if not vouched:
        return True
    held = Person.objects.filter(id__in=vouched, key__in=vouched.values()).values_list("id", "key")
    return len({i for i, key in held if vouched[i] == key}) == len(vouched)


def register(names: dict[str, str]) -> dict[str, str]:
    """Return the id of the person under each key, registering (key, name) where none is."""
    found = dict(Person.objects.filter(key__in=names).values_list("key", "id"))
    missing = [key for key in names if key not in found]
    if missing:
        # A concurrent append may register the same key: the database keeps one, and the
        # second read finds it (PostgreSQL waits for the other's commit on the unique key).
        Person.objects.bulk_create(
            [Person(id=uuid.uuid4().hex, key=key, name=names[key]) for key in missing],
            ignore_conflicts=True,
        )
        found |= dict(Person.objects.filter(key__in=missing).values_list("key", "id"))
    return found


# --- reading ---------------------------------------------------------------------------------


def _ids_in(text: str) -> set[str]:
    return {a or b for a, b in REFERENCE.findall(text)}


def names_of(ids: Iterable[str]) -> dict[str, str]:
    """Return {id: name} for these people; an erased or unknown one reads as "[erased]".

    Plain SQL: every read that replays events asks it, and composing the queryset cost twice
    the query. It follows the replica router as the ORM would (replicas.read_alias).
    """
    ids = sorted(set(ids))
    if not ids:
        return {}
    db = connections[replicas.read_alias()]
    table = db.ops.quote_name(Person._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    with db.cursor() as cursor:
        cursor.execute(
            f"SELECT id, name FROM {table} WHERE erased_at IS NULL AND id IN ({marks})",  # noqa: S608
            ids,
        )
        known = dict(cursor.fetchall())
    erased = erased_text()
    return {i: known.get(i, erased) for i in ids}


class Revealer:
    """Gives back the names in the values and JSON texts of one read, {id: name} known.

    A replay reveals an actor's reference in every event they wrote, so each distinct text is
    revealed once, and "[erased]" is translated once.
    """

    def __init__(self, names: dict[str, str]):
        self.names = names
        self.erased = erased_text()
        self._texts: dict[str, str] = {}

    def _swap(self, match: re.Match, escape) -> str:
        if match.group(1):  # a marked name keeps its mark, unless it is gone
            name = self.names.get(match.group(1), self.erased)
            return self.erased if name == self.erased else f"@[{escape(name)}]"
        return escape(self.names.get(match.group(2), self.erased))

    def text(self, text: str) -> str:
        done = self._texts.get(text)
        if done is None:
            done = self._texts[text] = REFERENCE.sub(lambda m: self._swap(m, str), text)
        return done

    def json(self, text):
        """Return JSON text with each reference replaced by the name (escaped for JSON)."""
        if isinstance(text, bytes):
            text = text.decode()
        return REFERENCE.sub(lambda m: self._swap(m, _json_escape), text)

    def value(self, value):
        """Return a decoded JSON value with each reference replaced by the name."""
        kind = type(value)
        if kind is str:
            return self.text(value) if _HINT in value else value
        if kind is dict:
            return {key: self.value(item) for key, item in value.items()}
        if kind is list:
            return [self.value(item) for item in value]
        return value


def _json_escape(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)[1:-1]


def reveal_rows(rows: list[tuple], columns: Sequence[int]) -> list[tuple]:
    """Return raw rows with the JSON text in `columns` revealed, with one register query."""
    ids = set()
    for row in rows:
        for column in columns:
            text = row[column]
            if isinstance(text, str | bytes):
                if _has_hint(text):
                    ids |= _ids_in(text if isinstance(text, str) else text.decode())
            elif text is not None:
                ids |= ids_in_value(text)
    if not ids:
        return rows
    revealer = Revealer(names_of(ids))
    revealed = []
    for row in rows:
        row = list(row)
        for column in columns:
            text = row[column]
            if isinstance(text, str | bytes) and _has_hint(text):
                row[column] = revealer.json(text)
            elif text is not None and not isinstance(text, str | bytes):
                row[column] = revealer.value(text)
        revealed.append(tuple(row))
    return revealed


def _has_hint(text) -> bool:
    return (_HINT in text) if isinstance(text, str) else (b"person:" in text)


def ids_in_value(value) -> set[str]:
    return {i for text in _strings(value) if _HINT in text for i in _ids_in(text)}


# --- erasing ---------------------------------------------------------------------------------


def find(*, name: str | None = None, username: str | None = None) -> list[Person]:
    """Return the people registered under this name (any case) or user name, not erased."""
    people = Person.objects.filter(erased_at__isnull=True)
    if username is not None:
        return list(people.filter(key=user_key(username)))
    return list(people.filter(key__startswith="name:", name__iexact=name))


def erase(people: Iterable[Person], *, by: str, reason: str) -> None:
    """Blank these people's names and keys, keeping when, by whom and why."""
    now = timezone.now()
    forget()  # other processes find out in their next append (Forgotten)
    for person in people:
        person.key = f"erased:{person.id}"
        person.name = ""
        person.erased_at, person.erased_by, person.erasure_reason = now, by, reason
        person.save()


class Later:
    """People to reveal in events decoded while their rows still streamed in, when the
    connection is free again to look them up: rows are noted as they come, by their place in
    the list of events decoded from them."""

    def __init__(self):
        self._ids: set[str] = set()
        self._data: list[int] = []  # places of events whose data holds a reference
        self._meta: list[int] = []
        self._count = 0

    def note(self, rows: list[tuple], data_column: int, meta_column: int) -> None:
        last_meta, last_had = None, False
        for place, row in enumerate(rows, start=self._count):
            data, meta = row[data_column], row[meta_column]
            if _has_hint(data):
                self._ids |= _ids_in(data if isinstance(data, str) else data.decode())
                self._data.append(place)
            if meta != last_meta:  # one append's events share their metadata text
                last_meta, last_had = meta, _has_hint(meta)
                if last_had:
                    self._ids |= _ids_in(meta if isinstance(meta, str) else meta.decode())
            if last_had:
                self._meta.append(place)
        self._count += len(rows)

    def reveal(self, events: list) -> list:
        if not self._ids:
            return events
        revealer = Revealer(names_of(self._ids))
        for place in self._data:
            events[place].data = revealer.value(events[place].data)
        revealed: dict[int, dict] = {}  # by the shared dict's identity
        for place in self._meta:
            meta = events[place].metadata
            done = revealed.get(id(meta))
            if done is None:
                done = revealed[id(meta)] = revealer.value(meta)
            events[place].metadata = done
        return events
