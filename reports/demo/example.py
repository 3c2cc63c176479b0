"""An example project with a longer history, plainly named as an example (not from the seed).

It has no tracks (the common case), and over 2025-2026 a re-plan, an achievement, a risk
raised and later closed, a decision and monthly KPI points: enough to try "as of" and
"what changed" on.
"""

from datetime import date

from milestones import commands as milestone_commands
from portfolio import commands
from risks import commands as risk_commands

from .build import _area, at

SLUG = "eksempel-demoprojekt"
TITLE = "Eksempel: demoprojekt med længere historik"


def build_example(actor) -> str:
    key = "example"
    area_id = _area(actor, "eksempelomraade", "Eksempelområde", at("2025-09-01"), key)

    def cid(step: str) -> str:
        return f"demo:{key}:{step}"

    project_id = commands.project_create(
        slug=SLUG,
        title=TITLE,
        area_id=area_id,
        managers=["projektleder"],
        actor=actor,
        command_id=cid("project"),
        known_at=at("2025-09-01"),
    ).stream_id
    commands.project_update(
        project_id=project_id,
        changes={
            "project_leader": "Eksempel Projektleder",
            "purpose": "Et **eksempel** til at prøve Portefølje af:\n\n- status over tid\n"
            "- milepæle, der flyttes og nås\n- en risiko, der lukkes",
            "suppliers": [{"track": "", "name": "Eksempel A/S", "state": "expected"}],
        },
        expected_version=None,
        actor=actor,
        command_id=cid("details"),
        known_at=at("2025-09-01"),
    )
    plans = [
        ("Kravspecifikation godkendt", "2025-11-01"),
        ("Pilotdrift i tre kommuner", "2026-04-15"),
        ("Landsdækkende udbredelse", "2026-12-01"),
    ]
    milestone_ids = [
        milestone_commands.milestone_plan(
            project_id=project_id,
            track_id=None,
            title=title,
            planned_on=date.fromisoformat(planned),
            actor=actor,
            command_id=cid(f"milestone:{n}"),
            known_at=at("2025-09-02"),
        ).stream_id
        for n, (title, planned) in enumerate(plans)
    ]
    risk_id = risk_commands.risk_raise(
        project_id=project_id,
        track_id=None,
        title="Leverandøren når ikke testmiljøet",
        description="Testmiljøet er forsinket.",
        probability=3,
        impact=4,
        owner="Eksempel Projektleder",
        mitigation="Ugentlig opfølgning med leverandøren.",
        actor=actor,
        command_id=cid("risk"),
        known_at=at("2025-10-01"),
    ).stream_id
    risk_commands.risk_mark_biggest(
        risk_id=risk_id, actor=actor, command_id=cid("risk:biggest"), known_at=at("2025-10-01")
    )
    milestone_commands.milestone_achieve(
        milestone_id=milestone_ids[0],
        achieved_on=date(2025, 10, 28),
        expected_version=None,
        actor=actor,
        command_id=cid("milestone:0:achieved"),
        known_at=at("2025-10-29"),
    )
    kpi_id = commands.kpi_define(
        project_id=project_id,
        track_id=None,
        name="Kommuner i drift",
        description="Antal kommuner, der bruger løsningen i drift.",
        unit="kommuner",
        denominator=98,
        denominator_label="98 kommuner",
        actor=actor,
        command_id=cid("kpi"),
        known_at=at("2025-11-01"),
    ).stream_id
    for month, value in enumerate([0, 1, 3, 3, 5, 8, 12], start=0):
        measured = date(2025 + (10 + month) // 12, (10 + month) % 12 + 1, 1)
        commands.kpi_measure(
            kpi_id=kpi_id,
            measured_on=measured,
            value=str(value),
            source="Eksempelstatistik",
            actor=actor,
            command_id=cid(f"kpi:{measured}"),
            known_at=at(measured.isoformat(), 12),
        )
    commands.status_report(
        project_id=project_id,
        track_id=None,
        rating="green",
        narrative="Kravspecifikationen er godkendt.",
        reported_on=date(2025, 11, 3),
        expected_version=None,
        actor=actor,
        command_id=cid("status:2025-11"),
        known_at=at("2025-11-03"),
    )
    commands.decision_record(
        project_id=project_id,
        meeting_on=date(2026, 3, 10),
        text="Styregruppen godkender, at piloten flyttes til 1. juni 2026.",
        affects=[milestone_ids[1], risk_id],
        actor=actor,
        command_id=cid("decision:2026-03"),
        known_at=at("2026-03-10"),
    )
    commands.status_report(
        project_id=project_id,
        track_id=None,
        rating="yellow",
        narrative="Piloten er forsinket, fordi testmiljøet kom sent.",
        reported_on=date(2026, 4, 24),
        expected_version=None,
        actor=actor,
        command_id=cid("status:2026-04"),
        known_at=at("2026-04-24"),
    )
    milestone_commands.milestone_replan(
        milestone_id=milestone_ids[1],
        planned_on=date(2026, 6, 1),
        reason="Testmiljøet blev leveret sent (styregruppebeslutning 10.03.2026).",
        expected_version=None,
        actor=actor,
        command_id=cid("milestone:1:replanned"),
        known_at=at("2026-05-01"),
    )
    risk_commands.risk_change_status(
        risk_id=risk_id,
        status="closed",
        reason="Testmiljøet er leveret.",
        expected_version=None,
        actor=actor,
        command_id=cid("risk:closed"),
        known_at=at("2026-06-02"),
    )
    milestone_commands.milestone_achieve(
        milestone_id=milestone_ids[1],
        achieved_on=date(2026, 6, 3),
        expected_version=None,
        actor=actor,
        command_id=cid("milestone:1:achieved"),
        known_at=at("2026-06-03"),
    )
    commands.status_report(
        project_id=project_id,
        track_id=None,
        rating="green",
        narrative="Piloten kører i tre kommuner.",
        reported_on=date(2026, 6, 5),
        expected_version=None,
        actor=actor,
        command_id=cid("status:2026-06"),
        known_at=at("2026-06-05"),
    )
    return project_id
