"""Every save is confirmed, naming what changed."""

import pytest

from milestones.models import Milestone
from risks.models import Risk

from . import demo
from .test_edit import form_fields
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db

PROJECT = f"/projects/{demo.EXAMPLE}/"


@pytest.fixture
def loaded(db, pinned_today):
    demo.load()


def save(client, url: str, data: dict) -> str:
    """Send the form at `url` with `data`; return the confirmation on the page it leads to."""
    response = client.post(url, form_fields(client.get(url)) | data, follow=True)
    assert response.redirect_chain, text(response)[:500]
    html = response.content.decode()
    start = html.index('<div class="messages" role="status">')
    return text(html[start : html.index("</div>", start)])


def test_each_save_says_what_it_changed(client, loaded):
    client = as_user(client, demo.MANAGER)
    ms = Milestone.objects.get(title__startswith="Landsdækkende")
    risk = Risk.objects.get(project__slug=demo.EXAMPLE)
    m, r = f"{PROJECT}milestones/{ms.id}/", f"{PROJECT}risks/{risk.id}/"

    said = save(client, f"{m}replan/", {"planned_on": "2027-03-01", "reason": "Forsinket."})
    assert said == f"Milepæl flyttet: {ms.title}, nu 01.03.2027."
    said = save(client, f"{m}achieve/", {"achieved_on": "2026-08-30"})
    assert said == f"Milepæl nået: {ms.title}, den 30.08.2026."
    said = save(client, f"{r}assess/", {"probability": "4", "impact": "2"})
    assert said == f"Risiko vurderet: {risk.title}, sandsynlighed 4, konsekvens 2."
    said = save(
        client,
        f"{PROJECT}status/-/",
        {
            "rating": "yellow",
            "narrative": "Lidt bagud.",
            "reported_on": "2026-08-31",
            "justification": "Leverandøren er forsinket.",  # yellow need not be the derived light
        },
    )
    assert said == "Status rapporteret for Hele projektet: gul, dateret 31.08.2026."
    said = save(client, f"{PROJECT}edit/", {"title": "Nyt navn", "project_leader": "Ny Leder"})
    assert said.startswith("Gemt. Ændret: Titel, Projektleder")

    client = as_user(client, demo.STEERING)
    said = save(client, f"{PROJECT}decisions/new/", {"meeting_on": "2026-08-20", "text": "Ja."})
    assert said == "Beslutning registreret for mødet den 20.08.2026."
