"""Request, generate and archive reports: what the web page, the API and Celery call."""

import hashlib
import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import BinaryIO

from django.core.files.base import ContentFile, File
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone, translation

from portfolio import roles
from portfolio.errors import DomainError, InvalidInput, NotAllowed, NotFound
from portfolio.eventstore import replicas
from portfolio.eventstore.heads import sign_head
from portfolio.eventstore.signing import signing_key
from portfolio.models import Area as AreaRow
from portfolio.models import Project as ProjectRow
from portfolio.selectors import AsOf, project_state

from . import jobs, publishing, spool
from .build import build_status_page, pin
from .html import render_portfolio_html, render_status_page_html, write_portfolio_html
from .models import IssuedReport, ReportRequest

log = logging.getLogger(__name__)

# Errors worth another try: the database or the broker went away for a moment.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
LANGUAGES = ("da", "en")


# The PDF renderer (ReportLab, and Pillow under it) is imported on first use: it is most of a
# web process's start, and only rendering (in a worker, or verify) needs it.
def render_status_page(snapshot, **options) -> bytes:
    from .pdf.render import render_status_page

    return render_status_page(snapshot, **options)


def render_portfolio(snapshots, **options) -> bytes:
    from .pdf.render import render_portfolio

    return render_portfolio(snapshots, **options)


def page_count(pdf: bytes) -> int:
    from .pdf.render import page_count

    return page_count(pdf)


def reportlab_version() -> str:
    import reportlab

    return reportlab.Version


def request_report(
    user,
    kind: str,
    slug: str | None,
    as_of: date | datetime | int | AsOf | None = None,
    language: str = "da",
    *,
    changes_since: datetime | None = None,
    publish: bool = False,
) -> ReportRequest:
    """Record a request pinned to a time and log position; generate it after the commit.

    `slug` is the project's for a status page and the area's (or None) for a portfolio report.
    A status page lists the changes since the project's previous issued report unless
    `changes_since` says otherwise.
    """
    if user is not None and not roles.can_request_report(user):
        raise NotAllowed("user", "only steering-group members and project managers ask for reports")
    if kind not in (ReportRequest.STATUS_PAGE, ReportRequest.PORTFOLIO):
        raise InvalidInput(
            "kind", f"must be {ReportRequest.STATUS_PAGE} or {ReportRequest.PORTFOLIO}"
        )
    if language not in LANGUAGES:
        raise InvalidInput("language", "must be da or en")
    point = pin(as_of)
    if kind == ReportRequest.STATUS_PAGE:
        if not slug or not ProjectRow.objects.filter(slug=slug).exists():
            raise NotFound("slug", f"no project {slug!r}")
        if project_state(slug, point) is None:  # say so now, not later as a failed request
            raise NotFound("as_of", f"project {slug!r} was not recorded yet then")
        changes_since = changes_since or _previous_issue(slug, point)
    elif slug and not AreaRow.objects.filter(slug=slug).exists():
        raise NotFound("slug", f"no area {slug!r}")
    else:
        changes_since = changes_since or previous_issue(kind, slug or "", point)
    with transaction.atomic():
        request = ReportRequest.objects.create(
            kind=kind,
            project_slug=(slug or "") if kind == ReportRequest.STATUS_PAGE else "",
            area_slug=(slug or "") if kind == ReportRequest.PORTFOLIO else "",
            language=language,
            as_of_time=point.time,
            as_of_position=point.position,
            changes_since=changes_since,
            requested_by=user if getattr(user, "pk", None) else None,
            publish=publish,
        )
        # The row is the outbox: if this dispatch fails or never happens, the sweep sends it.
        transaction.on_commit(partial(jobs.dispatch, request.id))
    return request


def request_publication(user, slug: str) -> ReportRequest:
    """Ask for the project's status page as of now, to be published once it is issued."""
    publishing.check_may_publish(user, slug)
    return request_report(user, ReportRequest.STATUS_PAGE, slug, publish=True)


def previous_issue(kind: str, slug: str, point: AsOf) -> datetime | None:
    """Return the as-of time of the last report of this kind and scope issued before `point`
    (a project's slug for a status page, an area's or "" for the portfolio report)."""
    if kind == ReportRequest.STATUS_PAGE:
        return _previous_issue(slug, point)
    return (
        IssuedReport.objects.filter(
            kind=ReportRequest.PORTFOLIO, area_slug=slug, as_of_position__lt=point.position
        )
        .order_by("-as_of_position", "-issued_at")
        .values_list("as_of_time", flat=True)
        .first()
    )


def _previous_issue(slug: str, point: AsOf) -> datetime | None:
    previous = (
        IssuedReport.objects.filter(
            kind=ReportRequest.STATUS_PAGE, project_slug=slug, as_of_position__lt=point.position
        )
        .order_by("-as_of_position", "-issued_at")
        .values_list("as_of_time", flat=True)
        .first()
    )
    return previous


