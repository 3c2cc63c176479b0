"""The risk picture: score colours, the 5 x 5 probability/impact heat map, the register table."""

from collections import Counter
from xml.sax.saxutils import escape

from django.utils.translation import pgettext
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from portfolio.richtext import to_reportlab

from .. import wording
from .flowables import _grid, _table, text
from .joined_fragments import Paragraph
from .styles import FONT, FONT_BOLD, INK, risk_band, stylesheet

CELL = 9 * mm


def heat_map(risks) -> Drawing:
    """Return the 5 x 5 grid of probability (up) and impact (across), each cell its count."""
    counts = Counter((r.probability, r.impact) for r in risks if r.score)
    left, bottom = 14, 14
    drawing = Drawing(left + 5 * CELL + 2, bottom + 5 * CELL + 12)
    for p in range(1, 6):
        for i in range(1, 6):
            fill, ink = risk_band(p * i)
            x, y = left + (i - 1) * CELL, bottom + (p - 1) * CELL
            drawing.add(Rect(x, y, CELL, CELL, fillColor=fill, strokeColor=colors.white))
            if counts[(p, i)]:
                label = String(x + CELL / 2, y + CELL / 2 - 3, str(counts[(p, i)]))
                label.fontName, label.fontSize, label.fillColor = FONT_BOLD, 9, ink
                label.textAnchor = "middle"
                drawing.add(label)
        drawing.add(_axis(str(p), left - 5, bottom + (p - 0.5) * CELL - 3))
    for n in range(1, 6):
        drawing.add(_axis(str(n), left + (n - 0.5) * CELL, bottom - 9))
    drawing.add(_axis(pgettext("report", "Impact"), left + 2.5 * CELL, 0))
    title = _axis(pgettext("report", "Probability"), left, bottom + 5 * CELL + 3)
    title.textAnchor = "start"
    drawing.add(title)
    return drawing


def _axis(value: str, x: float, y: float) -> String:
    label = String(x, y, value, fontName=FONT, fontSize=7, fillColor=INK)
    label.textAnchor = "middle"
    return label


def register_table(risks, width: float):
    """Return the open risks, highest score first: risk, track, score, mitigation."""
    styles = stylesheet()
    columns = (
        (pgettext("report", "Risk"), width * 0.34),
        (pgettext("report", "Track"), 26 * mm),
        (pgettext("report", "Score"), 22 * mm),
        (pgettext("report", "Mitigation"), width * 0.66 - 48 * mm),
    )
    rows = [[text(label, "cell_head") for label, _ in columns]]
    style = _grid()
    for index, risk in enumerate(risks, start=1):
        what = [Paragraph(f"<b>{escape(risk.title)}</b>", styles["cell"])]
        what += to_reportlab(risk.description, styles["cell"], paragraph=Paragraph)
        mitigation = to_reportlab(risk.mitigation, styles["cell"], paragraph=Paragraph) or [
            text("-")
        ]
        fill, ink = risk_band(risk.score)
        ink_hex = ink.hexval().replace("0x", "#")
        score = Paragraph(
            f'<font color="{ink_hex}"><b>{wording.score_word(risk)}</b></font>', styles["cell"]
        )
        rows.append([what, text(wording.track_or_whole(risk.track)), score, mitigation])
        style.append(("BACKGROUND", (2, index), (2, index), fill))
    return _table(rows, [w for _, w in columns], style)
