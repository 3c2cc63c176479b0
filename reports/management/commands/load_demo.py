from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portfolio.eventstore import store
from reports.demo.build import build_seed
from reports.demo.example import SLUG as EXAMPLE_SLUG
from reports.demo.example import build_example
from reports.demo.seed import PROJECT_SLUG
from reports.demo.users import DEMO_USERS, ensure_demo_users


class Command(BaseCommand):
    help = "Load the seed project (and an example project) with demo users; safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--no-example", action="store_true", help="load only the seed project")
        parser.add_argument(
            "--allow-demo-users",
            action="store_true",
            help="make the demo users (published passwords) even with DJANGO_DEBUG=0",
        )

    def handle(self, *args, no_example=False, allow_demo_users=False, **options):
        if not (settings.DEMO_USERS_ALLOWED or allow_demo_users):
            raise CommandError(
                "DJANGO_DEBUG=0: load_demo would create users whose passwords are published"
                " (admin / demo-admin-2026 ...). Pass --allow-demo-users to do it anyway."
            )
        before = store.head_position()
        with transaction.atomic():
            users = ensure_demo_users()
            build_seed(users["admin"])
            if not no_example:
                build_example(users["admin"])
        added = store.head_position() - before
        self.stdout.write(
            f"Seed project: /projects/{PROJECT_SLUG}/"
            + ("" if no_example else f"  Example project: /projects/{EXAMPLE_SLUG}/")
        )
        self.stdout.write(
            f"{added} new events" if added else "Nothing new: the demo was loaded already."
        )
        self.stdout.write("Demo users (development only):")
        for username, password, role, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {password:<24} {role}")
