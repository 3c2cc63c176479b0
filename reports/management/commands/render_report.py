"""Write a status page or the portfolio report, as of a date, to a file (PDF or HTML)."""

import hashlib
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portfolio.errors import DomainError
from reports.models import ReportRequest
from reports.services import render_pinned

from ...build import pin


class Command(BaseCommand):
    help = "Render a project's status page (or the portfolio report) as of a date to a file."

    def add_arguments(self, parser):
        parser.add_argument("--project", help="the project's slug")
        parser.add_argument("--portfolio", action="store_true", help="the portfolio report")
        parser.add_argument("--area", help="with --portfolio: only this area's projects")
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: now)")
        parser.add_argument("--lang", choices=["da", "en"], default="da")
        parser.add_argument("--html", action="store_true", help="write the accessible HTML twin")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, **options):
        if bool(options["project"]) == options["portfolio"]:
            raise CommandError("give either --project SLUG or --portfolio")
        if options["area"] and not options["portfolio"]:
            raise CommandError("--area goes with --portfolio")
        kind = ReportRequest.PORTFOLIO if options["portfolio"] else ReportRequest.STATUS_PAGE
        slug = options["area"] if options["portfolio"] else options["project"]
        point = pin(options["as_of"])
        try:
            pdf, html = render_pinned(kind, slug or "", options["lang"], point)
        except DomainError as error:
            raise CommandError(str(error)) from error
        data = html.encode("utf-8") if options["html"] else pdf
        options["output"].write_bytes(data)
        when = timezone.localtime(point.time)
        self.stdout.write(
            f"{options['output']}: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}, "
            f"as of {when:%Y-%m-%d %H:%M %Z} (log position {point.position})"
        )
