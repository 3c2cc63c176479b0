from django.core.management.base import BaseCommand, CommandError

from portfolio.eventstore.errors import EventStoreError
from portfolio.eventstore.grants import grant_app_role


class Command(BaseCommand):
    help = (
        "Create (if missing) the PostgreSQL role the application runs as, and grant it SELECT and"
        " INSERT on the event tables and what it needs on the others. Run as the tables' owner,"
        " again after migrations that add tables."
    )

    def add_arguments(self, parser):
        parser.add_argument("role")

    def handle(self, *args, role, **options):
        try:
            created = grant_app_role(role)
        except EventStoreError as error:
            raise CommandError(str(error)) from error
        done = "created and granted" if created else "granted"
        self.stdout.write(
            self.style.SUCCESS(f"role {role} {done}: it may append to the log, not rewrite it")
        )
