"""Erasing a person (GDPR article 17) without breaking the log's hash chains.

The log names people by reference (eventstore/people.py), so erasing one blanks their row in
the person register; everything else that held their name is derived or bookkeeping and is
rebuilt or removed here: the read models and snapshots (rebuilt from the log, where the name
now reads "[slettet]"), their user account (kept, anonymised, so what it did still links up),
its sessions and login records, stored idempotent answers and admin log entries naming them.
Issued reports are the reports app's part (reports/erasure.py).
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .api_platform.models import IdempotentResponse
from .eventstore import people, projections, store
from .eventstore.models import Person
from .members import members_of
from .models import Project as ProjectRow
from .models import ProjectSnapshot


@dataclass
class Found:
    """Everywhere a person appears, before they are erased."""

    people: list[Person]
    user: object | None = None  # their user account, when erased by user name
    events: Counter = field(default_factory=Counter)  # (project or stream, event type) -> n
    idempotent_answers: int = 0
    admin_entries: int = 0
    login_records: int = 0

    @property
    def names(self) -> list[str]:
        """The names and user names the person went by: what derived texts are searched for."""
        return sorted({p.name for p in self.people if p.name})

    @property
    def anything(self) -> bool:
        return bool(self.people or self.user)


def find(*, name: str | None = None, username: str | None = None) -> Found:
    """Return every place the person named (any case) or with this user name appears."""
    if username is not None:
        user = get_user_model().objects.filter(username=username).first()
        found = Found(people.find(username=username), user)
        full_name = user.get_full_name() if user is not None else ""
        if full_name:
            found.people += people.find(name=full_name)
    else:
        found = Found(people.find(name=name))
    found.events = _events_naming(found.people)
    texts = found.names
    if texts:
        found.idempotent_answers = IdempotentResponse.objects.filter(
            _mentioning("body", texts)
        ).count()
        found.admin_entries = _admin_entries(found).count()
    found.login_records = sum(model.objects.filter(username__in=texts).count() for model in _axes())
    return found


def _events_naming(persons: list[Person]) -> Counter:
    """Count the events referring to these people, by project and event type."""
    counts: Counter = Counter()
    if not persons:
        return counts
    slugs = dict(ProjectRow.objects.values_list("id", "slug"))
    project_of = {pid: pid for pid in slugs}
    for pid, streams in members_of(list(slugs)).items():
        project_of.update((stream, pid) for stream in streams)
    with connection.cursor() as cursor:
        for person in persons:
            pattern = f"%person:{person.id}%"
            cursor.execute(
                "SELECT stream_id, event_type FROM eventstore_event"
                " WHERE CAST(data AS text) LIKE %s OR CAST(metadata AS text) LIKE %s",
                [pattern, pattern],
            )
            for stream_id, event_type in cursor.fetchall():
                where = slugs.get(project_of.get(stream_id), f"stream {stream_id}")
                counts[(where, event_type)] += 1
    return counts


def _mentioning(field: str, texts: list[str]) -> Q:
    """Return a filter for rows whose `field` holds any of `texts` (any case)."""
    match = Q()
    for text in texts:
        match |= Q(**{f"{field}__icontains": text})
    return match


def _admin_entries(found: Found):
    entries = _mentioning("object_repr", found.names) | _mentioning("change_message", found.names)
    if found.user is not None:
        entries |= Q(user=found.user)
    return LogEntry.objects.filter(entries) if entries else LogEntry.objects.none()


def _axes():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return (AccessAttempt, AccessFailureLog, AccessLog)


def erase(found: Found, *, by: str, reason: str, say=lambda line: None) -> None:
    """Erase the person: blank them in the register, anonymise their account, remove what
    names them, and rebuild the read models from the log."""
    texts = found.names
    with transaction.atomic():
        people.erase(found.people, by=by, reason=reason)
        if found.user is not None:
            _anonymise(found.user)
        for model in _axes():
            model.objects.filter(username__in=texts).delete()
        if texts:
            IdempotentResponse.objects.filter(_mentioning("body", texts)).delete()
            _admin_entries(found).delete()
            # Snapshots are a cache the rebuild keeps while the log is the same: these hold
            # the names as folded, so they go, and the rebuild writes them anew.
            ProjectSnapshot.objects.filter(_mentioning("state", texts)).delete()
    say("rebuilding the read models from the log")
    projections.rebuild(store.iter_all(), say=say)


def _anonymise(user) -> None:
    """Keep the account (its id ties what it did together), without anything that names it."""
    user.username = f"slettet-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = False
    user.set_unusable_password()
    user.save()
    for session in Session.objects.all():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


def record(found: Found, *, by: str, reason: str) -> None:
    """Append the erasure to the journal (settings.ERASURE_JOURNAL): register ids and the
    account's id, when, by whom and why; no names, so it may be kept beside every backup."""
    path = Path(settings.ERASURE_JOURNAL)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "people": sorted(p.id for p in found.people),
        "user": found.user.pk if found.user is not None else None,
        "at": timezone.now().isoformat(),
        "by": by,
        "reason": reason,
    }
    with path.open("a", encoding="utf-8") as journal:
        journal.write(json.dumps(line, ensure_ascii=False) + "\n")


def to_replay(path: Path) -> list[tuple[Found, str, str]]:
    """Return the journal's erasures that this database has not (yet, or any more) done: after
    a restore from a backup taken before them, each with who erased and why."""
    user_model = get_user_model()
    pending = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            ids, user_id, by, reason = entry["people"], entry["user"], entry["by"], entry["reason"]
        except (ValueError, KeyError, TypeError) as error:
            raise ValueError(f"{path}: line {number} is not an erasure record ({error})") from None
        user = user_model.objects.filter(pk=user_id).exclude(username=f"slettet-{user_id}").first()
        found = Found(list(Person.objects.filter(id__in=ids, erased_at__isnull=True)), user)
        if found.anything:
            found.events = _events_naming(found.people)
            pending.append((found, by, reason))
    return pending
