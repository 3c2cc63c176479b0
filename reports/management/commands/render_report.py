"""Write a status page or the portfolio report, as of a date, to a file (PDF or HTML)."""

import hashlib
from datetime import date, datetime, time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from portfolio.errors import DomainError
from portfolio.selectors import AsOf
from reports.models import IssuedReport, ReportRequest
from reports.services import previous_issue, render_pinned

from ...build import pin


class Command(BaseCommand):
    help = "Render a project's status page (or the portfolio report) as of a date to a file."

    def add_arguments(self, parser):
        parser.add_argument("--project", help="the project's slug")
        parser.add_argument("--portfolio", action="store_true", help="the portfolio report")
        parser.add_argument("--area", help="with --portfolio: only this area's projects")
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: now)")
        parser.add_argument(
            "--report", help="an archived report's id: render its pin again (its bytes)"
        )
        parser.add_argument(
            "--since",
            type=date.fromisoformat,
            help="YYYY-MM-DD: list each project's changes since that day "
            "(default: since the last issued report of the same scope)",
        )
        parser.add_argument("--lang", choices=["da", "en"], default="da")
        parser.add_argument("--html", action="store_true", help="write the accessible HTML twin")
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args, **options):
        archived = None
        if options["report"]:
            if any(options[k] for k in ("project", "portfolio", "as_of", "since")):
                raise CommandError("--report takes its own project, area, pin and since")
            archived = self._archived(options["report"])
            kind, slug, language = (
                archived.kind,
                archived.project_slug or archived.area_slug,
                archived.language,
            )
            point = AsOf(time=archived.as_of_time, position=archived.as_of_position)
            since = archived.request.changes_since if archived.request else None
        else:
            kind, slug, language, point, since = self._asked(options)
        try:
            pdf, html = render_pinned(kind, slug or "", language, point, since)
        except DomainError as error:
            raise CommandError(str(error)) from error
        data = html.encode("utf-8") if options["html"] else pdf
        options["output"].write_bytes(data)
        when = timezone.localtime(point.time)
        digest = hashlib.sha256(data).hexdigest()
        self.stdout.write(
            f"{options['output']}: {len(data)} bytes, sha256 {digest}, "
            f"as of {when:%Y-%m-%d %H:%M %Z} (log position {point.position})"
        )
        if archived is not None and not options["html"]:
            same = "the archived bytes" if digest == archived.sha256 else "NOT the archived bytes"
            self.stdout.write(f"report {archived.id}: {same} (archived sha256 {archived.sha256})")

    def _asked(self, options):
        if bool(options["project"]) == options["portfolio"]:
            raise CommandError("give either --project SLUG, --portfolio or --report ID")
        if options["area"] and not options["portfolio"]:
            raise CommandError("--area goes with --portfolio")
        kind = ReportRequest.PORTFOLIO if options["portfolio"] else ReportRequest.STATUS_PAGE
        slug = options["area"] if options["portfolio"] else options["project"]
        point = pin(options["as_of"])
        if options["since"]:  # from the start of that day
            since = timezone.make_aware(datetime.combine(options["since"], time.min))
        else:
            since = previous_issue(kind, slug or "", point)
        return kind, slug, options["lang"], point, since

    def _archived(self, report_id: str) -> IssuedReport:
        try:
            found = IssuedReport.objects.select_related("request").filter(pk=report_id).first()
        except ValidationError:
            found = None
        if found is None:
            raise CommandError(f"no archived report {report_id}")
        return found
