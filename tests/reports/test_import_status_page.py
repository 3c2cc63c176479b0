"""import_status_page records a published page as known on its day, and a later page of the
same project as exactly what differs."""

from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from milestones.domain import Milestone
from portfolio import roles
from portfolio.changes import changes
from portfolio.eventstore import store
from portfolio.eventstore.models import StoredEvent
from portfolio.selectors import AsOf, project_state
from reports.demo import seed
from reports.demo.build import SEED_PAGE
from reports.status_pages import html, markdown
from risks.selectors import biggest_risk
from tests import factories

pytestmark = pytest.mark.django_db

SHARED_SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / SEED_PAGE.name


@pytest.fixture
def admin():
    return factories.user(
        roles.ADMINISTRATORS, username="importer", is_superuser=True, is_staff=True
    )


def _import(path: Path, as_of: str, *extra: str) -> None:
    call_command(
        "import_status_page",
        str(path),
        "--as-of",
        as_of,
        "--slug",
        "ltt",
        "--by",
        "importer",
        *extra,
    )


def _state(day: date):
    return project_state("ltt", AsOf.of_date(day))


def _page(tmp_path: Path, text: str, name: str = "page.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(not SHARED_SEED.exists(), reason="the shared seed page is not beside the repo")
def test_the_product_reads_the_published_seed_page_itself():
    assert SEED_PAGE.read_text(encoding="utf-8") == SHARED_SEED.read_text(encoding="utf-8")


def test_the_seed_page_imported_is_the_seed_project_field_by_field(admin, capsys):
    # when
    _import(SEED_PAGE, "2026-04-24")

    # then every field of the page is recorded, dated on the page's day and not before
    assert _state(date(2026, 4, 23)) is None
    state = _state(date(2026, 4, 24))
    project = state.project
    name = {t.id: t.name for t in project.tracks.values()}
    track = {n: i for i, n in name.items()}
    assert state.area.name == seed.AREA_NAME and project.title == seed.TITLE
    assert project.status_date == date.fromisoformat(seed.STATUS_DATE)
    assert project.project_leader == seed.PROJECT_LEADER
    assert [(t.name, t.title) for t in project.tracks.values()] == [
        (seed.TRACK_PT, ""),
        (seed.TRACK_LTT, seed.TRACK_LTT_TITLE),
    ]
    assert [(name[p["track"]], p["text"]) for p in project.participants] == seed.PARTICIPANTS
    assert [(name[s["track"]], s["name"], s["state"]) for s in project.suppliers] == seed.SUPPLIERS
    assert project.purpose == seed.PURPOSE
    assert project.read_more == (seed.READ_MORE_LABEL, seed.READ_MORE_URL, seed.READ_MORE_NOTE)
    assert sorted((name[k], s.narrative) for k, s in project.statuses.items()) == sorted(
        seed.STATUS
    )
    risk = biggest_risk(state, track[seed.BIGGEST_RISK_TRACK])
    assert (risk.title, risk.description) == (seed.BIGGEST_RISK_TITLE, seed.BIGGEST_RISK_TEXT)
    assert project.milestone_note == seed.MILESTONE_NOTE
    assert [
        (name[m.track_id], m.title, m.planned_on and m.planned_on.isoformat())
        for m in state.of_type(Milestone)
    ] == seed.MILESTONES
    assert project.tracks[track[seed.TRACK_PT]].monitoring_note == seed.MONITORING_NOTE_PT
    [kpi] = state.kpis
    assert (name[kpi.track_id], kpi.name, kpi.description, kpi.remark) == (
        seed.TRACK_LTT,
        seed.KPI_NAME,
        seed.KPI_DESCRIPTION,
        seed.KPI_REMARK,
    )
    # and the command says what it recorded
    out = capsys.readouterr().out
    assert f"/projects/ltt/: {StoredEvent.objects.count()} events recorded as of 2026-04-24" in out


NEWER = {  # what changed on the page published on 10 June 2026
    "24. april 2026": "10. juni 2026",
    "Dorthe Skou Lassen": "Mikkel Brandt",
    "LTT: 40 kommuner anvender KM": "LTT: 52 kommuner anvender KM",
    "PPR og LTT\t01.12.2026\t": "PPR og LTT\t01.02.2027\t",
    "styregruppe opstart\t-\t": (
        "styregruppe opstart\t-\t\n"
        "1. LTT-leverandørerne har implementeret FHIR-KM\t01.05.2026\t05.06.2026"
    ),
}


def _newer(text: str) -> str:
    for old, new in NEWER.items():
        assert old in text
        text = text.replace(old, new)
    return text


def test_a_later_page_records_exactly_what_differs_from_the_earlier_one(admin, tmp_path):
    # given the page of 24 April, then the page of 10 June
    _import(SEED_PAGE, "2026-04-24")
    before = store.head_position()
    later = _page(tmp_path, _newer(SEED_PAGE.read_text(encoding="utf-8")))

    # when
    _import(later, "2026-06-10")

    # then the events of the second import are the differences of the two pages
    recorded = [(e.stream_type, e.event_type) for e in store.read_all(after=before)]
    assert sorted(recorded) == sorted(
        [
            ("Project", "Project.LeaderNamed"),
            ("Project", "Project.StatusReported"),  # LTT: new text
            ("Project", "Project.StatusReported"),  # På tværs: same text, new date
            ("Milestone", "Milestone.Replanned"),
            ("Milestone", "Milestone.Planned"),
            ("Milestone", "Milestone.Achieved"),
        ]
    )
    # and each page is what the record says as of its day
    april, june = _state(date(2026, 4, 24)), _state(date(2026, 6, 10))
    assert april.project.project_leader == "Dorthe Skou Lassen"
    assert june.project.project_leader == "Mikkel Brandt"
    assert [(m.title[:20], m.planned_on, m.achieved_on) for m in june.of_type(Milestone)] == [
        ("LTT -ansvarlig enhed", date(2027, 2, 1), None),
        ("På Tværs – Børn & Un", None, None),
        ("LTT-leverandørerne h", date(2026, 5, 1), date(2026, 6, 5)),
    ]
    # and the changes between the two dates are the page's differences
    kinds = sorted(
        (c.kind, c.field or "")
        for c in changes("ltt", AsOf.of_date(date(2026, 4, 24)), AsOf.of_date(date(2026, 6, 10)))
    )
    assert ("changed", "project_leader") in kinds
    assert len(kinds) == len(recorded)


def test_the_same_page_again_records_nothing(admin, capsys):
    _import(SEED_PAGE, "2026-04-24")
    count = StoredEvent.objects.count()

    _import(SEED_PAGE, "2026-04-24")

    assert StoredEvent.objects.count() == count
    assert "nothing new on this page" in capsys.readouterr().out


def test_a_page_with_lines_out_of_place_is_not_imported_and_each_line_is_named(admin, tmp_path):
    # given a page with a paragraph before any section and a milestone row with a bad date
    text = SEED_PAGE.read_text(encoding="utf-8")
    text = text.replace("**Dato:**", "Et afsnit uden overskrift.\n\n**Dato:**")
    text = text.replace("PPR og LTT\t01.12.2026", "PPR og LTT\t31.02.2026")
    page = _page(tmp_path, text)
    lines = text.splitlines()
    stray = lines.index("Et afsnit uden overskrift.") + 1
    bad_row = next(n for n, line in enumerate(lines, 1) if "31.02.2026" in line)

    # when / then
    with pytest.raises(CommandError) as refused:
        _import(page, "2026-04-24")
    message = str(refused.value)
    assert message.startswith("nothing imported")
    assert f"line {stray}: cannot place 'Et afsnit uden overskrift.'" in message
    assert f"line {bad_row}: milestone" in message and "day is out of range" in message
    assert not StoredEvent.objects.exists()


def test_as_of_in_the_future_or_not_a_date_is_refused(admin, pinned_today):
    for as_of, why in (("2099-01-01", "is in the future"), ("24.04.2026", "is not a date")):
        with pytest.raises(CommandError, match=f"--as-of: .*{why}"):
            _import(SEED_PAGE, as_of)
    assert not StoredEvent.objects.exists()


SMALL_MARKDOWN = """# Eksempelområde

## Ét spor + Andet spor (AS)

**Dato:**

3. marts 2026

**Projektleder:**

Kim Holm

**Formål:**

At vise *to* formater.

**Læs mere om projektet:** [Projektets side](https://example.org/p) (ny side)

**Projektstatus**

Ét spor: går efter planen.

AS: afventer leverandør.

Milepæle de vigtigste

\tPlan\tNået
1. Ét spor: pilot\t01.02.2026\t15.02.2026
2. AS: udbud\t-\t
"""

SMALL_HTML = """<!doctype html><html><head><title>x</title><style>p{}</style></head><body>
<nav><a href="/">Forside</a></nav>
<main>
<h1>Eksempelområde</h1>
<h2>Ét spor + Andet spor (AS)</h2>
<p><strong>Dato:</strong></p><p>3. marts 2026</p>
<p><strong>Projektleder:</strong></p><p>Kim Holm</p>
<p><strong>Formål:</strong></p><p>At vise <em>to</em> formater.</p>
<p><strong>Læs mere om projektet:</strong> <a href="https://example.org/p">Projektets side</a>
(ny side)</p>
<p><strong>Projektstatus</strong></p>
<p>Ét spor: går efter planen.</p>
<p>AS: afventer leverandør.</p>
<p>Milepæle de vigtigste</p>
<table><tr><th></th><th>Plan</th><th>Nået</th></tr>
<tr><td>1. Ét spor: pilot</td><td>01.02.2026</td><td>15.02.2026</td></tr>
<tr><td>2. AS: udbud</td><td>-</td><td></td></tr></table>
</main><footer>MedCom</footer></body></html>
"""


def test_the_websites_html_reads_as_the_same_page_as_its_markdown():
    from_markdown = markdown.parse(SMALL_MARKDOWN)
    from_html = markdown.parse(html.as_markdown(SMALL_HTML))

    assert from_html == from_markdown
    assert [(t.name, t.title) for t in from_html.tracks] == [
        ("Ét spor", ""),
        ("AS", "Andet spor (AS)"),
    ]
    assert [(m.track, m.title, m.achieved_on) for m in from_html.milestones] == [
        ("Ét spor", "Ét spor: pilot", date(2026, 2, 15)),
        ("AS", "AS: udbud", None),
    ]
    assert from_html.read_more == ("Projektets side", "https://example.org/p", "(ny side)")
