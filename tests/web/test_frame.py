"""The site frame without a browser: login required, language, dates, badges, translations."""

from datetime import UTC, date, datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from portfolio.web import messages

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load portfolio_web %}" + source).render(Context(context))


def test_start_page_sends_anonymous_people_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_login_page_is_danish_by_default_with_landmarks_and_skip_link(client):
    html = client.get("/login/").content.decode()
    assert '<html lang="da">' in html
    assert 'href="#main">Gå til hovedindhold</a>' in html
    assert '<main id="main"' in html
    assert "<h1>Log ind</h1>" in html
    assert 'for="id_username">Brugernavn' in html


def test_wrong_password_shows_the_error_in_the_chosen_language(client, manager):
    # when: the person chose English with the switch, then typed a wrong password
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.post("/login/", {"username": "dsl", "password": "wrong"})

    # then
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Please enter a correct username and password" in html
    assert 'value="dsl"' in html  # the input is kept


def test_empty_fields_get_their_error_next_to_them_in_danish(client):
    html = client.post("/login/", {"username": "", "password": ""}).content.decode()
    assert 'id="id_username-error">Dette felt er påkrævet.</p>' in html
    assert 'aria-describedby="id_username-error"' in html
    assert 'aria-invalid="true"' in html


def test_login_and_logout(client, manager):
    response = client.post("/login/", {"username": "dsl", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert "Logget ind som Dorthe Skou Lassen" in html
    # Logging out is a POST (with CSRF) so that a link or image cannot do it.
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("language", "expected"),
    [("da", "01.12.2026"), ("en", "1 Dec 2026")],
)
def test_dates_are_written_as_the_language_writes_them(language, expected):
    with translation.override(language):
        assert render("{{ d|day }}", d=date(2026, 12, 1)) == expected


def test_unknown_date_is_a_dash_as_on_the_seed_page():
    assert render("{{ d|day }}", d=None) == "-"


def test_moments_are_shown_in_copenhagen_time():
    with translation.override("da"):
        # 22:30 UTC on 23 April is 00:30 on 24 April in Copenhagen (summer time).
        assert render("{{ t|when }}", t=datetime(2026, 4, 23, 22, 30, tzinfo=UTC)) == (
            "24.04.2026 00:30"
        )


@pytest.mark.parametrize(
    ("rating", "danish", "english"),
    [
        ("green", "grøn", "green"),
        ("yellow", "gul", "yellow"),
        ("red", "rød", "red"),
        ("not_started", "ikke startet", "not started"),
        ("finished", "afsluttet", "finished"),
        (None, "ikke vurderet", "not rated"),
    ],
)
def test_rating_badge_has_colour_and_word(rating, danish, english):
    css = rating or "none"
    with translation.override("da"):
        assert render("{% rating_badge r %}", r=rating).strip() == (
            f'<span class="badge badge--{css}">{danish}</span>'
        )
    with translation.override("en"):
        assert f">{english}</span>" in render("{% rating_badge r %}", r=rating)


def test_rating_badge_names_its_track_for_screen_readers():
    with translation.override("da"):
        html = render('{% rating_badge "red" label="LTT" %}')
    assert '<span class="visually-hidden">LTT: </span>rød' in html


def test_every_message_is_translated_and_the_compiled_catalogue_is_current():
    import polib

    for po_path in messages.po_files():
        po = polib.pofile(str(po_path))
        assert po.untranslated_entries() == [], po_path
        assert po.fuzzy_entries() == [], po_path
        compiled = {
            (e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(po_path.with_suffix(".mo")))
        }
        source = {(e.msgctxt, e.msgid): e.msgstr for e in po if not e.obsolete}
        assert compiled == source, f"run: python -m portfolio.web.messages ({po_path})"


@pytest.mark.parametrize(
    ("url", "expected"),
    [("https://kl.dk/", "https://kl.dk/"), ("#", "#"), ("javascript:alert(1)", "")],
)
def test_links_from_user_text_keep_only_safe_targets(url, expected):
    assert render("{{ u|safe_href }}", u=url) == expected
