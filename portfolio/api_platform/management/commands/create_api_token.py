from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portfolio.api_platform.models import ApiToken


class Command(BaseCommand):
    help = "Create an API token for USER and print its secret (shown this once, stored hashed)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, shown in the admin")

    def handle(self, *args, username, name, **options):
        user_model = get_user_model()
        try:
            user = user_model.objects.get_by_natural_key(username)
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user named {username!r}") from error
        if not user.is_active:
            raise CommandError(f"User {username!r} is inactive; a token would not work")
        token, secret = ApiToken.issue(user, name=name)
        self.stderr.write(f"Token {token.hint}… for {username}; it is not shown again.")
        self.stdout.write(secret)