def generate(request_id: str, fan_out: Callable[[ReportRequest], bool] | None = None) -> str | None:
    """Render and archive the report of a request; return the archived report's id.

    Safe to run twice: a request with an archived report returns it, and a run finding another
    one at work leaves the request to it (None). A transient error is raised for the task to
    retry; any other error marks the request failed with its reason. `fan_out(request)`, if
    given, may hand the claimed request to other tasks (True: they archive it; None here).
    """
    with jobs.run_lock(request_id) as ours:
        if not ours:
            return None
        request = jobs.claim(request_id)
        if request is None:
            done = IssuedReport.objects.filter(request_id=request_id).values_list("id", flat=True)
            return str(done[0]) if done else None
        if fan_out is not None and fan_out(request):
            return None
        with tempfile.TemporaryFile() as html_out:
            try:
                pdf, html = _render(request, html_out)
            except TRANSIENT:
                raise
            except Exception as error:  # noqa: BLE001 - whatever broke, the user must see why
                log.exception("report %s failed", request_id)
                fail(request_id, f"{type(error).__name__}: {error}")
                return None
            try:
                return _archive(request_id, pdf, html)
            except DomainError as error:  # the publication was refused: nothing is archived
                fail(request_id, str(error))
                return None


def attempts(request_id: str) -> int:
    """Return how many runs of a request have started."""
    found = ReportRequest.objects.filter(pk=request_id).values_list("attempts", flat=True)
    return found[0] if found else 0


def fail(request_id: str, reason: str) -> None:
    """Mark a request failed for good, with the reason shown to the user."""
    ReportRequest.objects.filter(pk=request_id).exclude(state=ReportRequest.DONE).update(
        state=ReportRequest.FAILED, error=reason[:2000], finished_at=timezone.now()
    )


def render_pinned(
    kind: str,
    slug: str,
    language: str,
    point: AsOf,
    changes_since=None,
    progress=None,
    html_out: BinaryIO | None = None,
) -> tuple[bytes, str | BinaryIO]:
    """Return (PDF, HTML twin) of a report at a pinned point; progress(percent) if given.

    Both carry the signed head of the pin (witness_of). Rendered in `language` throughout:
    what the log reads out (an erased person's "[slettet]") is in it too. A portfolio
    report's twin is written to `html_out` (UTF-8), if given, and that is returned for it.
    """
    with translation.override(language), replicas.pinned(point.position):
        return _render_pinned(kind, slug, language, point, changes_since, progress, html_out)


