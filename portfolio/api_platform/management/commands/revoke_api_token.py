from django.core.management.base import BaseCommand, CommandError

from portfolio.api_platform.models import ApiToken


class Command(BaseCommand):
    help = "Revoke API tokens by the hint the admin shows (e.g. pf_AbCdEfG), or all of a user's."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--hint")
        group.add_argument("--user")

    def handle(self, *args, hint, user, **options):
        tokens = ApiToken.objects.filter(revoked_at__isnull=True)
        tokens = tokens.filter(hint=hint) if hint else tokens.filter(user__username=user)
        if not tokens:
            raise CommandError("No active token matches")
        for token in tokens:
            token.revoke()
            self.stdout.write(f"Revoked {token}")
