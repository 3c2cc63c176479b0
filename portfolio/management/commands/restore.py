from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup (manage.py backup) into this empty database and MEDIA_ROOT, then verify"
        " the log, its signed heads, the manifest's log head and every file; exit non-zero on"
        " any break. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the tables of a database that is not empty, unpack over MEDIA_ROOT",
        )

    def handle(self, *args, directory: Path, force: bool, **options):
        try:
            result = restore(directory, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        summary = (
            f"Restored {directory}: {result.events} events checked, {result.heads} signed heads,"
            f" {result.files} media files"
        )
        for line in result.breaks:
            self.stderr.write(line)
        if result.breaks:
            raise CommandError(f"{summary}: {len(result.breaks)} break(s) found")
        self.stdout.write(self.style.SUCCESS(f"{summary}: intact, as the manifest says"))
