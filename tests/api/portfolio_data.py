"""A small portfolio with a history, made through the domain's commands, for API tests."""

from dataclasses import dataclass, field
from datetime import date

from milestones import commands as milestones
from portfolio import commands
from reports.demo.build import at
from risks import commands as risks
from tests import factories


@dataclass
class Portfolio:
    alpha: str = ""  # project ids
    beta: str = ""
    tracks: dict = field(default_factory=dict)  # name -> id (alpha's)
    m: dict = field(default_factory=dict)  # title -> milestone id
    risks: dict = field(default_factory=dict)  # title -> risk id
    kpi: str = ""
    areas: dict = field(default_factory=dict)  # slug -> id


def build(users: dict) -> Portfolio:
    """Alpha (Kommuner, managed by `manager`, tracks Børn and LTT) and Beta (Regioner).

    Pilot is planned for 1 March and re-planned on 15 February to 15 April (now overdue);
    Kickoff was achieved on 20 January; Evaluering has no date; Udrulning is in 2027.
    """
    admin, pm, other = users["admin"], users["manager"], users["other_manager"]
    p = Portfolio()
    jan5 = at("2026-01-05")
    kommuner = factories.area(admin, slug="kommuner", name="Kommuneområdet", known_at=jan5)
    regioner = factories.area(admin, slug="regioner", name="Regionsområdet", known_at=jan5)
    p.areas = {"kommuner": kommuner, "regioner": regioner}
    p.alpha = commands.project_create(
        slug="alpha",
        title="Alpha – på tværs",
        area_id=kommuner,
        managers=[pm.username],
        actor=admin,
        known_at=jan5,
    ).stream_id
    p.beta = commands.project_create(
        slug="beta",
        title="Beta",
        area_id=regioner,
        managers=[other.username],
        actor=admin,
        known_at=jan5,
    ).stream_id
    for name in ("Børn", "LTT"):
        p.tracks[name] = commands.track_add(
            project_id=p.alpha,
            name=name,
            expected_version=None,
            actor=pm,
            known_at=at("2026-01-06"),
        ).stream_id and _track_id(p.alpha, name)

    def plan(project, title, planned_on, track=None, known="2026-01-10", actor=pm):
        p.m[title] = milestones.milestone_plan(
            project_id=project,
            track_id=p.tracks.get(track),
            title=title,
            planned_on=planned_on,
            actor=actor,
            known_at=at(known),
        ).stream_id

    plan(p.alpha, "Pilot", date(2026, 3, 1), "Børn")
    plan(p.alpha, "Udrulning", date(2027, 1, 31), "LTT")
    plan(p.alpha, "Evaluering", None)
    plan(p.alpha, "Kickoff", date(2026, 1, 20))
    plan(p.beta, "Beta-start", date(2027, 3, 1), actor=other)
    milestones.milestone_achieve(
        milestone_id=p.m["Kickoff"],
        achieved_on=date(2026, 1, 20),
        expected_version=1,
        actor=pm,
        known_at=at("2026-01-21"),
    )
    milestones.milestone_replan(
        milestone_id=p.m["Pilot"],
        planned_on=date(2026, 4, 15),
        reason="Sen levering",
        expected_version=1,
        actor=pm,
        known_at=at("2026-02-15"),
    )
    p.risks["Leverandør"] = risks.risk_raise(
        project_id=p.alpha,
        track_id=p.tracks["Børn"],
        title="Leverandør",
        probability=4,
        impact=3,
        actor=pm,
        known_at=at("2026-02-16"),
    ).stream_id
    p.kpi = commands.kpi_define(
        project_id=p.alpha,
        track_id=None,
        name="Kommuner i gang",
        denominator=98,
        denominator_label="98 kommuner",
        actor=pm,
        known_at=at("2026-02-17"),
    ).stream_id
    commands.kpi_measure(
        kpi_id=p.kpi,
        measured_on=date(2026, 2, 17),
        value="40",
        actor=pm,
        known_at=at("2026-02-17"),
    )
    return p


def _track_id(project_id: str, name: str) -> str:
    from portfolio.models import Track

    return Track.objects.get(project_id=project_id, name=name).id
