"""Edges of the pages: dates they cannot show, bytes a URL may not hold, words in Danish."""

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from . import demo
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db

PROJECT = f"/projects/{demo.EXAMPLE}/"


@pytest.fixture
def loaded(db, pinned_today):
    demo.load()


@pytest.fixture
def reader(client, loaded):
    return as_user(client, demo.READER)


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (f"{PROJECT}?as_of=9999-12-31", "Datoen skal ligge fra 01.01.1990 til 31.12.2100."),
        (f"{PROJECT}compare/?from=9999-12-31", "Datoen skal ligge fra 01.01.1990 til 31.12.2100."),
        (f"{PROJECT}compare/?from=2026-05-01&to=0001-01-01", "Datoen skal ligge fra"),
        (f"{PROJECT}?as_of=24-04-2026", "Skriv datoen som ÅÅÅÅ-MM-DD"),
    ],
)
def test_a_date_the_pages_cannot_show_is_a_bad_request_with_a_message(reader, url, says):
    response = reader.get(url)
    assert response.status_code == 400
    assert says in text(response)


def test_a_future_date_is_refused_not_shown_as_recorded(reader, pinned_today):
    future = (pinned_today + timedelta(days=1)).isoformat()
    for url in (f"{PROJECT}?as_of={future}", f"{PROJECT}compare/?from=2026-05-01&to={future}"):
        response = reader.get(url)
        assert response.status_code == 400
        page = text(response)
        assert "ligger i fremtiden" in page and "som det var registreret" not in page
    assert reader.get(f"{PROJECT}?as_of={pinned_today.isoformat()}").status_code == 200


@pytest.mark.parametrize("query", ["q=%00", "area=%00", "rating=%01", "q=a%7Fb"])
def test_control_bytes_in_the_query_are_refused(reader, query):
    assert reader.get(f"/?{query}").status_code == 400
    assert reader.get(f"{PROJECT}?as_of=2026-05-01&{query}").status_code == 400


def test_the_error_page_is_the_products_in_danish_and_english():
    response = server_error(RequestFactory().get("/"))
    page = text(response)
    assert response.status_code == 500
    assert "Portefølje" in page and "Der skete en fejl" in page and "Something went wrong" in page


def test_a_refused_form_gets_the_products_page_in_danish_and_english(loaded):
    client = as_user(Client(enforce_csrf_checks=True), demo.MANAGER)
    response = client.post(f"{PROJECT}edit/", {"title": "x"})
    assert response.status_code == 403
    page = text(response)
    assert "Formularen kunne ikke sendes" in page and "The form could not be sent" in page
    assert "Log ud" in page  # the site's frame


def test_the_status_form_names_its_track(client, loaded):
    from portfolio.models import Track

    client = as_user(client, demo.MANAGER)
    track = Track.objects.filter(project__slug=demo.SEED).order_by("name").first()
    html = client.get(f"/projects/{demo.SEED}/status/{track.id}/").content.decode()
    assert f'<p class="lead">{track.name}</p>' in html
    assert track.id.title() not in html


def test_danish_pages_show_no_raw_codes(client, loaded):
    client = as_user(client, demo.MANAGER)
    urls = ["/", PROJECT, f"{PROJECT}compare/?from=2026-04-30", f"/projects/{demo.SEED}/"]
    for url in urls:
        page = text(client.get(url))
        for raw in ("(green)", "(yellow)", "(red)", "(closed", "Biggest risk", "(open)"):
            assert raw not in page, (url, raw)


def test_the_pages_are_danish_whatever_the_browser_asks_until_the_person_switches(client, loaded):
    client = as_user(client, demo.READER)
    english = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    assert "Portefølje" in text(client.get("/", **english))
    assert client.get("/", **english).headers["Content-Language"] == "da"

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert client.get("/").headers["Content-Language"] == "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="da").headers["Content-Language"] == "en"
