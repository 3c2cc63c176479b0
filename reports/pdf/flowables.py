"""The report's own flowables: rating badge, milestone table, change list, portfolio overview."""

from xml.sax.saxutils import escape

from django.utils.translation import pgettext
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from portfolio.web.history import describe

from ..wording import CHANGES, local_time, replanned, short_date
from .styles import (
    FONT_BOLD,
    HEADER_FILL,
    OVERDUE_FILL,
    RATING_COLOURS,
    RULE,
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


def _grid(header_rows: int = 1) -> list:
    return [
        ("FONTNAME", (0, 0), (-1, -1), FONT_BOLD),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL),
        ("LINEBELOW", (0, 0), (-1, header_rows - 1), 0.8, RULE),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.3, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]


def _table(rows: list, widths: list[float], style: list) -> Table:
    # repeatRows: the header row is drawn again on every page the table runs onto.
    # splitInRow: a row taller than a page (a very long title) is split instead of failing.
    table = Table(rows, colWidths=widths, repeatRows=1, splitInRow=1, hAlign="LEFT")
    table.setStyle(TableStyle(style))
    return table


def _header(*labels: str) -> list:
    return [text(label, "cell_head") for label in labels]


def milestone_table(milestones, width: float) -> Table:
    """Return the milestone table: number, milestone, track, original plan, plan, achieved."""
    dates = 19 * mm
    widths = [9 * mm, width - 9 * mm - 30 * mm - 3 * dates, 30 * mm, dates, dates, dates]
    header = _header(
        pgettext("report", "No."),
        pgettext("report", "Milestone"),
        pgettext("report", "Track"),
        pgettext("report", "Original plan"),
        pgettext("report", "Plan"),
        pgettext("report", "Achieved"),
    )
    rows, style = [header], _grid()
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
        rows.append(
            [
                text(f"{row.number}."),
                text(row.title),
                text(row.track or ""),
                text(short_date(row.original_plan)),
                Paragraph(escape(plan).replace("\n", "<br/>"), stylesheet()["cell"]),
                achieved,
            ]
        )
        if row.overdue:
            style.append(("BACKGROUND", (0, index), (-1, index), OVERDUE_FILL))
    return _table(rows, widths, style)


def changes_table(changes, width: float) -> Table:
    """Return the list of changes: when, what, subject, details, by whom."""
    widths = [27 * mm, 22 * mm, 45 * mm, width - 124 * mm, 30 * mm]
    rows = [
        _header(
            pgettext("report", "When"),
            pgettext("report", "What"),
            pgettext("report", "Subject"),
            pgettext("report", "Details"),
            pgettext("report", "By"),
        )
    ]
    for change in changes:
        kind, subject, detail = describe(change, CHANGES)
        when = local_time(change.known_at)
        rows.append([text(when), text(kind), text(subject), text(detail), text(change.actor)])
    return _table(rows, widths, _grid())


def overview_table(lines, width: float) -> Table:
    """Return the portfolio overview; lines are (title, area, ratings, next, overdue, date)."""
    widths = [width - 142 * mm, 27 * mm, 36 * mm, 40 * mm, 19 * mm, 20 * mm]
    rows = [
        _header(
            pgettext("report", "Project"),
            pgettext("report", "Area"),
            pgettext("report", "Status per track"),
            pgettext("report", "Next milestone"),
            pgettext("report overview", "Overdue"),
            pgettext("report", "Latest status date"),
        )
    ]
    style = _grid()
    for index, line in enumerate(lines, start=1):
        title, area, ratings, next_milestone, overdue, status_date = line
        rows.append(
            [
                text(title),
                text(area),
                text(ratings),
                text(next_milestone),
                text(str(overdue), "cell_overdue" if overdue else "cell"),
                text(status_date),
            ]
        )
        if overdue:
            style.append(("BACKGROUND", (4, index), (4, index), OVERDUE_FILL))
    return _table(rows, widths, style)
