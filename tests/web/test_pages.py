"""The overview, project, as-of and compare pages, read through Django's test client."""

import re
from html import unescape

import pytest
from django.contrib.auth.models import User

from . import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db, pinned_today):
    # The pages judge "overdue" and "next milestone" on today's date, so they are read on one day.
    demo.load()


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def text(response) -> str:
    """The page's text without tags, blanks collapsed: what a reader sees."""
    html = response if isinstance(response, str) else response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip())


def test_overview_lists_areas_projects_badges_next_milestone_and_overdue(client, loaded):
    from datetime import timedelta

    from django.utils import timezone

    from milestones.commands import milestone_plan
    from portfolio.models import Project
    from portfolio.web.dates import long_day

    # given: one milestone of the example overdue and one coming
    today, manager = timezone.localdate(), User.objects.get(username=demo.MANAGER)
    example = Project.objects.get(slug=demo.EXAMPLE).id
    for title, day in (("Forsinket", today - timedelta(days=3)), ("Snart", today)):
        milestone_plan(
            project_id=example, track_id=None, title=title, planned_on=day, actor=manager
        )

    # when
    html = as_user(client, demo.READER).get("/").content.decode()
    page = text(html)

    # then
    assert "Kommuneområdet" in page and "Eksempelområde" in page
    assert "På tværs – Børn & Unge + Lettilgængelige tilbud" in page
    # The seed's two tracks are reported without a rating, as on the seed page.
    assert "På tværs – Børn & Unge På tværs – Børn & Unge: ikke vurderet" in page
    assert "LTT LTT: ikke vurderet" in page
    assert "24.04.2026" in page  # the seed's last status date
    row = re.search(r"<tr[^>]*>\s*<th scope=\"row\"><a[^>]*>Eksempel:.*?</tr>", html, re.S).group(0)
    assert f'Snart<br><span class="muted">{long_day(today)}</span>' in row
    # The example's own milestones are achieved or ahead (01.12.2026): "Forsinket" is overdue.
    assert '<strong class="overdue">1</strong>' in row
    assert '<span class="badge badge--green">grøn</span>' in row


def test_overview_filters_by_area_rating_and_title(client, loaded):
    client = as_user(client, demo.READER)
    by_area = text(client.get("/?area=eksempelomraade"))
    assert "Eksempel: demoprojekt" in by_area and "Lettilgængelige" not in by_area
    by_rating = text(client.get("/?rating=green"))
    assert "Eksempel: demoprojekt" in by_rating and "Lettilgængelige" not in by_rating
    assert "Intet projekt passer til filtrene." in text(client.get("/?rating=red"))
    by_title = text(client.get("/?q=lettilgængelige"))
    assert "1 projekt" in by_title and "Lettilgængelige" in by_title


def test_overview_runs_a_fixed_number_of_queries(client, loaded, django_assert_num_queries):
    client = as_user(client, demo.READER)
    client.get("/")  # warm the session
    # session, user, the user's roles (the set-up link), projects, statuses, milestones, areas;
    # for the derived light and the outdated flag: tracks, reported statuses, open milestones,
    # marked risks and their rows, meetings
    with django_assert_num_queries(13):
        client.get("/")
    # The filters narrow the same queries; none of the projects left has a marked risk to read.
    with django_assert_num_queries(12):
        client.get("/?rating=green&area=eksempelomraade&q=demo")


def test_project_page_shows_every_section_of_the_status_page(client, loaded):
    page = text(as_user(client, demo.READER).get(f"/projects/{demo.SEED}/"))
    for fact in [
        "Dorthe Skou Lassen",
        "LTT: Lettilgængelige tilbud (LTT): KL & 98 kommuner",
        "forventeligt KL, KOMBIT, DSD",
        "ikke fastlagt endnu",
        "Data | Samarbejde | Sammenhæng",
        "KL's hjemmeside indtil projektet starter op i juni måned",
        "4 ud af 7 it-leverandører",
        "01.12.2026",
        "Kommunernes anvendelse af korrespondancemeddelelsen på PPR-området",
        "40 / 98",
        "nedrivning af lokationsnummer",
        "Risikoregister",
        "Styregruppens beslutninger",
        "Seneste ændringer",
    ]:
        assert fact in page, fact


def test_project_page_draws_the_kpi_as_svg_with_a_text_alternative(client, loaded):
    html = as_user(client, demo.READER).get(f"/projects/{demo.EXAMPLE}/").content.decode()
    svg = re.search(r"<svg[^>]*aria-labelledby=\"kpi-.*?</svg>", html, re.S).group(0)
    assert svg.count("<circle") == 7
    assert "01.05.2026: 12 / 98" in svg  # the <desc> a screen reader reads
    assert "," not in re.search(r'points="([^"]*)"', svg).group(1).replace(",", "", 7)


def test_history_says_who_when_what_and_why(client, loaded):
    page = text(as_user(client, demo.READER).get(f"/projects/{demo.EXAMPLE}/"))
    assert (
        "01.05.2026 10:00 · admin Flyttet : Pilotdrift i tre kommuner (15.04.2026 → 01.06.2026: "
        "Testmiljøet blev leveret sent (styregruppebeslutning 10.03.2026).)"
    ) in page


