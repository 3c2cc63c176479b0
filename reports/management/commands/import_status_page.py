from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portfolio.errors import DomainError
from portfolio.eventstore.errors import EventStoreError
from reports.status_pages import read_page
from reports.status_pages.markdown import Unreadable
from reports.status_pages.record import record


class Command(BaseCommand):
    help = (
        "Record a published status page (Markdown as in shared/seed/, or the website's HTML)"
        " as known on --as-of; a later page of the same project records only what changed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--as-of", required=True, help="the day the page was published")
        parser.add_argument("--area", help="the area's slug (default: from the page's heading)")
        parser.add_argument("--slug", help="the project's slug (default: from its title)")
        parser.add_argument(
            "--manager", action="append", default=[], help="a project manager's user name"
        )
        parser.add_argument("--by", help="the user recording it (default: the only superuser)")

    def handle(self, *args, file, as_of, area, slug, manager, by, **options):
        day = _day(as_of)
        try:
            page = read_page(Path(file))
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error}") from error
        except Unreadable as error:
            lines = "\n".join(f"  line {n}: {why}" for n, why in error.problems)
            raise CommandError(
                f"nothing imported; the page has lines out of place:\n{lines}"
            ) from error
        try:
            outcome = record(
                page, as_of=day, actor=_actor(by), area_slug=area, slug=slug, managers=manager
            )
        except (DomainError, EventStoreError) as error:
            raise CommandError(f"nothing imported: {error}") from error
        where = f"/projects/{outcome.project_slug}/"
        if outcome.recorded:
            self.stdout.write(f"{where}: {len(outcome.recorded)} events recorded as of {day}")
            for line in outcome.recorded:
                self.stdout.write(f"  {line}")
        else:
            self.stdout.write(f"{where}: nothing new on this page")
        for line in outcome.left_alone:
            self.stdout.write(f"  left as it is: {line}")


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"--as-of: {text!r} is not a date (YYYY-MM-DD)") from error
    if day > timezone.localdate():
        raise CommandError(f"--as-of: {day} is in the future")
    return day


def _actor(username: str | None):
    users = get_user_model().objects.filter(is_active=True)
    if username:
        found = users.filter(username=username).first()
        if found is None:
            raise CommandError(f"--by: no active user {username!r}")
        return found
    superusers = list(users.filter(is_superuser=True)[:2])
    if len(superusers) != 1:
        raise CommandError("--by: say which user records the page")
    return superusers[0]
