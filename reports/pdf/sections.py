"""The sections of one status page, in the seed page's order, as lists of flowables."""

from xml.sax.saxutils import escape, quoteattr

from django.utils.translation import pgettext
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Table, TableStyle

from portfolio.richtext import is_safe_url, to_plain, to_reportlab

from .. import wording
from ..trend import moved, trend_layout
from .charts import kpi_chart
from .flowables import RatingBadge, ScoreBadge, changes_table, milestone_table, text
from .joined_fragments import Paragraph
from .lights import derived_lights, derived_word
from .risks import heat_map, register_table
from .styles import FACT_LABEL_WIDTH, FONT, PAGE_MARGIN, stylesheet
from .trend import span_words, trend_drawing

WIDTH = A4[0] - 2 * PAGE_MARGIN
LABEL_WIDTH = FACT_LABEL_WIDTH
BADGE_WIDTH = 20 * mm
HEAT_MAP_WIDTH = 62 * mm
TREND_WIDTH, TREND_HEIGHT = 95 * mm, 62 * mm
# Up to this much text the chart stands beside it; longer text could not fit one page's row.
SIDE_BY_SIDE_CHARS = 1500


def _rich(source: str, empty: str | None = None) -> list:
    styles = stylesheet()
    flowables = to_reportlab(source, styles["body"], paragraph=Paragraph)
    if not flowables and empty:
        return [Paragraph(escape(empty), styles["muted"])]
    return flowables


def _heading(title: str) -> Paragraph:
    return Paragraph(escape(title), stylesheet()["h2"])


def _prefixed(track: str | None, markup: str) -> str:
    return f"{escape(track)}: {markup}" if track else markup


def _facts(rows: list[tuple[list, list]], label_width: float = LABEL_WIDTH) -> Table:
    """Return rows of a label column (a badge, a track name) beside a value that may split."""
    data = [[label, value] for label, value in rows]
    widths = [label_width, WIDTH - label_width]
    table = Table(data, colWidths=widths, splitInRow=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                # Every table names the font: ReportLab's default, Helvetica, is not embedded.
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        )
    )
    return table


def _labelled(label: str, markups: list[str], empty: str) -> list:
    """Return the value lines indented, the first with the label as its bullet.

    A bullet in the left margin draws the label column without a table, which would lay every
    paragraph out twice; the labels are our own short words, so they never need to wrap.
    """
    styles = stylesheet()
    if not markups:
        return [Paragraph(escape(empty), styles["fact_muted"], bulletText=f"{label}:")]
    first, *rest = markups
    return [
        Paragraph(first, styles["fact_value"], bulletText=f"{label}:"),
        *(Paragraph(markup, styles["fact_value"]) for markup in rest),
    ]


def _supplier(supplier) -> str:
    tentative = wording.tentative_supplier(supplier)
    if tentative is None:
        return _prefixed(wording.track_prefix(supplier.track, supplier.name), escape(supplier.name))
    return _prefixed(supplier.track, f"<i>{escape(tentative)}</i>")


def head(snapshot) -> list:
    """Return area, title and the facts: date, leader, participants, suppliers."""
    styles = stylesheet()
    participants = [
        _prefixed(wording.track_prefix(p.track, p.text), escape(p.text))
        for p in snapshot.participants
    ]
    suppliers = [_supplier(s) for s in snapshot.suppliers]
    leader = snapshot.project_leader or pgettext("report", "No project leader given.")
    story = [
        Paragraph(escape(snapshot.area), styles["area"]),
        Paragraph(escape(snapshot.title), styles["title"]),
    ]
    if snapshot.closed:
        closed = pgettext("report", "The project is closed.")
        story.append(Paragraph(escape(closed), styles["muted"]))
    # Date and leader share a line: both are short, and the page is to fit one sheet.
    leader_label = escape(pgettext("report", "Project leader"))
    dated = f"{escape(wording.long_date(snapshot.status_date))}<b> · {leader_label}:</b> "
    story += _labelled(pgettext("report", "Date"), [dated + escape(leader)], "")
    story += _labelled(
        pgettext("report", "Participants"),
        participants,
        pgettext("report", "No participants recorded."),
    )
    story += _labelled(
        pgettext("report", "Supplier"), suppliers, pgettext("report", "No suppliers recorded.")
    )
    return story


