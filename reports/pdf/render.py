"""Render status pages and portfolio reports to PDF bytes, from snapshots only."""

import io
import re
import unicodedata
from datetime import UTC, datetime
from xml.sax.saxutils import escape

from reportlab.platypus import PageBreak, Paragraph, Spacer

from milestones.rules import next_milestone

from ..fingerprint import short_hash
from ..labels import LOCAL_TIME, PDF_LANG, labels, local_time, long_date, rating_word, short_date
from .flowables import overview_table
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


def page_info(snapshot, words: dict) -> PageInfo:
    """Return what the header and footer of a status page's pages say."""
    as_of = words["as_of"].format(time=local_time(snapshot.as_of_time, words))
    position = words["log_position"].format(position=snapshot.as_of_position)
    return PageInfo(
        header_left=snapshot.area,
        header_right=snapshot.title,
        footer_left=f"{as_of} · {position}",
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
) -> bytes:
    words = labels(language)
    out = io.BytesIO()
    doc = ReportDocTemplate(
        out,
        info=info,
        short_hash=digest,
        created=created.astimezone(UTC),
        title=metadata_text(title),
        author=AUTHOR,
        subject=metadata_text(subject),
        creator="Portefølje",
        lang=PDF_LANG.get(language, "da-DK"),
    )
    doc.build(story, canvasmaker=numbered_canvas(words["page"]))
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


def render_status_page(snapshot) -> bytes:
    """Return the status page of one project as PDF bytes; the same snapshot, the same bytes."""
    words = labels(snapshot.language)
    info = page_info(snapshot, words)
    story = [SectionStart(info), *status_page_story(snapshot)]
    subject = f"{words['status_page']} – {info.footer_left}"
    return _build(
        story,
        info=info,
        digest=short_hash(snapshot),
        created=snapshot.as_of_time,
        language=snapshot.language,
        title=snapshot.title,
        subject=subject,
    )


def overview_line(snapshot, words: dict) -> tuple:
    """Return a project's overview row: title, area, ratings, next milestone, overdue, date."""
    ratings = "; ".join(
        f"{line.track or words['whole_project']}: {rating_word(line.rating, words)}"
        for line in snapshot.statuses
    ) or rating_word(None, words)
    # Judged on the snapshot's own day, as its overdue marks were.
    day = snapshot.as_of_time.astimezone(LOCAL_TIME).date()
    upcoming = next_milestone(snapshot.milestones, day)
    overdue = sum(1 for m in snapshot.milestones if m.overdue)
    return (
        snapshot.title,
        snapshot.area,
        ratings,
        f"{short_date(upcoming.current_plan)} {upcoming.title}" if upcoming else "-",
        overdue,
        short_date(snapshot.status_date),
    )


def _cover(snapshots, words: dict, area: str | None, as_of: datetime) -> list:
    styles = stylesheet()
    lines = [
        words["portfolio_name"],
        f"{words['area']}: {area or words['all_areas']}",
        words["as_of"].format(time=local_time(as_of, words)),
        words["projects_count"].format(count=len(snapshots)),
    ]
    story = [Spacer(1, 60), Paragraph(escape(words["portfolio"]), styles["cover_title"])]
    story += [Paragraph(escape(line), styles["cover_line"]) for line in lines]
    story += [PageBreak(), Paragraph(escape(words["overview"]), styles["h2"])]
    if snapshots:
        story.append(overview_table([overview_line(s, words) for s in snapshots], words, WIDTH))
    else:
        story.append(Paragraph(escape(words["none_projects"]), styles["muted"]))
    return story


def portfolio_as_of(snapshots, as_of: datetime | None) -> datetime:
    """Return the portfolio's as-of time: the given one, else the latest snapshot's."""
    fallback = datetime(2000, 1, 1, tzinfo=UTC)  # an empty portfolio still renders the same
    return as_of or max((s.as_of_time for s in snapshots), default=fallback)


def render_portfolio(
    snapshots, *, area: str | None = None, as_of: datetime | None = None, language: str = "da"
) -> bytes:
    """Return the portfolio report: cover, overview table, then each project's status page.

    ``as_of`` defaults to the latest snapshot's as-of time; ``area`` names the area shown on the
    cover (all areas when None).
    """
    words = labels(language)
    snapshots = list(snapshots)
    as_of = portfolio_as_of(snapshots, as_of)
    title = f"{words['portfolio']} – {area or words['all_areas']}"
    when = words["as_of"].format(time=local_time(as_of, words))
    cover_info = PageInfo(header_left=words["portfolio_name"], header_right=title, footer_left=when)
    story = [SectionStart(cover_info), *_cover(snapshots, words, area, as_of)]
    for snapshot in snapshots:
        story += [PageBreak(), SectionStart(page_info(snapshot, words))]
        story += status_page_story(snapshot)
    subject = f"{title} · {long_date(as_of.date(), words)}"
    return _build(
        story,
        info=cover_info,
        digest=short_hash(*snapshots),
        created=as_of,
        language=language,
        title=title,
        subject=subject,
    )