def _render_pinned(kind, slug, language, point, changes_since, progress, html_out):
    progress = progress or (lambda percent: None)
    witness = witness_of(point)
    if kind == ReportRequest.STATUS_PAGE:
        snapshot = build_status_page(slug, point, language, changes_since)
        progress(40)
        pdf = render_status_page(snapshot, witness=witness)
        progress(80)
        return pdf, render_status_page_html(snapshot, witness=witness)
    # A batch of projects at a time, spooled to a file: the way a fanned-out report's parts
    # build them (reports.fanout), so both give the same bytes, and neither holds them all.
    with tempfile.TemporaryFile() as out:
        entries = []
        parts = spool.batches(spool.project_slugs(slug or None))
        for n, batch in enumerate(parts, start=1):
            entries += spool.write(out, batch, point, language, changes_since)
            progress(10 + 50 * n // len(parts))
        snapshots = spool.Spooled([(title, out, at, size) for title, at, size in entries])
        return _render_portfolio(snapshots, slug, language, point, witness, progress, html_out)


def _render_portfolio(snapshots, area_slug, language, point, witness, progress, html_out=None):
    area = (
        AreaRow.objects.filter(slug=area_slug).values_list("name", flat=True).first()
        if area_slug
        else None
    )
    pdf = render_portfolio(
        snapshots, area=area, as_of=point.time, language=language, witness=witness
    )
    progress(90)
    options = {"area": area, "as_of": point.time, "language": language, "witness": witness}
    if html_out is None:
        return pdf, render_portfolio_html(snapshots, **options)
    write_portfolio_html(html_out, snapshots, **options)
    return pdf, html_out


def render_portfolio_of(
    request: ReportRequest, snapshots, html_out: BinaryIO
) -> tuple[bytes, BinaryIO]:
    """Return (PDF, HTML twin written to html_out) of a portfolio request from its projects'
    snapshots, in order: what render_pinned gives for it, when the snapshots were built
    elsewhere (reports.fanout)."""
    point = AsOf(time=request.as_of_time, position=request.as_of_position)
    with translation.override(request.language), replicas.pinned(point.position):
        return _render_portfolio(
            snapshots,
            request.area_slug,
            request.language,
            point,
            witness_of(point),
            lambda percent: _progress(request.pk, percent),
            html_out,
        )


def archive(request_id: str, pdf: bytes, html: str | BinaryIO) -> str:
    """Archive a request's rendered report and mark it done; return the archived report's id."""
    return _archive(request_id, pdf, html)


def witness_of(point: AsOf) -> str:
    """Return the signed head of the log at a pin, as a report carries it; "" without a key.

    Dated the pin's time, not the clock's: Ed25519 signs deterministically, so a re-render
    (verify) signs the same text and gives the same bytes. A setup with no signing key (the
    zero-setup `make run`) issues reports without one.
    """
    key = signing_key(required=False)
    if key is None:
        return ""
    return sign_head(point.position, time=point.time, key=key).text()


def _progress(request_id, percent: int) -> None:
    # Outside any transaction, so the page asking for progress sees it at once.
    ReportRequest.objects.filter(pk=request_id).update(progress=percent)


def _render(request: ReportRequest, html_out: BinaryIO) -> tuple[bytes, str | BinaryIO]:
    return render_pinned(
        request.kind,
        request.project_slug or request.area_slug,
        request.language,
        AsOf(time=request.as_of_time, position=request.as_of_position),
        request.changes_since,
        partial(_progress, request.pk),
        html_out,
    )


def _filename(request: ReportRequest, digest: str) -> str:
    subject = request.project_slug or f"portefolje-{request.area_slug or 'alle'}"
    stamp = timezone.localtime(request.as_of_time).strftime("%Y%m%d")
    return f"{subject}-{stamp}-{request.language}-{digest[:12]}"


def _archive(request_id: str, pdf: bytes, html: str | BinaryIO) -> str:
    digest = hashlib.sha256(pdf).hexdigest()
    with transaction.atomic():
        request = ReportRequest.objects.select_for_update().get(pk=request_id)
        existing = IssuedReport.objects.filter(request=request).first()
        if existing:  # another run of the same task got here first
            return str(existing.id)
        now = timezone.now()
        report = IssuedReport(
            request=request,
            kind=request.kind,
            project_slug=request.project_slug,
            area_slug=request.area_slug,
            language=request.language,
            as_of_time=request.as_of_time,
            as_of_position=request.as_of_position,
            sha256=digest,
            size=len(pdf),
            pages=page_count(pdf),
            reportlab_version=reportlab_version(),
            requested_by=request.requested_by,
            requested_at=request.requested_at,
            issued_at=now,
        )
        name = _filename(request, digest)
        report.file.save(f"{name}.pdf", ContentFile(pdf), save=False)
        if isinstance(html, str):
            twin = ContentFile(html.encode("utf-8"))
        else:  # a portfolio report's, written to a file (write_portfolio_html)
            html.seek(0)
            twin = File(html)
        report.html_file.save(f"{name}.html", twin, save=False)
        report.save()
        if request.publish:
            publishing.issue(report, request.requested_by)
        request.state, request.progress, request.finished_at = ReportRequest.DONE, 100, now
        request.error = ""
        request.save(update_fields=["state", "progress", "finished_at", "error"])
    return str(report.id)


@dataclass(frozen=True)
class Verification:
    """What re-rendering an archived report found, and which ReportLab made each PDF."""

    matches: bool  # the re-rendered PDF has the archived SHA-256
    made_with: str  # the ReportLab version recorded with the archive; "" if none was
    installed: str  # the ReportLab version that re-rendered it

    @property
    def other_reportlab(self) -> bool:
        """Return whether the archived PDF was not (or not known to be) made by this ReportLab."""
        return self.made_with != self.installed

    @property
    def message(self) -> str:
        """Return the outcome in a sentence, naming both ReportLab versions when they differ."""
        made_with = f"ReportLab {self.made_with}" if self.made_with else "an unrecorded ReportLab"
        installed = f"ReportLab {self.installed}"
        if not self.other_reportlab:
            versions = f"both made with {installed}"
        else:
            versions = f"the archived one made with {made_with}, this one with {installed}"
        if self.matches:
            return f"The re-rendered PDF is the archived one, byte for byte ({versions})."
        if self.other_reportlab:
            return (
                f"The re-rendered PDF differs from the archived one ({versions}): "
                "another ReportLab alone can change the bytes."
            )
        return (
            f"The re-rendered PDF differs from the archived one ({versions}): "
            "what the report shows or how this project renders it has changed."
        )


def verify(report: IssuedReport) -> Verification:
    """Re-render an archived report from its pinned point and compare it with the archived hash."""
    pdf, _ = render_pinned(
        report.kind,
        report.project_slug or report.area_slug,
        report.language,
        AsOf(time=report.as_of_time, position=report.as_of_position),
        report.request.changes_since if report.request else None,
    )
    return Verification(
        matches=hashlib.sha256(pdf).hexdigest() == report.sha256,
        made_with=report.reportlab_version,
        installed=reportlab_version(),
    )
