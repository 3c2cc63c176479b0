import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portfolio.eventstore.errors import EventStoreError
from portfolio.eventstore.heads import record_head
from portfolio.eventstore.signing import new_private_pem, public_pem, signing_key


class Command(BaseCommand):
    help = (
        "Sign the log's head (position, hash, time) with the signing key and store it;"
        " --public-key prints the key that verifies the heads, --new-key FILE makes a key."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, metavar="FILE", help="also write the head here")
        parser.add_argument(
            "--public-key", action="store_true", help="print the public key (PEM) and stop"
        )
        parser.add_argument(
            "--new-key",
            type=Path,
            metavar="FILE",
            help="write a new private key (PEM, readable by its owner only) and stop",
        )

    def handle(self, *args, output: Path | None, public_key: bool, new_key: Path | None, **opts):
        try:
            if new_key:
                return self._new_key(new_key)
            if public_key:
                self.stdout.write(public_pem(signing_key().public_key()), ending="")
                return
            head = record_head()
        except EventStoreError as error:
            raise CommandError(str(error)) from error
        if output:
            output.write_text(head.text() + "\n", encoding="utf-8")
        self.stdout.write(head.text())

    def _new_key(self, path: Path) -> None:
        try:
            # Created with the owner's rights only, and never over an existing key.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError as error:
            raise CommandError(f"{path} exists; a signing key is never overwritten") from error
        with os.fdopen(descriptor, "wb") as out:
            out.write(new_private_pem())
        self.stdout.write(f"wrote a new signing key to {path}; set PORTEFOLJE_SIGNING_KEY_FILE")
