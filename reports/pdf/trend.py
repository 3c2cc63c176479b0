"""The milestone trend analysis as a ReportLab Drawing, from reports.trend's layout."""

from django.utils.translation import pgettext
from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors

from ..trend import TrendLayout
from ..trend import colour as trend_colour
from ..wording import short_date
from .styles import FONT, FONT_BOLD, INK, MUTED, RULE

LEFT, BOTTOM, TOP, RIGHT = 40, 24, 12, 16
AXIS_SIZE = 7


def trend_drawing(layout: TrendLayout, width: float, height: float) -> Drawing:
    """Return the trend: the days plans became known across, the planned dates up, the
    diagonal where plan meets day, and one line per milestone ending in its number."""
    drawing = Drawing(width, height)
    plot_w, plot_h = width - LEFT - RIGHT, height - BOTTOM - TOP

    def xy(point):
        return LEFT + point[0] * plot_w, BOTTOM + point[1] * plot_h

    drawing.add(Rect(LEFT, BOTTOM, plot_w, plot_h, fillColor=None, strokeColor=RULE))
    diagonal = Line(LEFT, BOTTOM, LEFT + plot_w, BOTTOM + plot_h, strokeColor=MUTED)
    diagonal.strokeDashArray = [2, 2]
    drawing.add(diagonal)
    for tick in layout.ticks:
        x, y = xy((tick.at, tick.at))
        label = short_date(tick.day)[3:]  # "01.06.2026" -> "06.2026": ticks are month starts
        drawing.add(Line(x, BOTTOM, x, BOTTOM - 3, strokeColor=INK))
        drawing.add(_text(label, x, BOTTOM - 11, "middle"))
        drawing.add(Line(LEFT, y, LEFT - 3, y, strokeColor=INK))
        drawing.add(_text(label, LEFT - 5, y - 2.5, "end"))
    drawing.add(_text(pgettext("report", "Reported"), LEFT + plot_w, 1, "end"))
    drawing.add(_text(pgettext("report", "Planned"), 1, BOTTOM + plot_h + 4, "start"))
    for index, line in enumerate(layout.lines):
        colour = colors.HexColor(trend_colour(index))
        points = [c for point in line.points for c in xy(point)]
        if len(line.points) > 1:
            drawing.add(PolyLine(points, strokeColor=colour, strokeWidth=1.5))
        for point in line.points[:1] + line.points[-1:]:
            x, y = xy(point)
            fill = colour if line.achieved or point is line.points[0] else colors.white
            drawing.add(Circle(x, y, 2, fillColor=fill, strokeColor=colour))
        x, y = xy(line.points[-1])
        number = String(x + 4, y - 2.5, str(line.number), fontName=FONT_BOLD, fontSize=AXIS_SIZE)
        number.fillColor = colour
        drawing.add(number)
    return drawing


def _text(value: str, x: float, y: float, anchor: str) -> String:
    label = String(x, y, value, fontName=FONT, fontSize=AXIS_SIZE, fillColor=INK)
    label.textAnchor = anchor
    return label


def span_words(layout: TrendLayout) -> str:
    """Return the period the trend covers, for its caption."""
    return f"{short_date(layout.first)} – {short_date(layout.last)}"
