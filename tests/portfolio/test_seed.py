"""load_demo builds the seed project through commands; as of 24 April 2026 it is the seed page."""

import re
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from milestones.domain import Milestone
from portfolio.eventstore.models import StoredEvent
from portfolio.selectors import AsOf, project_state
from reports.demo import seed
from risks.selectors import biggest_risk

pytestmark = pytest.mark.django_db
SEED_PAGE = (
    Path(__file__).resolve().parents[3] / "shared" / "seed" / "status-page-kommuneomraadet.md"
)


@pytest.fixture
def demo(capsys):
    call_command("load_demo")
    return capsys.readouterr().out


def test_load_demo_twice_changes_nothing(demo, capsys):
    count = StoredEvent.objects.count()
    call_command("load_demo")
    assert StoredEvent.objects.count() == count
    assert "Nothing new" in capsys.readouterr().out


def test_load_demo_prints_a_login_for_every_role(demo):
    for role in ("administrators", "project_managers", "steering_group", "api_readers"):
        assert re.search(rf"^\s+\S+\s+\S+\s+{role}$", demo, re.MULTILINE)


def test_seed_project_is_unknown_before_its_publication_date(demo):
    assert project_state(seed.PROJECT_SLUG, AsOf.of_date(date(2026, 4, 23))) is None


def test_seed_project_as_of_24_april_2026_is_the_seed_page_field_by_field(demo):
    state = project_state(seed.PROJECT_SLUG, AsOf.of_date(date(2026, 4, 24)))
    project = state.project
    tracks = {t.id: t for t in project.tracks.values()}
    name = {t.id: t.name for t in tracks.values()}

    assert state.area.name == "Kommuneområdet"
    assert project.title == (
        "På tværs – Børn & Unge + Lettilgængelige tilbud til børn og unge i mistrivsel"
    )
    assert project.status_date == date(2026, 4, 24)
    assert project.project_leader == "Dorthe Skou Lassen"
    assert [t.name for t in tracks.values()] == ["På tværs – Børn & Unge", "LTT"]
    assert [(name[p["track"]], p["text"]) for p in project.participants] == seed.PARTICIPANTS
    assert [(name[s["track"]], s["name"], s["state"]) for s in project.suppliers] == [
        ("LTT", seed.SUPPLIERS[0][1], "decided"),
        ("På tværs – Børn & Unge", "KL, KOMBIT, DSD", "expected"),
        ("På tværs – Børn & Unge", "", "not_decided"),
    ]
    assert project.read_more == (
        "På tværs – Børn & Unge",
        "#",
        "(KL's hjemmeside indtil projektet starter op i juni måned)",
    )
    statuses = {name[k]: s.narrative for k, s in project.statuses.items()}
    assert statuses["LTT"].startswith("LTT: 40 kommuner anvender KM indenfor PPR/LTT.")
    assert "Afventer opstart af styregruppen" in statuses["På tværs – Børn & Unge"]
    pt = next(k for k, n in name.items() if n == "På tværs – Børn & Unge")
    ltt = next(k for k, n in name.items() if n == "LTT")
    assert biggest_risk(state, pt).description == seed.BIGGEST_RISK_TEXT
    assert biggest_risk(state, ltt) is None
    assert project.milestone_note.startswith("5+/- største milepæle")
    assert [
        (name[m.track_id], m.title, m.planned_on, m.achieved_on) for m in state.of_type(Milestone)
    ] == [
        ("LTT", seed.MILESTONES[0][1], date(2026, 12, 1), None),
        ("På tværs – Børn & Unge", seed.MILESTONES[1][1], None, None),
    ]
    assert tracks[ltt].title == "Lettilgængelige tilbud til børn og unge i mistrivsel"
    assert tracks[pt].monitoring_note == seed.MONITORING_NOTE_PT
    [kpi] = state.kpis
    assert (kpi.name, kpi.denominator, name[kpi.track_id]) == (
        "Kommunernes anvendelse af korrespondancemeddelelsen på PPR-området",
        98,
        "LTT",
    )
    assert [(p.measured_on, p.value) for p in kpi.points] == [(date(2026, 4, 24), "40")]
    assert kpi.remark.startswith('I april 2026 blev enhedstypen "Lettilgængelige tilbud"')


@pytest.mark.skipif(not SEED_PAGE.exists(), reason="the shared seed page is not beside the repo")
def test_every_paragraph_of_the_seed_page_is_held_word_for_word(demo):
    """Compare against the published page itself, so a typo in the demo data cannot hide."""
    page = SEED_PAGE.read_text(encoding="utf-8")
    state = project_state(seed.PROJECT_SLUG, AsOf.of_date(date(2026, 4, 24)))
    project = state.project
    held = [
        project.title,
        project.project_leader,
        project.purpose,
        project.read_more[2],
        *(p["text"] for p in project.participants),
        *(s["name"] for s in project.suppliers),
        *(s.narrative for s in project.statuses.values()),
        *(t.monitoring_note for t in project.tracks.values() if t.monitoring_note),
        project.milestone_note,
        *(m.title for m in state.of_type(Milestone)),
        *(k.description for k in state.kpis),
        *(k.remark for k in state.kpis),
        state.area.name,
    ]
    for text in held:
        assert text in page, f"not on the seed page word for word: {text[:80]!r}"


def test_zero_setup_run_on_sqlite_loads_the_seed_and_reads_it_as_of_a_date(tmp_path):
    """What `make run` does, on a fresh SQLite file: migrate, load_demo, read as of a date."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    manage("migrate", "--noinput", "-v0")
    manage("load_demo")
    read = (
        "from datetime import date; from portfolio.selectors import AsOf, project_state;"
        "from milestones.domain import Milestone;"
        f"s = project_state({seed.PROJECT_SLUG!r}, AsOf.of_date(date(2026, 4, 24)));"
        "print(s.project.project_leader, len(s.of_type(Milestone)), s.kpis[0].points[0].value)"
    )
    assert manage("shell", "-c", read).strip().endswith("Dorthe Skou Lassen 2 40")
    assert "the hash chain and every stream's versions intact" in manage("verify_events")


def test_load_demo_makes_no_demo_users_on_a_production_setup_unless_told(tmp_path):
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
    }

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=root, env=env, capture_output=True, text=True
        )

    def users() -> str:
        count = "from django.contrib.auth.models import User; print(User.objects.count())"
        return manage("shell", "-c", count).stdout.split()[-1]

    assert manage("migrate", "--noinput", "-v0").returncode == 0

    refused = manage("load_demo")
    assert refused.returncode != 0
    assert "--allow-demo-users" in refused.stderr
    assert users() == "0"

    allowed = manage("load_demo", "--allow-demo-users")
    assert allowed.returncode == 0, allowed.stderr
    assert users() == "4"
