"""Build the seed project (and a plainly named example project) through commands.

Every step carries a fixed command id, so running it again appends nothing. The seed page's
history is imported with known_at on its publication date: "as of 24 April 2026" shows it,
and nothing known earlier.
"""

from datetime import date, datetime, time

from django.utils import timezone

from milestones import commands as milestone_commands
from portfolio import commands
from portfolio.models import Area, Track
from risks import commands as risk_commands

from . import seed


def at(day: str, hour: int = 10) -> datetime:
    """Return a moment on a business day, in the site's time zone."""
    return timezone.make_aware(datetime.combine(date.fromisoformat(day), time(hour)))


def _area(actor, slug: str, name: str, known_at: datetime, key: str) -> str:
    existing = Area.objects.filter(slug=slug).values_list("id", flat=True).first()
    if existing:
        return existing
    return commands.area_create(
        slug=slug, name=name, actor=actor, command_id=f"demo:{key}:area", known_at=known_at
    ).stream_id


def build_seed(actor) -> str:
    """Create the seed project as published on 24 April 2026; return its id."""
    when = at(seed.STATUS_DATE)
    key = "seed"
    area_id = _area(actor, seed.AREA_SLUG, seed.AREA_NAME, when, key)
    project_id = commands.project_create(
        slug=seed.PROJECT_SLUG,
        title=seed.TITLE,
        area_id=area_id,
        managers=["projektleder"],
        actor=actor,
        command_id=f"demo:{key}:project",
        known_at=when,
    ).stream_id
    tracks = {}
    for name, title in ((seed.TRACK_PT, ""), (seed.TRACK_LTT, seed.TRACK_LTT_TITLE)):
        commands.track_add(
            project_id=project_id,
            name=name,
            title=title,
            expected_version=None,
            actor=actor,
            command_id=f"demo:{key}:track:{name}",
            known_at=when,
        )
        tracks[name] = Track.objects.get(project_id=project_id, name=name).id
    commands.track_change(
        project_id=project_id,
        track_id=tracks[seed.TRACK_PT],
        changes={"monitoring_note": seed.MONITORING_NOTE_PT},
        expected_version=None,
        actor=actor,
        command_id=f"demo:{key}:monitoring-note",
        known_at=when,
    )
    commands.project_update(
        project_id=project_id,
        changes={
            "project_leader": seed.PROJECT_LEADER,
            "participants": [{"track": tracks[t], "text": text} for t, text in seed.PARTICIPANTS],
            "suppliers": [
                {"track": tracks[t], "name": name, "state": state}
                for t, name, state in seed.SUPPLIERS
            ],
            "purpose": seed.PURPOSE,
            "read_more": {
                "label": seed.READ_MORE_LABEL,
                "url": seed.READ_MORE_URL,
                "note": seed.READ_MORE_NOTE,
            },
            "milestone_note": seed.MILESTONE_NOTE,
        },
        expected_version=None,
        actor=actor,
        command_id=f"demo:{key}:details",
        known_at=when,
    )
    for track, narrative in seed.STATUS:
        commands.status_report(
            project_id=project_id,
            track_id=tracks[track],
            rating=None,
            narrative=narrative,
            reported_on=date.fromisoformat(seed.STATUS_DATE),
            expected_version=None,
            actor=actor,
            command_id=f"demo:{key}:status:{track}",
            known_at=when,
        )
    risk_id = risk_commands.risk_raise(
        project_id=project_id,
        track_id=tracks[seed.BIGGEST_RISK_TRACK],
        title=seed.BIGGEST_RISK_TITLE,
        description=seed.BIGGEST_RISK_TEXT,
        actor=actor,
        command_id=f"demo:{key}:risk",
        known_at=when,
    ).stream_id
    risk_commands.risk_mark_biggest(
        risk_id=risk_id, actor=actor, command_id=f"demo:{key}:risk:biggest", known_at=when
    )
    for n, (track, title, planned) in enumerate(seed.MILESTONES):
        milestone_commands.milestone_plan(
            project_id=project_id,
            track_id=tracks[track],
            title=title,
            planned_on=date.fromisoformat(planned) if planned else None,
            actor=actor,
            command_id=f"demo:{key}:milestone:{n}",
            known_at=when,
        )
    kpi_id = commands.kpi_define(
        project_id=project_id,
        track_id=tracks[seed.TRACK_LTT],
        name=seed.KPI_NAME,
        description=seed.KPI_DESCRIPTION,
        unit=seed.KPI_UNIT,
        denominator=seed.KPI_DENOMINATOR,
        denominator_label=seed.KPI_DENOMINATOR_LABEL,
        actor=actor,
        command_id=f"demo:{key}:kpi",
        known_at=when,
    ).stream_id
    for measured_on, value in seed.KPI_POINTS:
        commands.kpi_measure(
            kpi_id=kpi_id,
            measured_on=date.fromisoformat(measured_on),
            value=value,
            actor=actor,
            command_id=f"demo:{key}:kpi:{measured_on}",
            known_at=when,
        )
    commands.kpi_write_remark(
        kpi_id=kpi_id,
        remark=seed.KPI_REMARK,
        actor=actor,
        command_id=f"demo:{key}:kpi:remark",
        known_at=when,
    )
    return project_id
