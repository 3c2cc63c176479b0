"""The milestone trend analysis on the project page: reports.trend's layout scaled to an SVG."""

from milestones.selectors import plan_histories
from portfolio.selectors import ProjectState
from portfolio.web.dates import short_day

from ..trend import PlanHistory, colour, trend_layout

# The drawing box, in SVG user units; the SVG scales to the page's width.
WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 420, 84, 40, 30, 56


def trend_chart(state: ProjectState, milestones: list) -> dict:
    """Return the trend of the page's milestones (MilestoneView) laid out as an SVG, or {}."""
    plans = plan_histories(state)
    rows = [
        PlanHistory(v.number, v.milestone.title, plans[v.milestone.id], v.milestone.achieved_on)
        for v in milestones
    ]
    layout = trend_layout(rows, state.as_of.day)
    if layout is None:
        return {}
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(point) -> tuple[str, str]:
        return _c(LEFT + point[0] * inner_w), _c(TOP + (1 - point[1]) * inner_h)

    lines = []
    for index, line in enumerate(layout.lines):
        points = [xy(p) for p in line.points]
        lines.append(
            {
                "number": line.number,
                "title": line.title,
                "colour": colour(index),
                "points": " ".join(f"{x},{y}" for x, y in points),
                "start": points[0],
                "end": points[-1],
                "achieved": line.achieved,
                "steps": line.steps,
            }
        )
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "plot_width": inner_w,
        "plot_height": inner_h,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "lines": lines,
        "ticks": [
            {"x": xy((t.at, 0))[0], "y": xy((0, t.at))[1], "label": short_day(t.day)}
            for t in layout.ticks
        ],
        "tick_x": LEFT - 8,
        "label_y": HEIGHT - BOTTOM + 20,
        "first": layout.first,
        "last": layout.last,
        "omitted": layout.omitted,
    }


def _c(value: float) -> str:
    # Coordinates as text with a dot: the template would write 216,0 in Danish.
    return f"{value:.1f}"
