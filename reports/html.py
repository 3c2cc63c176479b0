"""The accessible HTML twin of a status page: the same content as the PDF, with real headings
and table headers, for screen readers (ReportLab cannot tag a PDF)."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portfolio.richtext import is_safe_url, to_html
from portfolio.web.history import describe

from .fingerprint import short_hash
from .labels import (
    LOCAL_TIME,
    change_words,
    labels,
    local_time,
    long_date,
    rating_word,
    short_date,
    track_prefix,
)


def _rich(source: str):
    return mark_safe(to_html(source))  # noqa: S308 - to_html escapes all user text


def _supplier(supplier, words: dict) -> dict:
    if supplier.state == "expected":
        return {
            "track": supplier.track,
            "text": words["supplier_expected"].format(name=supplier.name),
            "tentative": True,
        }
    if supplier.state == "not_decided":
        return {"track": supplier.track, "text": words["supplier_not_decided"], "tentative": True}
    track = track_prefix(supplier.track, supplier.name)
    return {"track": track, "text": supplier.name, "tentative": False}


def _milestones(snapshot, words: dict) -> list[dict]:
    return [
        {
            "number": row.number,
            "title": row.title,
            "track": row.track or "",
            "original": short_date(row.original_plan),
            "plan": short_date(row.current_plan),
            "replanned": words["replanned"].format(count=row.replan_count)
            if row.replan_count
            else "",
            "achieved": short_date(row.achieved_on) if row.achieved_on else "",
            "overdue": row.overdue,
        }
        for row in snapshot.milestones
    ]


def _series(series, words: dict) -> dict:
    whole = series.denominator_label or series.denominator
    return {
        "name": series.name,
        "description": _rich(series.description),
        "remark": _rich(series.remark),
        "points": [
            {
                "date": short_date(p.measured_on),
                "value": words["of"].format(value=p.value, denominator=whole) if whole else p.value,
                "source": p.source,
            }
            for p in series.points
        ],
    }


def _monitoring(snapshot, words: dict) -> list[dict]:
    names = {track.name for track in snapshot.tracks}
    groups = [(t.title or t.name, t.name, t.monitoring_note) for t in snapshot.tracks]
    groups.append(("", None, ""))
    out = []
    for title, name, note in groups:
        series = [
            s for s in snapshot.kpis if s.track == name or (name is None and s.track not in names)
        ]
        if series or note:
            out.append(
                {"title": title, "note": _rich(note), "series": [_series(s, words) for s in series]}
            )
    return out


def _changes(snapshot, words: dict) -> dict:
    since = snapshot.changes_since
    return {
        "heading": words["changes_since"].format(
            date=long_date(since.astimezone(LOCAL_TIME).date(), words)
        )
        if since
        else words["changes"],
        "empty": words["none_changes"] if since else words["no_previous"],
        "rows": [
            {
                "when": local_time(c.known_at, words),
                "kind": kind,
                "subject": subject,
                "detail": detail,
                "actor": c.actor,
            }
            for c in snapshot.changes
            for kind, subject, detail in [describe(c, change_words(words))]
        ],
    }


def status_page_context(snapshot, level: int = 1) -> dict:
    """Return everything the template shows, prepared: dates formatted, rich text escaped.

    `level` is the heading level of the page's title (2 inside the portfolio report).
    """
    words = labels(snapshot.language)
    url = snapshot.read_more_url
    return {
        "h": [0, level, level + 1, level + 2, level + 3],
        "s": snapshot,
        "w": words,
        "lang": "en" if snapshot.language == "en" else "da",
        "status_date": long_date(snapshot.status_date, words),
        "suppliers": [_supplier(s, words) for s in snapshot.suppliers],
        "participants": [
            {"track": track_prefix(p.track, p.text), "text": p.text} for p in snapshot.participants
        ],
        "purpose": _rich(snapshot.purpose),
        "read_more_url": url if url and is_safe_url(url) else "",
        "statuses": [
            {
                "track": line.track or words["whole_project"],
                "reported_on": short_date(line.reported_on) if line.reported_on else "",
                "rating": line.rating or "none",
                "word": rating_word(line.rating, words),
                "narrative": _rich(line.narrative),
            }
            for line in snapshot.statuses
        ],
        "risks": [
            {
                "risk": r,
                "track": r.track or words["whole_project"],
                "description": _rich(r.description),
                "scores": words["probability_impact"].format(
                    probability=r.probability, impact=r.impact
                )
                if r.probability and r.impact
                else "",
            }
            for r in snapshot.biggest_risks
        ],
        "milestone_note": _rich(snapshot.milestone_note),
        "milestones": _milestones(snapshot, words),
        "monitoring": _monitoring(snapshot, words),
        "decisions": [
            {
                "date": short_date(d.meeting_on),
                "text": _rich(d.text),
                "affects": ", ".join(d.affects),
            }
            for d in snapshot.decisions
        ],
        "changes": _changes(snapshot, words),
        "as_of": words["as_of"].format(time=local_time(snapshot.as_of_time, words)),
        "position": words["log_position"].format(position=snapshot.as_of_position),
        "hash": short_hash(snapshot),
    }


def render_status_page_html(snapshot) -> str:
    """Return the status page as a complete, accessible HTML document."""
    return render_to_string("reports/status_page.html", status_page_context(snapshot))


def render_portfolio_html(snapshots, *, area=None, as_of=None, language: str = "da") -> str:
    """Return the portfolio report as one HTML document: cover, overview, each status page."""
    from .pdf.render import overview_line, portfolio_as_of

    words = labels(language)
    snapshots = list(snapshots)
    as_of = portfolio_as_of(snapshots, as_of)
    context = {
        "w": words,
        "lang": "en" if language == "en" else "da",
        "area": area or words["all_areas"],
        "as_of": words["as_of"].format(time=local_time(as_of, words)),
        "count": words["projects_count"].format(count=len(snapshots)),
        "overview": [overview_line(s, words) for s in snapshots],
        "pages": [status_page_context(s, level=2) for s in snapshots],
        "hash": short_hash(*snapshots),
    }
    return render_to_string("reports/portfolio.html", context)
