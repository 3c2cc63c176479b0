"""The KPI chart: one bar per measurement (a line when there are many), labelled "40 af 98"."""

from decimal import Decimal, InvalidOperation

from reportlab.lib import colors
from reportlab.platypus import Flowable

from ..wording import of, short_date
from .styles import ACCENT, FONT, FONT_BOLD, INK, MUTED, RULE

HEIGHT = 100
MAX_BARS = 12  # beyond this, bars get too thin to label; a line shows the trend instead
# The plot area inside the chart's box, and the axes' tick length.
LEFT, BOTTOM, TICK = 30, 22, 5
AXIS_SIZE, BAR_LABEL_SIZE, CAPTION_SIZE = 7, 7.5, 8
BAR_LABEL_NUDGE = 6  # the bar's label stands this far above its top


def _number(value: str) -> float:
    try:
        return float(Decimal(value))
    except (InvalidOperation, ValueError, TypeError):
        return 0.0


def _label(value: str, series) -> str:
    """Return "40 af 98" when the series has a denominator, else the value and unit."""
    if series.denominator:
        return of(value, series.denominator)
    return f"{value} {series.unit}".strip()


def _step(top: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 6:
            return step
    return round(top / 5)


class KpiChart(Flowable):
    """The series as bars (or a line) up to the denominator, with its caption, as one box.

    Drawn with plain canvas calls in the layout of ReportLab's VerticalBarChart and
    HorizontalLineChart: those widgets build, check and render a tree of some forty shapes
    even for one bar, a large share of a status page's rendering.
    """

    def __init__(self, series, width: float):
        super().__init__()
        self.series = series
        self.width = width
        self.height = HEIGHT
        self.values = [_number(p.value) for p in series.points]
        self.top = max([float(series.denominator or 0), *self.values, 1.0])
        self.plot_width = width - 40
        self.plot_height = HEIGHT - 40

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def _y(self, value: float) -> float:
        return BOTTOM + self.plot_height * value / self.top

    def _ticks(self) -> list[float]:
        step = _step(self.top)
        return [i * step for i in range(int(self.top / step) + 1)]

    def draw(self):
        canvas = self.canv
        if len(self.values) <= MAX_BARS:
            self._grid()
            self._bars()
            self._category_axis()
            self._value_axis()
        else:
            self._category_axis()
            self._value_axis()
            self._grid()
            self._line()
        right = LEFT + self.plot_width
        if self.series.denominator:
            # The denominator as a dashed ceiling, so the share is visible at a glance.
            canvas.setStrokeColor(MUTED)
            canvas.setLineWidth(0.6)
            canvas.setDash([2, 2], 0)
            top = BOTTOM + self.plot_height
            canvas.line(LEFT, top, right, top)
            canvas.setDash([], 0)
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, CAPTION_SIZE)
        canvas.drawRightString(right, HEIGHT - 8, _caption(self.series))

    def _grid(self):
        self.canv.setStrokeColor(RULE)
        self.canv.setLineWidth(0.25)
        for tick in self._ticks():
            y = self._y(tick)
            self.canv.line(LEFT, y, LEFT + self.plot_width, y)

    def _bars(self):
        # A bar is a third of its category, centred, so one bar is not a wall.
        canvas, category = self.canv, self.plot_width / len(self.values)
        canvas.setFillColor(ACCENT)
        for index, value in enumerate(self.values):
            if value:
                x = LEFT + index * category + category / 3
                canvas.rect(x, BOTTOM, category / 3, self._y(value) - BOTTOM, stroke=0, fill=1)
        canvas.setFillColor(INK)
        canvas.setFont(FONT_BOLD, BAR_LABEL_SIZE)
        for index, (point, value) in enumerate(zip(self.series.points, self.values, strict=True)):
            x = LEFT + (index + 0.5) * category
            y = self._y(value) + BAR_LABEL_NUDGE - 0.4 * BAR_LABEL_SIZE
            canvas.drawCentredString(x, y, _label(point.value, self.series))

    def _line(self):
        canvas, category = self.canv, self.plot_width / len(self.values)
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(1.5)
        canvas.setLineJoin(1)
        path = canvas.beginPath()
        path.moveTo(LEFT + 0.5 * category, self._y(self.values[0]))
        for index, value in enumerate(self.values[1:], start=1):
            path.lineTo(LEFT + (index + 0.5) * category, self._y(value))
        canvas.drawPath(path, stroke=1, fill=0)
        canvas.setLineJoin(0)

    def _category_axis(self):
        canvas, count = self.canv, len(self.values)
        category = self.plot_width / count
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1)
        canvas.line(LEFT, BOTTOM, LEFT + self.plot_width, BOTTOM)
        for index in range(count + 1):
            x = LEFT + index * category
            canvas.line(x, BOTTOM, x, BOTTOM - TICK)
        canvas.setFillColor(colors.black)
        canvas.setFont(FONT, AXIS_SIZE)
        top = BOTTOM - TICK  # the labels hang from the tick ends
        for index, point in enumerate(self.series.points):
            x, text = LEFT + (index + 0.5) * category, short_date(point.measured_on)
            if count <= 6:
                canvas.drawCentredString(x, top - AXIS_SIZE, text)
                continue
            # Many dates: each turned 30 degrees, its end at the category's middle.
            canvas.saveState()
            canvas.translate(x, top)
            canvas.rotate(30)
            canvas.drawRightString(0, -AXIS_SIZE, text)
            canvas.restoreState()

    def _value_axis(self):
        canvas = self.canv
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(1)
        canvas.line(LEFT, BOTTOM, LEFT, BOTTOM + self.plot_height)
        for tick in self._ticks():
            canvas.line(LEFT, self._y(tick), LEFT - TICK, self._y(tick))
        canvas.setFillColor(colors.black)
        canvas.setFont(FONT, AXIS_SIZE)
        for tick in self._ticks():
            y = self._y(tick) - 0.4 * AXIS_SIZE  # the label's middle level with its tick
            canvas.drawRightString(LEFT - TICK, y, f"{tick:.0f}")


def kpi_chart(series, width: float) -> KpiChart:
    """Return the series as a chart: bars (or a line) up to the denominator, labelled."""
    return KpiChart(series, width)


def _caption(series) -> str:
    """Return the latest measurement in words, e.g. "40 af 98 kommuner (24.04.2026)"."""
    latest = series.points[-1]
    whole = series.denominator_label or series.denominator
    value = of(latest.value, whole) if whole else latest.value
    if not whole and series.unit:
        value = f"{value} {series.unit}"
    return f"{value} ({short_date(latest.measured_on)})"
