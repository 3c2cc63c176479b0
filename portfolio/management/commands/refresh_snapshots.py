from django.core.management.base import BaseCommand

from portfolio import project_snapshots


class Command(BaseCommand):
    help = (
        "Write the project snapshots that are missing or were written by other code than"
        " today's (after an upgrade that changed how a project is folded or stored), saying how"
        " far it is. Nothing to do is one query. Safe beside running services."
    )

    def handle(self, *args, **options):
        written = project_snapshots.refresh_all(self.stdout.write)
        self.stdout.write(f"Project snapshots written: {written}")
