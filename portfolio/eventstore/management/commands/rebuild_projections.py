import time

from django.core.management.base import BaseCommand, CommandError

from portfolio.eventstore import projections, store


class Command(BaseCommand):
    help = "Drop every read model (or the named ones) and rebuild it from the event log."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help="projection names (default: all)")

    def handle(self, *args, names, **options):
        known = {p.name for p in projections.registered()}
        unknown = sorted(set(names) - known)
        if unknown:
            raise CommandError(
                f"unknown projection(s): {', '.join(unknown)}; known: {sorted(known)}"
            )
        started = time.perf_counter()
        count = projections.rebuild(store.iter_all(), names or None)
        seconds = time.perf_counter() - started
        chosen = ", ".join(names or sorted(known))
        self.stdout.write(
            self.style.SUCCESS(f"rebuilt {chosen} from {count} events in {seconds:.2f} s")
        )
