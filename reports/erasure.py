"""Issued reports that named an erased person: re-rendered, and the archive keeps a record.

An issued report is kept for ever and re-renders byte for byte from its pin; erasure is the
one exception. The person's name already reads "[slettet]" in the log, so re-rendering the
report from its pin gives the redacted file. It replaces the archived one, and a `Redaction`
records when, by whom, why, and the SHA-256 of the file it replaced.
"""

import hashlib
import html

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portfolio.selectors import AsOf

from .models import IssuedReport, Redaction
from .services import page_count, render_pinned, reportlab_version


def naming(names: list[str]) -> list[IssuedReport]:
    """Return the issued reports whose text names any of `names` (any case)."""
    wanted = [n.casefold() for n in names if n] + [html.escape(n).casefold() for n in names if n]
    found = []
    for report in IssuedReport.objects.exclude(html_file=""):
        with report.html_file.open("rb") as file:
            text = file.read().decode("utf-8").casefold()
        if any(name in text for name in wanted):
            found.append(report)
    return found


def redact(report: IssuedReport, *, by: str, reason: str) -> None:
    """Re-render `report` from its pin, replace its files, and record the redaction."""
    point = AsOf(time=report.as_of_time, position=report.as_of_position)
    changes_since = report.request.changes_since if report.request else None
    pdf, text = render_pinned(
        report.kind, report.project_slug or report.area_slug, report.language, point, changes_since
    )
    old_files = [report.file.name, report.html_file.name]
    storage = report.file.storage
    with transaction.atomic():
        Redaction.objects.create(
            report=report,
            redacted_at=timezone.now(),
            redacted_by=by,
            reason=reason,
            replaced_sha256=report.sha256,
        )
        digest = hashlib.sha256(pdf).hexdigest()
        name = f"{report.project_slug or report.area_slug or 'portefolje'}-{digest[:12]}-redacted"
        report.file.save(f"{name}.pdf", ContentFile(pdf), save=False)
        report.html_file.save(f"{name}.html", ContentFile(text.encode("utf-8")), save=False)
        report.sha256, report.size, report.pages = digest, len(pdf), page_count(pdf)
        report.reportlab_version = reportlab_version()
        report.save()
    for old in old_files:
        if old and old not in (report.file.name, report.html_file.name):
            storage.delete(old)