def purpose(snapshot) -> list:
    """Return the purpose (rich text) and the read-more link with its note."""
    story = [
        _heading(pgettext("report", "Purpose")),
        *_rich(snapshot.purpose, pgettext("report", "No purpose described.")),
    ]
    label = escape(snapshot.read_more_label or snapshot.read_more_url or "")
    url = snapshot.read_more_url
    if label and url and is_safe_url(url) and url.split(":", 1)[0] in ("http", "https", "mailto"):
        label = f'<a href={quoteattr(url)} color="#1f4e79"><u>{label}</u></a>'
    if snapshot.read_more_note:
        label = f"{label} {escape(snapshot.read_more_note)}".strip()
    label = label or escape(pgettext("report", "No link given."))
    read_more = escape(pgettext("report", "Read more about the project"))
    markup = f"<b>{read_more}:</b> {label}"
    story.append(Paragraph(markup, stylesheet()["body"]))
    return story


def status(snapshot) -> list:
    """Return the status per track: badge and track name beside the narrative."""
    heading, empty = pgettext("report", "Project status"), pgettext("report", "No status reported.")
    rows = []
    for line in snapshot.statuses:
        name = wording.track_or_whole(line.track)
        if line.reported_on:
            name = f"{name} ({wording.short_date(line.reported_on)})"
        if derived := derived_word(snapshot, line.track):
            name = f"{name} · {derived}"
        badge = RatingBadge(line.rating, wording.rating_word(line.rating))
        rows.append(([badge], [text(name, "h3"), *_rich(line.narrative, empty)]))
    if not rows:
        return [_heading(heading), *_rich("", empty), *derived_lights(snapshot)]
    # The badge alone in the label column; the track's name heads its narrative, full width.
    return [_heading(heading), _facts(rows, BADGE_WIDTH), *derived_lights(snapshot)]


def _top_risk(risk) -> tuple[list, list]:
    """Return a top risk's row: track and score beside title, description and mitigation."""
    styles = stylesheet()
    value = [Paragraph(f"<b>{escape(risk.title)}</b>", styles["body"])]
    if not wording.repeats_title(risk.title, risk.description, risk.track):
        value.extend(_rich(risk.description))
    if risk.mitigation:
        label = escape(pgettext("report", "Mitigation"))
        value.extend(
            to_reportlab(f"**{label}:** {risk.mitigation}", styles["body"], paragraph=Paragraph)
        )
    label = [text(wording.track_or_whole(risk.track), "h3")]
    if risk.score:
        label.append(ScoreBadge(risk))
    return label, value


def risks(snapshot) -> list:
    """Return the top risks, then (when any is assessed) the heat map and the open register."""
    heading = pgettext("report", "Biggest risk in the project")
    rows = [_top_risk(risk) for risk in snapshot.biggest_risks]
    if not rows:
        return [_heading(heading), *_rich("", pgettext("report", "No biggest risk given."))]
    story = [_heading(heading), _facts(rows)]
    if any(r.score for r in snapshot.risks):
        register = pgettext("report", "Risk register")
        story.append(Paragraph(escape(register), stylesheet()["h3"]))
        side = Table(
            [[heat_map(snapshot.risks), register_table(snapshot.risks, WIDTH - HEAT_MAP_WIDTH)]],
            colWidths=[HEAT_MAP_WIDTH, WIDTH - HEAT_MAP_WIDTH],
            hAlign="LEFT",
            splitInRow=1,
        )
        side.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story.append(side)
    return story


def milestones(snapshot) -> list:
    """Return the milestone note and table (or a line saying there are none)."""
    heading = _heading(pgettext("report", "Milestones"))
    story = [CondPageBreak(40 * mm), heading, *_rich(snapshot.milestone_note)]
    if snapshot.milestones:
        story.append(milestone_table(snapshot.milestones, WIDTH))
        story.extend(trend(snapshot))
    else:
        story.extend(_rich("", pgettext("report", "No milestones planned.")))
    return story


