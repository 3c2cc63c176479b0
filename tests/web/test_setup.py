"""Set-up pages through HTTP: who may reach them, and bad input refused by field with nothing
changed (the browser flows are in test_setup_browser.py)."""

import pytest
from django.contrib.auth.models import User

from portfolio import commands, roles
from portfolio.eventstore.models import StoredEvent
from portfolio.models import Area, Project
from portfolio.selectors import project_state

from . import demo
from .conftest import make_user
from .test_pages import as_user, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    demo.load()


def pages() -> list[str]:
    area = Area.objects.first().slug
    return [
        "/setup/",
        "/setup/areas/new/",
        f"/setup/areas/{area}/rename/",
        "/setup/projects/new/",
        f"/projects/{demo.SEED}/managers/",
    ]


@pytest.mark.parametrize("username", [demo.MANAGER, demo.STEERING, demo.READER])
def test_only_administrators_reach_the_set_up_pages(client, loaded, username):
    as_user(client, username)
    before = StoredEvent.objects.count()
    for url in pages():
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "X", "title": "X"}).status_code == 403, url
    assert client.get(f"/projects/{demo.SEED}/reopen/").status_code == 403
    assert StoredEvent.objects.count() == before
    assert "Opsætning" not in text(client.get("/"))


def test_a_visitor_not_logged_in_is_sent_to_log_in(client, loaded):
    response = client.get("/setup/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(client, loaded):
    as_user(client, "admin")
    area = Area.objects.first()
    before = StoredEvent.objects.count()

    blank = client.post("/setup/areas/new/", {"name": "   "})
    slug = client.post(
        "/setup/projects/new/", {"title": "Ny", "slug": "Ikke Et Slug", "area": area.id}
    )
    taken = client.post("/setup/projects/new/", {"title": "Ny", "slug": demo.SEED, "area": area.id})
    no_area = client.post("/setup/projects/new/", {"title": "Ny", "area": "nowhere"})
    nobody = client.post(f"/projects/{demo.SEED}/managers/", {"managers": ["ingen-saadan-bruger"]})

    assert 'id="id_name-error">Dette felt er påkrævet.' in blank.content.decode()
    assert "id_slug-error" in slug.content.decode()
    assert "Brug kun a-z, 0-9 og &#x27;-&#x27;" in slug.content.decode()
    assert 'id="id_slug-error">Det korte navn er optaget.' in taken.content.decode()
    assert "id_area-error" in no_area.content.decode()
    assert "ingen-saadan-bruger er ikke en af de tilgængelige valgmuligheder" in text(nobody)
    assert StoredEvent.objects.count() == before


def test_a_rename_from_a_stale_form_is_refused_and_keeps_the_other_name(client, loaded):
    as_user(client, "admin")
    area = Area.objects.first()
    client.post(f"/setup/areas/{area.slug}/rename/", {"name": "Først", "expected_version": 1})

    stale = client.post(
        f"/setup/areas/{area.slug}/rename/", {"name": "Bagefter", "expected_version": 1}
    )

    assert stale.status_code == 409
    assert "En anden har ændret dette" in text(stale)
    assert Area.objects.get(id=area.id).name == "Først"
    assert Project.objects.filter(area=area).exists()


def test_the_set_up_pages_speak_danish_and_english_when_switched(client, loaded):
    as_user(client, "admin")
    english_words = ("Set-up", "New area", "New project", "Short name", "Omit it", "Create the")
    for url in pages() + [f"/projects/{demo.SEED}/close/"]:
        page = text(client.get(url))
        for word in english_words:
            assert word not in page, (url, word)

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    assert "Short name in addresses" in text(client.get("/setup/projects/new/"))
    assert "Rename the area" in text(client.get(pages()[2]))
    assert "Close the project" in text(client.get(f"/projects/{demo.SEED}/close/"))


def test_two_administrators_changing_the_managers_see_each_others_choice(client, loaded):
    # given: an administrator's managers form, read before another administrator's change
    make_user("ny-leder", roles.PROJECT_MANAGERS)
    as_user(client, "admin")
    state = project_state(demo.SEED)
    read = {"expected_version": state.version, "seen_position": state.position}
    commands.project_update(
        project_id=state.project.id,
        changes={"managers": [demo.MANAGER, "ny-leder"]},
        expected_version=state.version,
        actor=User.objects.get(username="admin"),
    )

    # when: the first one saves the stale form, which removes the manager
    response = client.post(f"/projects/{demo.SEED}/managers/", {"managers": [], **read})

    # then: nothing is saved, and both choices are shown to pick from
    assert response.status_code == 409
    page = text(response)
    assert "Projektledere: ændret af jer begge" in page
    assert f"Behold deres: {demo.MANAGER}; ny-leder" in page
    assert Project.objects.get(slug=demo.SEED).managers == [demo.MANAGER, "ny-leder"]
