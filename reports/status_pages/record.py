"""Record what a status page says, dated at the day it was published, through the commands.

A page of a project not yet recorded creates it; a later page of the same project records only
what differs from the record, so importing a project's pages oldest first rebuilds the history
of what was published. What a page leaves out is left as it is (a page never withdraws a
milestone or closes a risk), and said so.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from milestones import commands as milestone_commands
from milestones.models import Milestone
from portfolio import commands
from portfolio.errors import InvalidInput
from portfolio.eventstore import store
from portfolio.models import Area, KpiSeries, Status, Track
from portfolio.models import Project as ProjectRow
from portfolio.slugs import slug_from
from risks import commands as risk_commands
from risks.models import Risk

from .page import Page


def published_at(day: date) -> datetime:
    """The moment a page's facts are dated: its day, in the morning, in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(10)))


@dataclass
class Outcome:
    project_id: str = ""
    project_slug: str = ""
    recorded: list[str] = field(default_factory=list)  # "<stream type>: <event type>"
    left_alone: list[str] = field(default_factory=list)  # what the page leaves out


def record(
    page: Page,
    *,
    as_of: date,
    actor,
    area_slug: str | None = None,
    slug: str | None = None,
    managers=(),
    kpi_charts: dict[str, dict] | None = None,
) -> Outcome:
    """Record `page` as known on `as_of`, in one transaction; return what was recorded.

    `kpi_charts` gives, by KPI name, what a KPI's chart shows and its text does not (unit,
    denominator, denominator_label), for a KPI the page defines.
    """
    before = store.head_position()
    recorder = _Recorder(page, published_at(as_of), actor, kpi_charts or {})
    with transaction.atomic():
        outcome = recorder.run(area_slug, slug, managers)
    outcome.recorded = [
        f"{event.stream_type}: {event.event_type}" for event in store.read_all(after=before)
    ]
    return outcome


