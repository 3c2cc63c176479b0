from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio.eventstore.errors import EventStoreError
from portfolio.eventstore.signing import VERIFY_KEY, verify_key
from portfolio.eventstore.verify import verify_log
from portfolio.eventstore.witnesses import head_breaks, read_witness, verify_stored_heads


class Command(BaseCommand):
    help = (
        "Check the log's hash chain, every stream's versions and every stored signed head, and with"
        " --witness a head kept elsewhere; exit non-zero on any break."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--witness",
            type=Path,
            metavar="FILE",
            help="a checkpoint file (checkpoint_log --output) or an issued report's PDF",
        )

    def handle(self, *args, witness: Path | None, **options):
        try:
            key = verify_key()
        except EventStoreError as error:
            raise CommandError(str(error)) from error
        report = verify_log()
        heads = verify_stored_heads(key)
        breaks = report.breaks + heads.breaks
        summary = (
            f"{report.events} events in {report.streams} streams checked,"
            f" {heads.heads} signed heads"
        )
        if witness is not None:
            breaks += self._witness_breaks(witness, key)
            summary += f" and the witness {witness}"
        for line in breaks:
            self.stderr.write(line)
        if breaks:
            raise CommandError(f"{summary}: {len(breaks)} break(s) found")
        intact = "the hash chain and every stream's versions intact, every head holds"
        self.stdout.write(self.style.SUCCESS(f"{summary}: {intact}"))

    def _witness_breaks(self, path: Path, key) -> list[str]:
        if key is None:
            raise CommandError(f"a witness needs the key that signed it: set {VERIFY_KEY}")
        try:
            head = read_witness(path)
        except (OSError, EventStoreError) as error:
            raise CommandError(f"witness {path}: {error}") from error
        return head_breaks("witness", head, key)
