from django.core.management.base import BaseCommand, CommandError

from portfolio.eventstore.verify import verify_log


class Command(BaseCommand):
    help = "Check every stream's versions and hash chain; exit non-zero on any break."

    def handle(self, *args, **options):
        report = verify_log()
        for line in report.breaks:
            self.stderr.write(line)
        summary = f"{report.events} events in {report.streams} streams checked"
        if not report.ok:
            raise CommandError(f"{summary}: {len(report.breaks)} break(s) found")
        self.stdout.write(self.style.SUCCESS(f"{summary}: all hash chains and versions intact"))
