from django.core.management.base import BaseCommand

from portfolio.api_platform import idempotency


class Command(BaseCommand):
    help = (
        "Delete the stored answers to Idempotency-Key requests older than"
        f" {idempotency.KEPT_FOR} (beat does it hourly)."
    )

    def handle(self, *args, **options):
        count = idempotency.forget_expired()
        self.stdout.write(f"Forgot {count} stored answers.")
