"""The comparison of two dates shows rich text as the project page does, never raw Markdown."""

import re

import pytest
from django.contrib.auth.models import User

from portfolio import commands
from portfolio.models import Project

from . import demo
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db, pinned_today):
    demo.load()


def cells(html: str, label: str) -> list[str]:
    """Return the two value cells (before, after) of the compare row labelled `label`."""
    row = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S).group(1)
    return re.findall(r"<td>(.*?)</td>", row, re.S)[:2]


def test_compare_renders_the_purpose_and_a_status_as_rich_text(client, loaded):
    # given: a status written with bold and italic, after the first date
    commands.status_report(
        project_id=Project.objects.get(slug=demo.EXAMPLE).id,
        track_id=None,
        rating="yellow",
        narrative="Piloten er **i gang** i *tre* kommuner.\n\n- Aarhus\n- Vejle",
        expected_version=None,
        actor=User.objects.get(username=demo.MANAGER),
    )
    client = as_user(client, demo.READER)

    # when
    html = client.get(f"/projects/{demo.EXAMPLE}/compare/?from=2026-06-04").content.decode()

    # then: bold, italic and lists as markup, the rating as its lead, no asterisks left
    before, after = cells(html, "Status: Projekt")
    assert '<p class="fact__lead">gul</p>' in after
    assert "<strong>i gang</strong>" in after and "<em>tre</em>" in after
    assert re.search(r"<ul>\s*<li>Aarhus</li>\s*<li>Vejle</li>\s*</ul>", after)
    assert "*" not in text(after) and "*" not in text(before)
    purpose = cells(html, "Formål")[1]
    assert "Et <strong>eksempel</strong> til at prøve Portefølje af:" in purpose
    assert "*" not in text(purpose)
    changed = re.findall(r'<tr class="changed">\s*<th scope="row">([^<]*)</th>', html)
    assert "Status: Projekt" in changed and "Formål" not in changed


def test_compare_escapes_markup_in_rich_text(client, loaded):
    commands.project_update(
        project_id=Project.objects.get(slug=demo.EXAMPLE).id,
        changes={"purpose": "Se <script>alert(1)</script> og **fed**"},
        expected_version=None,
        actor=User.objects.get(username=demo.MANAGER),
    )
    client = as_user(client, demo.READER)

    html = client.get(f"/projects/{demo.EXAMPLE}/compare/?from=2026-06-04").content.decode()

    after = cells(html, "Formål")[1]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; og <strong>fed</strong>" in after
