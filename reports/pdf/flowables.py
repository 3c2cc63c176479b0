"""The report's own flowables: rating badge, milestone table, change list, portfolio overview."""

from xml.sax.saxutils import escape

from django.utils.translation import pgettext
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Table, TableStyle

from portfolio.web.history import describe

from ..wording import CHANGES, local_time, rating_word, replanned, short_date
from .joined_fragments import Paragraph
from .styles import (
    AREA_FILL,
    FONT_BOLD,
    HEADER_FILL,
    OVERDUE_FILL,
    OVERDUE_INK,
    RATING_COLOURS,
    RULE,
    risk_band,
    stylesheet,
)


def text(value: str, style: str = "cell") -> Paragraph:
    """Return a Paragraph of plain user text, escaped so its "<" and "&" print as typed."""
    return Paragraph(escape(value or ""), stylesheet()[style])


class RatingBadge(Flowable):
    """A rounded badge in the rating's colour with its word, so it reads in grey print too."""

    SIZE = 7.5

    def __init__(self, rating: str | None, word: str):
        super().__init__()
        self.rating = rating if rating in RATING_COLOURS else None
        self.word = word
        self.width = stringWidth(word, FONT_BOLD, self.SIZE) + 10
        self.height = self.SIZE + 6

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def draw(self):
        fill, ink = RATING_COLOURS[self.rating]
        self.canv.setFillColor(fill)
        self.canv.setStrokeColor(fill)
        self.canv.roundRect(0, 0, self.width, self.height, 3, stroke=0, fill=1)
        self.canv.setFillColor(ink)
        self.canv.setFont(FONT_BOLD, self.SIZE)
        self.canv.drawCentredString(self.width / 2, 3.6, self.word)


class ScoreBadge(RatingBadge):
    """A risk's score (P x I) in its band's colour, e.g. "P×I 16"."""

    def __init__(self, risk):
        super().__init__(None, f"P×I {risk.score}")
        self.fill, self.ink = risk_band(risk.score)

    def draw(self):
        self.canv.setFillColor(self.fill)
        self.canv.roundRect(0, 0, self.width, self.height, 3, stroke=0, fill=1)
        self.canv.setFillColor(self.ink)
        self.canv.setFont(FONT_BOLD, self.SIZE)
        self.canv.drawCentredString(self.width / 2, 3.6, self.word)


def _grid(header_rows: int = 1) -> list:
    return [
        ("FONTNAME", (0, 0), (-1, -1), FONT_BOLD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, header_rows - 1), 0.8, RULE),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]


def _table(rows: list, widths: list[float], style: list) -> Table:
    # repeatRows: the header row is drawn again on every page the table runs onto.
    # splitInRow: a row taller than a page (a very long title) is split instead of failing.
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _columns(*columns: tuple[str, float]) -> tuple[list[list], list[float]]:
    """Return a table's rows so far (its header row) and its column widths."""
    return [[text(label, "cell_head") for label, _ in columns]], [width for _, width in columns]


def milestone_table(milestones, width: float) -> Table:
    """Return the milestone table: number, milestone, track, original plan, plan, achieved."""
    dates = 19 * mm
    rows, widths = _columns(
        (pgettext("report", "No."), 9 * mm),
        (pgettext("report", "Milestone"), width - 9 * mm - 30 * mm - 3 * dates),
        (pgettext("report", "Track"), 30 * mm),
        (pgettext("report", "Original plan"), dates),
        (pgettext("report", "Plan"), dates),
        (pgettext("report", "Achieved"), dates),
    )
    style = _grid()
    for index, row in enumerate(milestones, start=1):
        plan = short_date(row.current_plan)
        if row.replan_count:
            plan += "\n" + replanned(row.replan_count)
        if row.achieved_on:
            achieved = text(short_date(row.achieved_on))
        elif row.overdue:
            achieved = text(pgettext("report", "Overdue"), "cell_overdue")
        else:
            achieved = text("")
        facts = (f"{row.number}.", row.title, row.track or "", short_date(row.original_plan))
        plan = Paragraph(escape(plan).replace("\n", "<br/>"), stylesheet()["cell"])
        rows.append([*map(text, facts), plan, achieved])
        if row.overdue:
            style.append(("BACKGROUND", (0, index), (-1, index), OVERDUE_FILL))
    return _table(rows, widths, style)


