from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio import erasure
from reports import erasure as report_erasure


class Command(BaseCommand):
    help = (
        "Erase a person (GDPR article 17): list every place they appear (a dry run, the"
        " default), or with --confirm erase them. The log keeps its hashes: it names people"
        " by reference, and the reference then reads [slettet]."
    )

    def add_arguments(self, parser):
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--name", help="the person's name as written (any case)")
        who.add_argument("--user", help="the person's user name; their full name is erased too")
        who.add_argument(
            "--replay",
            metavar="JOURNAL",
            help="erase again what the journal records (after restoring an older backup)",
        )
        parser.add_argument("--reason", default="", help="why (kept with the erasure record)")
        parser.add_argument("--by", default="", help="who asks for it (kept with the record)")
        parser.add_argument("--confirm", action="store_true", help="erase; without it, list")

    def handle(self, *args, name, user, replay, reason, by, confirm, **options):
        if replay is not None:
            return self._replay(Path(replay), confirm)
        if name is not None and not name.strip():
            raise CommandError("--name: give the person's name")
        found = erasure.find(name=name, username=user)
        if not found.anything:
            raise CommandError(f"nobody registered as {name or user!r}: nothing to erase")
        reports = report_erasure.naming(found.names)
        self._list(found, reports)
        if not confirm:
            self.stdout.write("Dry run: nothing changed. Add --confirm to erase.")
            return
        if not reason.strip() or not by.strip():
            raise CommandError("--confirm needs --reason and --by: the erasure record keeps both")
        self._erase(found, reports, by, reason)
        account = ", anonymised the user account" if found.user else ""
        self.stdout.write(
            self.style.SUCCESS(
                f"erased {len(found.people)} register entry(ies){account}, re-rendered"
                f" {len(reports)} issued report(s); the log's hashes are unchanged"
            )
        )

    def _erase(self, found, reports, by: str, reason: str) -> None:
        erasure.record(found, by=by, reason=reason)
        erasure.erase(found, by=by, reason=reason, say=self.stderr.write)
        for report in reports:
            report_erasure.redact(report, by=by, reason=reason)

    def _replay(self, journal: Path, confirm: bool) -> None:
        if not journal.is_file():
            raise CommandError(f"--replay: no journal at {journal}")
        try:
            pending = erasure.to_replay(journal)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if not pending:
            self.stdout.write("Every erasure in the journal is done in this database.")
            return
        for found, by, reason in pending:
            self.stdout.write(f"Erased {reason!r} by {by}, not in this database:")
            self._list(found, report_erasure.naming(found.names))
        if not confirm:
            self.stdout.write("Dry run: nothing changed. Add --confirm to erase again.")
            return
        for found, by, reason in pending:
            reports = report_erasure.naming(found.names)
            erasure.erase(found, by=by, reason=reason, say=self.stderr.write)
            for report in reports:
                report_erasure.redact(report, by=by, reason=reason)
        self.stdout.write(self.style.SUCCESS(f"replayed {len(pending)} erasure(s)"))

    def _list(self, found: erasure.Found, reports) -> None:
        say = self.stdout.write
        say(f"Register entries: {len(found.people)}")
        for person in found.people:
            say(f"  {person.id}  {person.key.split(':', 1)[0]}: {person.name}")
        if found.user is not None:
            say(f"User account: {found.user.get_username()} (id {found.user.pk})")
        say(f"Events naming them: {sum(found.events.values())}")
        for (where, event_type), count in sorted(found.events.items()):
            say(f"  {where}: {event_type} x{count}")
        say(f"Issued reports naming them: {len(reports)}")
        for report in reports:
            say(f"  {report.file.name} (issued {report.issued_at:%Y-%m-%d})")
        say(f"Stored API answers naming them: {found.idempotent_answers}")
        say(f"Admin log entries: {found.admin_entries}")
        say(f"Login records: {found.login_records}")
        say("Read models and snapshots: rebuilt from the log after the erasure")
