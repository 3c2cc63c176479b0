"""The KPI chart: one bar per measurement (a line when there are many), labelled "40 af 98"."""

import math
from decimal import Decimal, InvalidOperation

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Spacer

from ..wording import of, short_date
from .styles import ACCENT, FONT, FONT_BOLD, INK, MUTED, RULE

HEIGHT = 100
MIN_HEIGHT = 72  # a chart squeezed into the end of a page stays readable down to this
LABEL_GAP = 4  # the least room between two labels on the date axis or above the bars
MAX_BARS = 12  # beyond this, bars get too thin to label; a line shows the trend instead
# The plot area inside the chart's box, and the axes' tick length.
LEFT, BOTTOM, TICK = 30, 22, 5
AXIS_SIZE, BAR_LABEL_SIZE, CAPTION_SIZE = 7, 7.5, 9
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

    def __init__(self, series, width: float, height: float = HEIGHT):
        super().__init__()
        self.series = series
        self.width = width
        self.height = height
        self.values = [_number(p.value) for p in series.points]
        self.top = max([float(series.denominator or 0), *self.values, 1.0])
        self.plot_width = width - 40
        self.plot_height = height - 40

    def wrap(self, available_width, available_height):
        return self.width, self.height

    def split(self, available_width, available_height):
        """Shrink into the rest of a page rather than leave it empty, down to MIN_HEIGHT."""
        if MIN_HEIGHT <= available_height < self.height:
            # A split has two parts; the chart leaves nothing over for the next page.
            return [KpiChart(self.series, self.width, available_height), Spacer(0, 0)]
        return []

    def _y(self, value: float) -> float:
        return BOTTOM + self.plot_height * value / self.top

    def _ticks(self) -> list[float]:
        """Return the value axis's ticks: round steps, and the ceiling (the denominator)."""
        step = _step(self.top)
        ticks = [i * step for i in range(int(self.top / step) + 1)]
        room = AXIS_SIZE * 1.3 * self.top / self.plot_height  # one label's height, in values
        ticks = [t for t in ticks if self.top - t >= room or t == self.top]
        if ticks[-1] != self.top:
            ticks.append(self.top)
        return ticks

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
        canvas.drawRightString(right, self.height - 8, _caption(self.series))

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
        labels = [_label(p.value, self.series) for p in self.series.points]
        if _widest(labels, FONT_BOLD, BAR_LABEL_SIZE) + LABEL_GAP > category:
            labels = [p.value for p in self.series.points]  # "40", not "40 af 98"
        shown = _thinned(len(labels), _widest(labels, FONT_BOLD, BAR_LABEL_SIZE), category)
        for index in shown:
            x = LEFT + (index + 0.5) * category
            y = self._y(self.values[index]) + BAR_LABEL_NUDGE - 0.4 * BAR_LABEL_SIZE
            canvas.drawCentredString(x, y, labels[index])

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
        dates = [short_date(point.measured_on) for point in self.series.points]
        for index in _thinned(count, _widest(dates, FONT, AXIS_SIZE), category):
            x = LEFT + (index + 0.5) * category
            canvas.drawCentredString(x, top - AXIS_SIZE, dates[index])

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
            canvas.drawRightString(LEFT - TICK, y, f"{tick:g}")


def _widest(labels: list[str], font: str, size: float) -> float:
    return max((stringWidth(label, font, size) for label in labels), default=0.0)


def _thinned(count: int, widest: float, category: float) -> list[int]:
    """Return which of count evenly spaced labels to draw so that none overprints another.

    Every k-th from the last backwards, so the latest measurement is always labelled.
    """
    every = max(1, math.ceil((widest + LABEL_GAP) / category))
    return sorted(range(count - 1, -1, -every))


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
