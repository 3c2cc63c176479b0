"""The accessible HTML twin of a status page: the same content as the PDF, with real headings
and table headers, for screen readers (ReportLab cannot tag a PDF)."""

import io
from collections.abc import Sequence
from typing import BinaryIO

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portfolio.richtext import is_safe_url, to_html
from portfolio.web.history import describe
from risks.rules import score_band

from . import wording
from .fingerprint import short_hash
from .overview import cover_lines, outline
from .trend import moved

# The twin is one self-contained file, styled by its own <style>: served from our origin it may
# style itself and load or run nothing, whatever an archived copy holds.
TWIN_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def _rich(source: str):
    return mark_safe(to_html(source))  # noqa: S308 - to_html escapes all user text


def _supplier(supplier) -> dict:
    tentative = wording.tentative_supplier(supplier)
    if tentative is not None:
        return {"track": supplier.track, "text": tentative, "tentative": True}
    track = wording.track_prefix(supplier.track, supplier.name)
    return {"track": track, "text": supplier.name, "tentative": False}


def _milestones(snapshot) -> list[dict]:
    return [
        {
            "number": row.number,
            "title": row.title,
            "track": row.track or "",
            "original": wording.short_date(row.original_plan),
            "plan": wording.short_date(row.current_plan),
            "replanned": wording.replanned(row.replan_count) if row.replan_count else "",
            "achieved": wording.short_date(row.achieved_on) if row.achieved_on else "",
            "overdue": row.overdue,
        }
        for row in snapshot.milestones
    ]


def _series(series) -> dict:
    whole = series.denominator_label or series.denominator
    return {
        "name": series.name,
        "description": _rich(series.description),
        "remark": _rich(series.remark),
        "points": [
            {
                "date": wording.short_date(p.measured_on),
                "value": wording.of(p.value, whole) if whole else p.value,
                "source": p.source,
            }
            for p in series.points
        ],
    }


def _monitoring(snapshot) -> list[dict]:
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
                {"title": title, "note": _rich(note), "series": [_series(s) for s in series]}
            )
    return out


def _changes(snapshot) -> dict:
    since = snapshot.changes_since
    return {
        "heading": wording.changes_heading(since),
        "empty": wording.no_changes(since),
        "rows": [_change(c) for c in snapshot.changes],
    }


def _change(change) -> dict:
    kind, subject, detail = describe(change, wording.CHANGES)
    when = wording.local_time(change.known_at)
    return {"when": when, "kind": kind, "subject": subject, "detail": detail, "actor": change.actor}


def _trend(snapshot) -> list[dict]:
    """Return the milestone trend as a table's rows (as the PDF draws it: once a plan moved)."""
    if not moved(snapshot.milestones):
        return []
    return [
        {
            "number": m.number,
            "title": m.title,
            "steps": [
                f"{wording.short_date(known)} → {wording.short_date(planned)}"
                for known, planned in m.plans
            ],
        }
        for m in snapshot.milestones
        if m.plans
    ]


