"""Risks on the status page: the top risks, the register sorted by score, the heat map."""

import pytest

from portfolio import roles
from reports.build import build_status_page
from reports.pdf.render import render_status_page
from reports.snapshot import RiskLine
from risks.commands import risk_raise
from tests import factories

from .pdftext import all_text, reader
from .seed import seed_snapshot

REGISTER = (
    RiskLine("LTT", "Leverandører når ikke i mål", "Fire af syv.", 4, 4, "open", "Tæt opfølgning."),
    RiskLine(None, "Styregruppen starter sent", "", 3, 3, "open", ""),
    RiskLine("LTT", "Lille risiko", "", 1, 2, "open", ""),
)


def test_the_register_shows_score_and_mitigation_sorted_by_score_beside_a_heat_map():
    # given a page whose top risks include one scoring 16, and a register of three
    seed = seed_snapshot()
    snapshot = seed_snapshot(biggest_risks=(*seed.biggest_risks, REGISTER[0]), risks=REGISTER)
    # when it is rendered
    text = all_text(render_status_page(snapshot))
    # then the top risk carries its score and mitigation
    assert "P×I 16 Leverandører når ikke i mål Fire af syv. Afbødning: Tæt opfølgning." in text
    # and the register lists every open risk, highest score first, with P x I = score
    register = text[text.index("Risikoregister") :]
    assert "Sandsynlighed" in register and "Konsekvens" in register
    rows = [register.index(s) for s in ("4 × 4 = 16", "3 × 3 = 9", "1 × 2 = 2")]
    assert rows == sorted(rows)
    assert "Hele projektet" in register


def test_no_register_or_heat_map_while_no_risk_is_assessed():
    pdf = render_status_page(seed_snapshot(risks=seed_snapshot().biggest_risks))
    assert "Risikoregister" not in all_text(pdf) and len(reader(pdf).pages) == 1


@pytest.mark.django_db
def test_a_risk_raised_without_biggest_is_shown_and_any_open_risk_scoring_15(tmp_path):
    # given a project whose risks were raised through the API, none marked biggest
    manager = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(manager, slug="risikabelt")
    for title, p, i in (("Lav", 1, 2), ("Middel", 3, 3), ("Høj", 3, 5), ("Meget høj", 4, 5)):
        risk_raise(
            project_id=project_id,
            track_id=None,
            title=title,
            probability=p,
            impact=i,
            mitigation=f"Plan for {title.lower()}",
            actor=manager,
        )
    # when its status page is built
    snapshot = build_status_page("risikabelt")
    # then the highest-scoring one stands in for "biggest", with every other open one >= 15
    assert [r.title for r in snapshot.biggest_risks] == ["Meget høj", "Høj"]
    assert [r.score for r in snapshot.risks] == [20, 15, 9, 2]
    text = all_text(render_status_page(snapshot))
    assert "Ingen største risiko angivet." not in text
    assert "Meget høj" in text and "Afbødning: Plan for meget høj" in text


def test_the_html_twin_shows_the_same_risks_with_score_mitigation_and_register():
    from reports.html import render_status_page_html

    seed = seed_snapshot()
    snapshot = seed_snapshot(biggest_risks=(*seed.biggest_risks, REGISTER[0]), risks=REGISTER)
    html = render_status_page_html(snapshot)
    assert "P×I 16" in html and "risk-score--high" in html and "Tæt opfølgning." in html
    register = html[html.index("Risikoregister") :]
    rows = [register.index(s) for s in REGISTER_TITLES]
    assert rows == sorted(rows)
    # the seed's risk sentence is the risk's title only, not again as its description: the
    # words appear in the status, the risk, the milestone note and the monitoring note
    assert html.count("som sker når regeringsdannelse") == 4


REGISTER_TITLES = [r.title for r in REGISTER]
