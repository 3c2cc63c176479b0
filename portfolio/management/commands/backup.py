from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio.backup import BackupError, back_up


class Command(BaseCommand):
    help = (
        "Back up the whole installation into DIR: pg_dump of the database (the event log, users,"
        " roles, tokens, report requests and the archive's rows), a tar of MEDIA_ROOT (the"
        " archive's files) and a manifest. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, metavar="DIR", help="a new or empty folder")

    def handle(self, *args, directory: Path, **options):
        try:
            manifest = back_up(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        head = manifest["log_head"]
        self.stdout.write(
            f"Backed up {manifest['database']} into {directory}: log head at position"
            f" {head['position']} ({head['hash'][:12]}), {len(manifest['media'])} media files"
        )
