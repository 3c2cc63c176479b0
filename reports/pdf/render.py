"""Render status pages and portfolio reports to PDF bytes, from snapshots only."""

import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from django.utils.translation import pgettext
from reportlab.platypus import PageBreak, Spacer

from .. import wording
from ..fingerprint import short_hash
from ..overview import Outline, cover_lines, outline
from .flowables import Bookmark, overview_table
from .joined_fragments import Paragraph
from .sections import WIDTH, status_page_story
from .streaming import LazyStory, streaming_numbered_canvas
from .styles import stylesheet
from .templates import PageInfo, ReportDocTemplate, SectionStart, numbered_canvas

AUTHOR = "MedCom – Portefølje"
# ReportLab writes one page tree for the whole document as an object of its own, uncompressed,
# keys sorted. Anchored at the start of a line: user text that reaches the file uncompressed
# (the title in the document's metadata) has no line breaks (metadata_text).
PAGE_TREE = re.compile(
    rb"^\d+ 0 obj\n<<\n/Count (\d+) /Kids \[[^\]]*\] /Type /Pages\n>>\nendobj$", re.MULTILINE
)


def page_info(snapshot) -> PageInfo:
    """Return what the header and footer of a status page's pages say."""
    footer = wording.status_on(snapshot.as_of_time)
    return PageInfo(header_left=snapshot.area, header_right=snapshot.title, footer_left=footer)


def pin_text(snapshot, digest: str) -> str:
    """Return the pin for the document's metadata: as-of time, log position and check code."""
    return " · ".join(
        (
            wording.status_as_of(snapshot.as_of_time),
            wording.log_position(snapshot.as_of_position),
            wording.check_code(digest),
        )
    )


def _build(
    story: list,
    *,
    info: PageInfo,
    digest: str,
    created: datetime,
    language: str,
    title: str,
    subject: str,
    witness: str,
    canvasmaker=numbered_canvas,
) -> bytes:
    out = io.BytesIO()
    doc = ReportDocTemplate(
        out,
        info=info,
        check_code=wording.check_code(digest),
        created=created.astimezone(UTC),
        title=metadata_text(title),
        author=AUTHOR,
        subject=metadata_text(subject),
        creator="Portefølje",
        # An issued report's signed head (portfolio/eventstore/witnesses.py reads it back).
        keywords=witness,
        lang=wording.PDF_LANG.get(language, "da-DK"),
    )
    doc.build(story, canvasmaker=canvasmaker(pgettext("report", "Page {page} of {pages}")))
    return out.getvalue()


def page_count(pdf: bytes) -> int:
    """Return how many pages a PDF rendered here has, read from its page tree.

    Reading the count needs no PDF parser: the renderer is ours and writes the tree plainly.
    """
    found = PAGE_TREE.findall(pdf)
    if len(found) != 1:
        raise ValueError(f"expected one page tree in the PDF, found {len(found)}")
    return int(found[0])


def metadata_text(text: str) -> str:
    """Return `text` without control characters, for the document's title and subject.

    ReportLab writes a control character as a raw byte of PDFDocEncoding, where it means
    nothing or another letter (a reader turned "0\x16" into "ᘰ"); no title bar can show one.
    The soft hyphen goes too: ReportLab writes it as byte 0xAD, which PDFDocEncoding leaves
    undefined, and a reader turned "0\xad" into "괰"; it is invisible in a title anyway.
    """
    return "".join(c for c in text if c != "\xad" and unicodedata.category(c) != "Cc")


def render_status_page(snapshot, *, witness: str = "") -> bytes:
    """Return the status page of one project as PDF bytes; the same snapshot, the same bytes.

    `witness` is the signed head of the report's pin, put in the document's Keywords.
    """
    with wording.in_language(snapshot.language):
        info = page_info(snapshot)
        story = [SectionStart(info), *status_page_story(snapshot)]
        digest = short_hash(snapshot)
        return _build(
            story,
            info=info,
            digest=digest,
            created=snapshot.as_of_time,
            language=snapshot.language,
            title=snapshot.title,
            subject=pgettext("report", "Status page") + f" – {pin_text(snapshot, digest)}",
            witness=witness,
        )


def _cover(plan: Outline, area: str | None) -> list:
    styles = stylesheet()
    rows = plan.all_rows
    story = [
        Bookmark("cover", pgettext("report", "Portfolio report"), 0),
        Spacer(1, 60),
        Paragraph(escape(pgettext("report", "MedCom's project portfolio")), styles["cover_line"]),
        Paragraph(escape(pgettext("report", "Portfolio report")), styles["cover_title"]),
    ]
    story += [
        Paragraph(escape(line), styles["cover_line"])
        for line in cover_lines(rows, area, plan.moment, plan.meeting)
    ]
    overview = pgettext("report", "Overview of the projects")
    story += [
        PageBreak(),
        Bookmark("overview", overview, 0),
        Paragraph(escape(overview), styles["h2"]),
    ]
    if rows:
        story.append(overview_table(plan.rows, WIDTH))
    else:
        story.append(Paragraph(escape(pgettext("report", "No projects.")), styles["muted"]))
    return story


def _project_pages(snapshots: Sequence, plan: Outline) -> Iterator[list]:
    """Yield each project's part of the story, area by area, reading its snapshot only then."""
    for number, (name, indexes) in enumerate(plan.areas):
        for first, index in enumerate(indexes):
            snapshot = snapshots[index]
            story = [PageBreak(), SectionStart(page_info(snapshot))]
            if first == 0:
                story.append(Bookmark(f"area-{number}", name, 0))
            story.append(Bookmark(f"project-{snapshot.project_slug}", snapshot.title, 1))
            yield story + status_page_story(snapshot)


def render_portfolio(
    snapshots,
    *,
    area: str | None = None,
    as_of: datetime | None = None,
    language: str = "da",
    witness: str = "",
) -> bytes:
    """Return the portfolio report: cover, overview table, then each project's status page,
    grouped by area, each area and project a bookmark.

    ``snapshots`` are by title, a list or a spooled portfolio read a project at a time
    (reports.spool). ``as_of`` defaults to the latest snapshot's as-of time; ``area`` names the
    area shown on the cover (all areas when None); ``witness`` is the signed head of the
    report's pin.
    """
    snapshots = snapshots if isinstance(snapshots, Sequence) else list(snapshots)
    with wording.in_language(language):
        plan = outline(snapshots, as_of)
        title = pgettext("report", "Portfolio report") + " – " + wording.area_name(area)
        name, when = (
            pgettext("report", "MedCom's project portfolio"),
            wording.status_on(plan.moment),
        )
        cover_info = PageInfo(header_left=name, header_right=title, footer_left=when)
        story = LazyStory(
            [SectionStart(cover_info), *_cover(plan, area)], _project_pages(snapshots, plan)
        )
        pin = f"{wording.status_as_of(plan.moment)} · {wording.check_code(plan.digest)}"
        return _build(
            story,
            info=cover_info,
            digest=plan.digest,
            created=plan.moment,
            language=language,
            title=title,
            subject=f"{title} · {pin}",
            witness=witness,
            canvasmaker=streaming_numbered_canvas,
        )
