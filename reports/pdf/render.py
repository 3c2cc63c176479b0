"""Render status pages and portfolio reports to PDF bytes, from snapshots only."""

import io
import re
import unicodedata
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from django.utils.translation import pgettext
from reportlab.platypus import PageBreak, Spacer

from .. import wording
from ..fingerprint import short_hash
from ..overview import cover_lines, last_meeting_of, overview_row
from .flowables import Bookmark, overview_table
from .paragraphs import Paragraph
from .sections import WIDTH, status_page_story
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
    doc.build(story, canvasmaker=numbered_canvas(pgettext("report", "Page {page} of {pages}")))
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
    """
    return "".join(c for c in text if unicodedata.category(c) != "Cc")


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


def _cover(groups, area: str | None, as_of_time: datetime, meeting) -> list:
    styles = stylesheet()
    rows = [row for _, projects in groups for row in projects]
    story = [
        Bookmark("cover", pgettext("report", "Portfolio report"), 0),
        Spacer(1, 60),
        Paragraph(escape(pgettext("report", "MedCom's project portfolio")), styles["cover_line"]),
        Paragraph(escape(pgettext("report", "Portfolio report")), styles["cover_title"]),
    ]
    story += [
        Paragraph(escape(line), styles["cover_line"])
        for line in cover_lines(rows, area, as_of_time, meeting)
    ]
    overview = pgettext("report", "Overview of the projects")
    story += [
        PageBreak(),
        Bookmark("overview", overview, 0),
        Paragraph(escape(overview), styles["h2"]),
    ]
    if rows:
        story.append(overview_table(groups, WIDTH))
    else:
        story.append(Paragraph(escape(pgettext("report", "No projects.")), styles["muted"]))
    return story


def in_area_order(snapshots) -> list[tuple[str, list]]:
    """Return the snapshots grouped by area, in the order the areas first come."""
    areas: dict[str, list] = {}
    for snapshot in snapshots:
        areas.setdefault(snapshot.area, []).append(snapshot)
    return list(areas.items())


def portfolio_as_of(snapshots, as_of: datetime | None) -> datetime:
    """Return the portfolio's as-of time: the given one, else the latest snapshot's."""
    fallback = datetime(2000, 1, 1, tzinfo=UTC)  # an empty portfolio still renders the same
    return as_of or max((s.as_of_time for s in snapshots), default=fallback)


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

    ``as_of`` defaults to the latest snapshot's as-of time; ``area`` names the area shown on the
    cover (all areas when None); ``witness`` is the signed head of the report's pin.
    """
    snapshots = list(snapshots)
    moment = portfolio_as_of(snapshots, as_of)
    with wording.in_language(language):
        title = pgettext("report", "Portfolio report") + " – " + wording.area_name(area)
        name, when = pgettext("report", "MedCom's project portfolio"), wording.status_on(moment)
        cover_info = PageInfo(header_left=name, header_right=title, footer_left=when)
        areas = in_area_order(snapshots)
        groups = [(name, [overview_row(s) for s in group]) for name, group in areas]
        story = [
            SectionStart(cover_info),
            *_cover(groups, area, moment, last_meeting_of(snapshots)),
        ]
        for number, (name, group) in enumerate(areas):
            for first, snapshot in enumerate(group):
                story += [PageBreak(), SectionStart(page_info(snapshot))]
                if first == 0:
                    story.append(Bookmark(f"area-{number}", name, 0))
                story.append(Bookmark(f"project-{snapshot.project_slug}", snapshot.title, 1))
                story += status_page_story(snapshot)
        digest = short_hash(*snapshots)
        pin = f"{wording.status_as_of(moment)} · {wording.check_code(digest)}"
        return _build(
            story,
            info=cover_info,
            digest=digest,
            created=moment,
            language=language,
            title=title,
            subject=f"{title} · {pin}",
            witness=witness,
        )
