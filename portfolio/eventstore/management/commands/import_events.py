from django.core.management.base import BaseCommand, CommandError

from portfolio.eventstore.errors import EventStoreError
from portfolio.eventstore.transfer import import_lines


class Command(BaseCommand):
    help = "Load events exported by export_events into an empty database and rebuild read models."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as lines:
                count = import_lines(lines)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        except EventStoreError as error:
            raise CommandError(f"nothing imported: {error}") from error
        self.stdout.write(self.style.SUCCESS(f"imported {count} events from {file}"))
