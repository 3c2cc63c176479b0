import time
from collections.abc import Iterable, Iterator

from django.core.management.base import BaseCommand, CommandError

from portfolio.eventstore import projections, store

PROGRESS_EVERY = 50_000  # events between progress lines: about ten seconds of a rebuild


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
        events = self.with_progress(store.iter_all(), store.head_position(), started)
        count = projections.rebuild(events, names or None, say=self.stderr.write)
        seconds = time.perf_counter() - started
        chosen = ", ".join(names or sorted(known))
        self.stdout.write(
            self.style.SUCCESS(f"rebuilt {chosen} from {count} events in {seconds:.2f} s")
        )

    def with_progress(self, events: Iterable, last: int, started: float) -> Iterator:
        """Pass the events on, saying on stderr how far through the log the rebuild is."""
        for count, event in enumerate(events, 1):
            if count % PROGRESS_EVERY == 0:
                self.stderr.write(
                    f"  {count:,} events, position {event.position:,} of {last:,}"
                    f" ({event.position / last:.0%}), {time.perf_counter() - started:.0f} s"
                )
            yield event