def test_as_of_view_shows_the_project_as_it_was_then(client, loaded):
    client = as_user(client, demo.READER)
    before = text(client.get(f"/projects/{demo.EXAMPLE}/?as_of=2026-04-30"))
    after = text(client.get(f"/projects/{demo.EXAMPLE}/?as_of=2026-05-02"))
    assert "som det var registreret den 30.04.2026" in before
    assert "Pilotdrift i tre kommuner 15.04.2026" in before
    assert "Pilotdrift i tre kommuner Flyttet én gang" in after
    assert "01.06.2026 oprindeligt 15.04.2026" in after


def test_seed_project_did_not_exist_before_it_was_recorded(client, loaded):
    response = as_user(client, demo.READER).get(f"/projects/{demo.SEED}/?as_of=2026-04-23")
    assert response.status_code == 404
    assert "Projektet var ikke registreret i Portefølje den 23.04.2026." in text(response)


def test_compare_marks_what_changed_between_two_dates(client, loaded):
    client = as_user(client, demo.READER)
    response = client.get(f"/projects/{demo.EXAMPLE}/compare/?from=2026-04-30&to=2026-06-04")
    html = response.content.decode()
    changed = re.findall(r'<tr class="changed">\s*<th scope="row">([^<]*)</th>', html)
    assert "Milepæl: Pilotdrift i tre kommuner" in changed
    assert "Risiko: Leverandøren når ikke testmiljøet" in changed
    assert "Titel" not in changed
    page = text(response)
    assert "Flyttet : Pilotdrift i tre kommuner (15.04.2026 → 01.06.2026" in page
    assert "Nået : Pilotdrift i tre kommuner" in page


def test_project_page_runs_a_bounded_number_of_queries(client, loaded, django_assert_num_queries):
    from milestones.commands import milestone_plan
    from portfolio.models import Project

    client = as_user(client, demo.MANAGER)
    url = f"/projects/{demo.EXAMPLE}/"
    client.get(url)
    # session, user, groups; the project's state (its row with its project snapshot, the events
    # after it with its area's), its latest changes (the point before them, the state there and
    # the events after it) and its issued reports, and for the events read and the history the
    # people they name: the last steering meeting (for the derived light), the milestones' plans
    # (for the trend), its public page: none of it grows with the number of items.
    with django_assert_num_queries(20):
        client.get(url)

    # given ten more milestones, each with its own stream
    project = Project.objects.get(slug=demo.EXAMPLE)
    for n in range(10):
        milestone_plan(
            project_id=project.id,
            track_id=None,
            title=f"Ekstra {n}",
            planned_on=None,
            actor=User.objects.get(username=demo.MANAGER),
        )
    with django_assert_num_queries(20):
        client.get(url)


def test_user_text_is_escaped(client, loaded):
    from portfolio import commands
    from portfolio.models import Project

    project = Project.objects.get(slug=demo.EXAMPLE)
    commands.status_report(
        project_id=project.id,
        track_id=None,
        rating="red",
        narrative="<script>alert(1)</script> & <b>fed</b>",
        expected_version=None,
        actor=User.objects.get(username=demo.MANAGER),
    )
    html = as_user(client, demo.READER).get(f"/projects/{demo.EXAMPLE}/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fed&lt;/b&gt;" in html


def test_project_page_in_english_after_the_switch(client, loaded):
    client = as_user(client, demo.READER)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text(client.get(f"/projects/{demo.EXAMPLE}/compare/?from=2026-04-30&to=2026-06-04"))
    assert "What changed" in page and "Risk: Leverandøren når ikke testmiljøet" in page
    assert "open, 3×4 closed, 3×4 changed" in page
    page = text(client.get(f"/projects/{demo.EXAMPLE}/"))
    assert "Milestones" in page and "Re-planned once" in page
    assert "1 Jun 2026 originally 15 Apr 2026" in page


def test_each_row_action_leads_from_the_project_page_to_its_own_item(client, loaded):
    # The actions in the milestone and risk tables are links relative to the project page.
    from urllib.parse import urljoin, urlsplit

    from django.urls import resolve

    from portfolio.models import Project
    from risks.commands import risk_raise

    # given: the example's milestones (one re-planned, one achieved) and an open risk
    project = Project.objects.get(slug=demo.EXAMPLE)
    risk_raise(
        project_id=project.id,
        track_id=None,
        title="Åben risiko",
        description="",
        probability=2,
        impact=3,
        mitigation="",
        actor=User.objects.get(username=demo.MANAGER),
    )
    url = f"/projects/{demo.EXAMPLE}/"
    html = as_user(client, demo.MANAGER).get(url).content.decode()
    seen = set()
    rows = re.findall(r'<tr id="(?:milestone|risk)-([0-9a-f-]{36})"(.*?)</tr>', html, re.S)
    for item, row in rows:
        targets = re.findall(r'(?:href|formaction)="([^"]+)"', row)
        assert targets, row
        for target in targets:
            address = urlsplit(urljoin(url, unescape(target)))
            match = resolve(address.path)
            assert match.kwargs["slug"] == demo.EXAMPLE, target
            assert item in (match.kwargs.get("item_id"), address.query.removeprefix("subject=")), (
                target
            )
            seen.add(match.url_name)
    assert seen >= {
        "history",
        "milestone_replan",
        "milestone_achieve",
        "milestone_retitle",
        "risk_assess",
        "risk_revise",
        "risk_status",
        "risk_biggest",
    }, seen