def changes_table(changes, width: float) -> Table:
    """Return the list of changes: when, what, subject, details, by whom."""
    rows, widths = _columns(
        (pgettext("report", "When"), 27 * mm),
        (pgettext("report", "What"), 22 * mm),
        (pgettext("report", "Subject"), 45 * mm),
        (pgettext("report", "Details"), width - 124 * mm),
        (pgettext("report", "By"), 30 * mm),
    )
    for change in changes:
        kind, subject, detail = describe(change, CHANGES)
        when = local_time(change.known_at)
        rows.append([text(when), text(kind), text(subject), text(detail), text(change.actor)])
    return _table(rows, widths, _grid())


class Bookmark(Flowable):
    """An entry in the PDF's outline (the reader's bookmarks) pointing at the page it is on."""

    def __init__(self, key: str, title: str, level: int):
        super().__init__()
        self.key, self.title, self.level = key, title, level

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        self.canv.bookmarkPage(self.key)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=False)
        self.canv.showOutline()


def _badge(rating: str | None, word: str) -> str:
    fill, ink = RATING_COLOURS.get(rating, RATING_COLOURS[None])
    return (
        f'<font backColor="{fill.hexval().replace("0x", "#")}" '
        f'color="{ink.hexval().replace("0x", "#")}"><b>\u00a0{escape(word)}\u00a0</b></font>'
    )


def _ratings(row) -> Paragraph:
    """Return each track's reported rating as a coloured word, the derived one beside it when
    they differ."""
    lines = []
    for r in row.ratings:
        line = f"{escape(r.track)}: {_badge(r.rating, r.word)}"
        if r.derived and r.derived != r.rating:
            derived = escape(pgettext("report", "derived"))
            line += f" {derived} {_badge(r.derived, r.derived_word)}"
        lines.append(line)
    return Paragraph("<br/>".join(lines) or escape(rating_word(None)), stylesheet()["cell"])


def _flagged(value: str, flag: str, first: bool = False) -> Paragraph:
    """Return a cell's value with a red bold flag word (before or after it)."""
    mark = f'<font color="{OVERDUE_INK.hexval().replace("0x", "#")}"><b>{escape(flag)}</b></font>'
    markup = f"{mark} {escape(value)}" if first else f"{escape(value)}<br/>{mark}"
    return Paragraph(markup, stylesheet()["cell"])


def overview_table(groups, width: float) -> Table:
    """Return the portfolio overview: per area a heading row, then a row per project
    (reports.overview.OverviewRow) with coloured ratings, overdue and stale status flagged."""
    rows, widths = _columns(
        (pgettext("report", "Project"), width - 140 * mm),
        (pgettext("report", "Status per track"), 52 * mm),
        (pgettext("report", "Next milestone"), 47 * mm),
        (pgettext("report overview", "Overdue"), 20 * mm),
        (pgettext("report", "Latest status date"), 21 * mm),
    )
    style = _grid()
    for area, projects in groups:
        rows.append([text(area, "cell_head"), "", "", "", ""])
        index = len(rows) - 1
        style.append(("SPAN", (0, index), (-1, index)))
        style.append(("BACKGROUND", (0, index), (-1, index), AREA_FILL))
        for row in projects:
            index = len(rows)
            upcoming = text(row.next_milestone)
            if row.late_milestone:
                late = pgettext("report", "Overdue:")
                upcoming = [_flagged(row.late_milestone, late, first=True), upcoming]
            count = text(str(row.overdue), "cell_overdue" if row.overdue else "cell")
            status_date = text(row.status_date)
            if row.stale:
                status_date = _flagged(row.status_date, pgettext("report", "Stale"))
                style.append(("BACKGROUND", (4, index), (4, index), OVERDUE_FILL))
            rows.append([text(row.title), _ratings(row), upcoming, count, status_date])
            if row.overdue:
                style.append(("BACKGROUND", (2, index), (3, index), OVERDUE_FILL))
    return _table(rows, widths, style)
