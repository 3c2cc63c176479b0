from django.core.management.base import BaseCommand

from portfolio.eventstore.transfer import export_lines


class Command(BaseCommand):
    help = (
        "Write every stored event, then the signed heads and the person register, to FILE as"
        " JSON Lines (use - for standard output)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        count = 0
        if file == "-":
            for line in export_lines():
                self.stdout.write(line)
                count += 1
            return
        with open(file, "w", encoding="utf-8") as out:
            for line in export_lines():
                out.write(line + "\n")
                count += 1
        self.stdout.write(
            self.style.SUCCESS(
                f"exported {count} lines (the events, then the signed heads and the person"
                f" register) to {file}"
            )
        )