def status_page_context(snapshot, level: int = 1) -> dict:
    """Return everything the template shows, prepared: dates formatted, rich text escaped.

    `level` is the heading level of the page's title (2 inside the portfolio report). The words
    are the snapshot's language's: call it inside `wording.in_language`.
    """
    url = snapshot.read_more_url
    return {
        "h": [0, level, level + 1, level + 2, level + 3],
        # Inside the portfolio report each page's section ids are its own.
        "pid": f"{snapshot.project_slug}-" if level > 1 else "",
        "s": snapshot,
        "lang": "en" if snapshot.language == "en" else "da",
        "status_date": wording.long_date(snapshot.status_date),
        "suppliers": [_supplier(s) for s in snapshot.suppliers],
        "participants": [
            {"track": wording.track_prefix(p.track, p.text), "text": p.text}
            for p in snapshot.participants
        ],
        "purpose": _rich(snapshot.purpose),
        "read_more_url": url if url and is_safe_url(url) else "",
        "statuses": [
            {
                "track": wording.track_or_whole(line.track),
                "reported_on": wording.short_date(line.reported_on) if line.reported_on else "",
                "rating": line.rating or "none",
                "word": wording.rating_word(line.rating),
                "narrative": _rich(line.narrative),
            }
            for line in snapshot.statuses
        ],
        "lights": [
            {
                "track": wording.track_or_whole(x.track),
                "rating": x.derived,
                "line": wording.derived_line(x.derived, x.reasons, x.rating, x.justification),
            }
            for x in snapshot.lights
        ],
        "risks": [
            {
                "risk": r,
                "track": wording.track_or_whole(r.track),
                "description": ""
                if wording.repeats_title(r.title, r.description, r.track)
                else _rich(r.description),
                "scores": wording.score_line(r),
                "band": score_band(r.score),
                "mitigation": _rich(r.mitigation),
            }
            for r in snapshot.biggest_risks
        ],
        "register": [
            {"risk": r, "track": wording.track_or_whole(r.track), "band": score_band(r.score)}
            for r in snapshot.risks
        ]
        if any(r.score for r in snapshot.risks)
        else [],
        "milestone_note": _rich(snapshot.milestone_note),
        "milestones": _milestones(snapshot),
        "trend": _trend(snapshot),
        "monitoring": _monitoring(snapshot),
        "decisions": [
            {
                "date": wording.short_date(d.meeting_on),
                "text": _rich(d.text),
                "affects": ", ".join(d.affects),
            }
            for d in snapshot.decisions
        ],
        "changes": _changes(snapshot),
        "footer": _footer(snapshot.as_of_time, short_hash(snapshot)),
        "pin": _pin(snapshot.as_of_time, snapshot.as_of_position, short_hash(snapshot)),
    }


def _footer(moment, digest: str) -> str:
    """Return the document's footer, as the PDF's: "Status pr. 24. april 2026 · kontrolkode …"."""
    return f"{wording.status_on(moment)} · {wording.check_code(digest)}"


def _pin(moment, position: int | None, digest: str) -> str:
    """Return the pin a PDF keeps in its metadata: as-of time, log position, check code."""
    parts = [wording.status_as_of(moment)]
    if position is not None:
        parts.append(wording.log_position(position))
    return " · ".join([*parts, wording.check_code(digest)])


def render_status_page_html(snapshot, *, witness: str = "") -> str:
    """Return the status page as a complete, accessible HTML document.

    `witness` is the signed head of the report's pin, as the PDF carries it.
    """
    with wording.in_language(snapshot.language):
        context = {**status_page_context(snapshot), "witness": witness}
        return render_to_string("reports/status_page.html", context)


# Where the status pages go in the portfolio report's frame: user text is escaped, so it
# never makes a comment.
_PAGES = "<!-- portefolje: status pages -->"


def write_portfolio_html(
    out: BinaryIO, snapshots, *, area=None, as_of=None, language: str = "da", witness: str = ""
) -> None:
    """Write the portfolio report as one HTML document (UTF-8) to `out`: cover, overview, each
    status page, a page at a time, so a spooled portfolio (see render_portfolio) is read a
    project at a time and the document is never all in memory.
    """
    snapshots = snapshots if isinstance(snapshots, Sequence) else list(snapshots)
    with wording.in_language(language):
        plan = outline(snapshots, as_of)
        context = {
            "lang": "en" if language == "en" else "da",
            "area": wording.area_name(area),
            "cover": cover_lines(plan.all_rows, area, plan.moment, plan.meeting),
            "groups": plan.rows,
            "pages": [mark_safe(_PAGES)],  # noqa: S308 - our own constant
            "footer": _footer(plan.moment, plan.digest),
            "pin": _pin(plan.moment, None, plan.digest),
            "witness": witness,
        }
        head, tail = render_to_string("reports/portfolio.html", context).split(_PAGES)
        out.write(head.encode("utf-8"))
        for _, indexes in plan.areas:
            for index in indexes:
                page = status_page_context(snapshots[index], level=2)
                out.write(render_to_string("reports/_portfolio_page.html", {"page": page}).encode())
        out.write(tail.encode("utf-8"))


def render_portfolio_html(
    snapshots, *, area=None, as_of=None, language: str = "da", witness: str = ""
) -> str:
    """Return the portfolio report as one HTML document: cover, overview, each status page."""
    out = io.BytesIO()
    write_portfolio_html(out, snapshots, area=area, as_of=as_of, language=language, witness=witness)
    return out.getvalue().decode("utf-8")