class _Recorder:
    def __init__(self, page: Page, known_at: datetime, actor, kpi_charts: dict[str, dict]):
        self.page, self.known_at, self.actor = page, known_at, actor
        self.kpi_charts = kpi_charts
        self.outcome = Outcome()

    def _by(self) -> dict:
        return {"actor": self.actor, "known_at": self.known_at}

    def run(self, area_slug, slug, managers) -> Outcome:
        area_id = self._area(area_slug or slug_from(self.page.area))
        self.project_id = self._project(slug or slug_from(self.page.title), area_id, managers)
        self.tracks = self._tracks()
        self._details()
        self._statuses()
        self._risks()
        self._milestones()
        self._kpis()
        return self.outcome

    def track_id(self, name: str | None) -> str | None:
        return self.tracks[name] if name is not None else None

    def _area(self, slug: str) -> str:
        existing = Area.objects.filter(slug=slug).values_list("id", flat=True).first()
        if existing:
            return existing
        if not self.page.area:
            raise InvalidInput("area", "the page names no area (# heading): give --area")
        return commands.area_create(slug=slug, name=self.page.area, **self._by()).stream_id

    def _project(self, slug: str, area_id: str, managers) -> str:
        self.outcome.project_slug = slug
        row = ProjectRow.objects.filter(slug=slug).first()
        if row is None:
            result = commands.project_create(
                slug=slug, title=self.page.title, area_id=area_id, managers=managers, **self._by()
            )
            self.outcome.project_id = result.stream_id
            return result.stream_id
        if row.area_id != area_id:
            raise InvalidInput("area", f"project {slug} belongs to another area")
        self.outcome.project_id = row.id
        return row.id

    def _tracks(self) -> dict[str, str]:
        rows = {t.name: t for t in Track.objects.filter(project_id=self.project_id)}
        for track in self.page.tracks:
            note = self.page.monitoring_notes.get(track.name, "")
            row = rows.get(track.name)
            if row is None:
                commands.track_add(
                    project_id=self.project_id,
                    name=track.name,
                    title=track.title,
                    monitoring_note=note,
                    expected_version=None,
                    **self._by(),
                )
            elif (row.title, row.monitoring_note) != (track.title, note):
                commands.track_change(
                    project_id=self.project_id,
                    track_id=row.id,
                    changes={"title": track.title, "monitoring_note": note},
                    expected_version=None,
                    **self._by(),
                )
        return dict(Track.objects.filter(project_id=self.project_id).values_list("name", "id"))

    def _details(self) -> None:
        page = self.page
        label, url, note = page.read_more
        commands.project_update(  # the project records only the fields that changed
            project_id=self.project_id,
            changes={
                "title": page.title,
                "project_leader": page.project_leader,
                "participants": [
                    {"track": self.track_id(t), "text": text} for t, text in page.participants
                ],
                "suppliers": [
                    {"track": self.track_id(t), "name": name, "state": state}
                    for t, name, state in page.suppliers
                ],
                "purpose": page.purpose,
                "read_more": {"label": label, "url": url, "note": note},
                "milestone_note": page.milestone_note,
            },
            expected_version=None,
            **self._by(),
        )

    def _statuses(self) -> None:
        rows = {s.track_id: s for s in Status.objects.filter(project_id=self.project_id)}
        for track, narrative in self.page.statuses:
            track_id = self.track_id(track)
            row = rows.get(track_id)
            if row and (row.narrative, row.reported_on) == (narrative, self.page.status_date):
                continue
            commands.status_report(
                project_id=self.project_id,
                track_id=track_id,
                rating=(row.rating or None) if row else None,  # the page shows no rating
                narrative=narrative,
                reported_on=self.page.status_date,
                expected_version=None,
                **self._by(),
            )

    def _risks(self) -> None:
        biggest = {
            s.track_id: s.biggest_risk_id
            for s in Status.objects.filter(project_id=self.project_id).exclude(biggest_risk_id="")
        }
        for risk in self.page.biggest_risks:
            track_id = self.track_id(risk.track)
            same = Risk.objects.filter(
                project_id=self.project_id, track_id=track_id, title=risk.title
            ).exclude(status="closed")
            row = same.filter(id=biggest.get(track_id)).first() or same.first()
            if row is None:
                risk_id = risk_commands.risk_raise(
                    project_id=self.project_id,
                    track_id=track_id,
                    title=risk.title,
                    description=risk.description,
                    **self._by(),
                ).stream_id
            else:
                risk_id = row.id
                if row.description != risk.description:
                    risk_commands.risk_revise(
                        risk_id=risk_id,
                        changes={"description": risk.description},
                        expected_version=None,
                        **self._by(),
                    )
            if biggest.get(track_id) != risk_id:
                risk_commands.risk_mark_biggest(risk_id=risk_id, **self._by())

    def _milestones(self) -> None:
        rows = {
            (m.track_id, m.title): m for m in Milestone.objects.filter(project_id=self.project_id)
        }
        shown = set()
        for milestone in self.page.milestones:
            key = (self.track_id(milestone.track), milestone.title)
            shown.add(key)
            row = rows.get(key)
            if row is None:
                milestone_id = milestone_commands.milestone_plan(
                    project_id=self.project_id,
                    track_id=key[0],
                    title=milestone.title,
                    planned_on=milestone.planned_on,
                    **self._by(),
                ).stream_id
                planned, achieved = milestone.planned_on, None
            else:
                milestone_id, planned, achieved = row.id, row.planned_on, row.achieved_on
            if planned != milestone.planned_on:
                milestone_commands.milestone_replan(
                    milestone_id=milestone_id,
                    planned_on=milestone.planned_on,
                    reason=f"Statusside {self.known_at:%d.%m.%Y}",
                    expected_version=None,
                    **self._by(),
                )
            if milestone.achieved_on and achieved is None:
                milestone_commands.milestone_achieve(
                    milestone_id=milestone_id,
                    achieved_on=milestone.achieved_on,
                    expected_version=None,
                    **self._by(),
                )
            elif milestone.achieved_on != achieved:
                milestone_commands.milestone_correct_achievement(
                    milestone_id=milestone_id,
                    achieved_on=milestone.achieved_on,
                    reason=f"Statusside {self.known_at:%d.%m.%Y}",
                    expected_version=None,
                    **self._by(),
                )
        for key, row in rows.items():
            if key not in shown:
                self.outcome.left_alone.append(f"milestone {row.title!r}: not on the page")

    def _kpis(self) -> None:
        rows = {k.name: k for k in KpiSeries.objects.filter(project_id=self.project_id)}
        for kpi in self.page.kpis:
            row = rows.get(kpi.name)
            if row is None:
                kpi_id = commands.kpi_define(
                    project_id=self.project_id,
                    track_id=self.track_id(kpi.track),
                    name=kpi.name,
                    description=kpi.description,
                    **self.kpi_charts.get(kpi.name, {}),
                    **self._by(),
                ).stream_id
            else:
                kpi_id = row.id
                if row.description != kpi.description:
                    self.outcome.left_alone.append(
                        f"KPI {kpi.name!r}: its description differs; a KPI's description is"
                        " set when it is defined"
                    )
            if kpi.remark and (row is None or row.remark != kpi.remark):
                commands.kpi_write_remark(kpi_id=kpi_id, remark=kpi.remark, **self._by())
