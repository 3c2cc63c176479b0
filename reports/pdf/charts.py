"""The KPI chart: one bar per measurement (a line when there are many), labelled "40 af 98"."""

from decimal import Decimal, InvalidOperation

from reportlab import rl_config
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, Line, String

from ..labels import short_date
from .styles import ACCENT, FONT, FONT_BOLD, INK, MUTED, RULE

# Shape attribute checking validates every attribute set on every chart node, at draw time too;
# our charts are built by this module only, and turning it off saves a tenth of a page's render.
rl_config.shapeChecking = 0

HEIGHT = 100
MAX_BARS = 12  # beyond this, bars get too thin to label; a line shows the trend instead


def _number(value: str) -> float:
    try:
        return float(Decimal(value))
    except (InvalidOperation, ValueError, TypeError):
        return 0.0


def _label(value: str, series, words: dict) -> str:
    """Return "40 af 98" when the series has a denominator, else the value and unit."""
    if series.denominator:
        return words["of"].format(value=value, denominator=series.denominator)
    return f"{value} {series.unit}".strip()


def _axes(chart, series, values: list[float], dates: list[str]) -> None:
    top = max([float(series.denominator or 0), *values, 1.0])
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.valueStep = _step(top)
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.25
    chart.categoryAxis.categoryNames = dates
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.strokeColor = RULE
    if len(dates) > 6:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"


def _step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return round(top / 5)


def kpi_chart(series, words: dict, width: float) -> Drawing:
    """Return the series as a Drawing: bars (or a line) up to the denominator, labelled."""
    points = series.points
    values = [_number(p.value) for p in points]
    dates = [short_date(p.measured_on) for p in points]
    drawing = Drawing(width, HEIGHT)
    drawing.initialFontName = FONT  # the renderer would otherwise start in Helvetica, unembedded
    if len(points) <= MAX_BARS:
        chart = VerticalBarChart()
        chart.data = [values]
        chart.bars[0].fillColor = ACCENT
        chart.bars[0].strokeColor = None
        chart.barLabelArray = [[_label(p.value, series, words) for p in points]]
        chart.barLabels.fontName = FONT_BOLD
        chart.barLabels.fontSize = 7.5
        chart.barLabels.fillColor = INK
        chart.barLabels.nudge = 6
        chart.barLabelFormat = "values"  # take the texts from barLabelArray
        # Relative widths: a bar is a third of its category, so one bar is not a wall.
        chart.barWidth = 10
        chart.groupSpacing = 20
    else:
        chart = HorizontalLineChart()
        chart.data = [values]
        chart.lines[0].strokeColor = ACCENT
        chart.lines[0].strokeWidth = 1.5
    chart.x, chart.y = 30, 22
    chart.width = width - 40
    chart.height = HEIGHT - 40
    _axes(chart, series, values, dates)
    drawing.add(chart)
    if series.denominator:
        # The denominator as a dashed ceiling, so the share is visible at a glance.
        y = chart.y + chart.height
        drawing.add(
            Line(
                chart.x,
                y,
                chart.x + chart.width,
                y,
                strokeColor=MUTED,
                strokeWidth=0.6,
                strokeDashArray=[2, 2],
            )
        )
    drawing.add(
        String(
            chart.x + chart.width,
            HEIGHT - 8,
            _caption(series, words),
            fontName=FONT_BOLD,
            fontSize=8,
            fillColor=INK,
            textAnchor="end",
        )
    )
    return drawing


def _caption(series, words: dict) -> str:
    """Return the latest measurement in words, e.g. "40 af 98 kommuner (24.04.2026)"."""
    latest = series.points[-1]
    whole = series.denominator_label or series.denominator
    value = words["of"].format(value=latest.value, denominator=whole) if whole else latest.value
    if not whole and series.unit:
        value = f"{value} {series.unit}"
    return f"{value} ({short_date(latest.measured_on)})"