def trend(snapshot) -> list:
    """Return the milestone trend analysis beside how to read it, once any plan has moved."""
    day = snapshot.as_of_time.astimezone(wording.LOCAL_TIME).date()
    layout = trend_layout(snapshot.milestones, day) if moved(snapshot.milestones) else None
    if layout is None:
        return []
    styles = stylesheet()
    title = pgettext("report", "Milestone trend analysis")
    how = pgettext(
        "report",
        "Each line is a milestone, numbered as in the table. Across: the day a plan was "
        "reported; up: the date it planned. A rising line has slipped; a line that reaches "
        "the diagonal is achieved (filled dot) or due.",
    )
    notes = [
        Paragraph(f"<b>{escape(title)}</b>", styles["h3"]),
        Paragraph(escape(how), styles["body"]),
        Paragraph(escape(span_words(layout)), styles["muted"]),
    ]
    side = Table(
        [[trend_drawing(layout, TREND_WIDTH, TREND_HEIGHT), notes]],
        colWidths=[TREND_WIDTH, WIDTH - TREND_WIDTH],
        hAlign="LEFT",
    )
    side.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return [side]


def _series(series) -> list:
    """Return the series: description, name, chart and remark; chart beside the text if short."""
    styles = stylesheet()
    notes = _rich(series.description)
    if series.remark:
        notes.append(Paragraph(escape(pgettext("report", "Remark")) + ":", styles["body"]))
        notes.extend(_rich(series.remark))
    title = Paragraph(f"<b>{escape(series.name)}</b>", styles["h3"])
    if not series.points:
        return [title, *_rich("", pgettext("report", "No measurements yet.")), *notes]
    side = len(to_plain(series.description) + to_plain(series.remark)) <= SIDE_BY_SIDE_CHARS
    if not side:
        return [title, kpi_chart(series, WIDTH * 0.7), *notes]
    chart_width = WIDTH * 0.3
    row = Table(
        [[[title, *notes], kpi_chart(series, chart_width)]],
        colWidths=[WIDTH - chart_width, chart_width],
        hAlign="LEFT",
        # The notes may run onto the next page (the chart stays with their start), so a long
        # remark never pushes the whole block to a page of its own.
        splitInRow=1,
    )
    row.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 8),
            ]
        )
    )
    return [row]


def monitoring(snapshot) -> list:
    """Return the monitoring section: per track its note and KPI charts, then project KPIs."""
    styles = stylesheet()
    story = [_heading(pgettext("report", "Monitoring"))]
    names = {track.name for track in snapshot.tracks}
    groups = [(t.title or t.name, t.name, t.monitoring_note) for t in snapshot.tracks]
    groups.append((None, None, ""))
    for title, name, note in groups:
        series = [
            s for s in snapshot.kpis if s.track == name or (name is None and s.track not in names)
        ]
        if not series and not note:
            continue
        if title:
            # Not kept with what follows: the KPI block splits or its chart shrinks instead
            # (a kept group that does not fit jumps whole to the next page).
            story.append(Paragraph(escape(title), styles["h3_loose"]))
        story.extend(_rich(note))
        for one in series:
            story.extend(_series(one))
    if len(story) == 1:
        story.extend(_rich("", pgettext("report", "No measurements recorded.")))
    return story


def decisions(snapshot) -> list:
    """Return the steering group's decisions; the section is left out when there are none."""
    if not snapshot.decisions:
        return []
    styles = stylesheet()
    story = [_heading(pgettext("report", "Steering group decisions"))]
    for decision in snapshot.decisions:
        story.append(Paragraph(f"<b>{wording.short_date(decision.meeting_on)}</b>", styles["body"]))
        story.extend(_rich(decision.text))
        if decision.affects:
            affects = pgettext("report", "Affects") + ": " + ", ".join(decision.affects)
            story.append(Paragraph(escape(affects), styles["muted"]))
    return story


def changes(snapshot) -> list:
    """Return "Ændringer siden …" and the change list; nothing when there is no earlier report."""
    if snapshot.changes_since is None:
        return []
    story = [_heading(wording.changes_heading(snapshot.changes_since))]
    if snapshot.changes_since is not None and snapshot.changes:
        story.append(changes_table(snapshot.changes, WIDTH))
    else:
        story.extend(_rich("", wording.no_changes(snapshot.changes_since)))
    return story


SECTIONS = (head, purpose, status, risks, milestones, monitoring, decisions, changes)


def status_page_story(snapshot) -> list:
    """Return every section of the status page, in order, in the snapshot's language."""
    story: list = []
    with wording.in_language(snapshot.language):
        for section in SECTIONS:
            story.extend(section(snapshot))
    return story
