"""Say whether a PDF (or HTML twin) someone holds is a report we issued, and as of what."""

import hashlib
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.models import IssuedReport


class Command(BaseCommand):
    help = "Say whether FILE is a report this system issued (by its SHA-256), and as of what."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no file {path}")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        report = IssuedReport.objects.filter(sha256=digest).order_by("issued_at").first()
        if report is None:
            raise CommandError(
                f"{path} (sha256 {digest}) is not a report we issued: "
                "no archived report has these bytes"
            )
        subject = report.project_slug or f"portfolio {report.area_slug or 'all areas'}"
        as_of = timezone.localtime(report.as_of_time)
        issued = timezone.localtime(report.issued_at)
        self.stdout.write(
            f"{path} is report {report.id} that we issued: {report.kind} {subject} "
            f"({report.language}), as of {as_of:%Y-%m-%d %H:%M %Z} "
            f"(log position {report.as_of_position}), issued {issued:%Y-%m-%d %H:%M %Z}"
        )
