"""Operations a consumer needed: areas created by administrators, slugs proposed by the server."""

from datetime import UTC, datetime, time, timedelta

import pytest

from portfolio.models import Area
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_an_area_with_a_proposed_slug(users, client_for, reader):
    admin = client_for(users["admin"])

    response = admin.post("/api/v1/areas/", {"name": "Sundhed på tværs"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json() == {
        "id": Area.objects.get(slug="sundhed-paa-tvaers").id,
        "slug": "sundhed-paa-tvaers",
        "name": "Sundhed på tværs",
        "projects": 0,
    }
    listed = reader.get("/api/v1/areas/").json()["results"]
    assert [a["slug"] for a in listed] == ["sundhed-paa-tvaers"]


def test_only_administrators_create_areas(manager, reader):
    assert manager.post("/api/v1/areas/", {"name": "X"}, format="json").status_code == 403
    assert reader.post("/api/v1/areas/", {"name": "X"}, format="json").status_code == 403


def test_an_area_slug_taken_is_refused_naming_slug(users, client_for):
    admin = client_for(users["admin"])
    admin.post("/api/v1/areas/", {"slug": "kommuner", "name": "A"}, format="json")

    response = admin.post("/api/v1/areas/", {"slug": "kommuner", "name": "B"}, format="json")

    assert response.status_code == 409
    assert response.json()["field"] == "slug"


def test_an_administrator_renames_an_area_keeping_its_slug(users, client_for, manager):
    admin = client_for(users["admin"])
    admin.post("/api/v1/areas/", {"slug": "kommuner", "name": "Kommuner"}, format="json")

    refused = manager.post("/api/v1/areas/kommuner/rename/", {"name": "X"}, format="json")
    blank = admin.post("/api/v1/areas/kommuner/rename/", {"name": ""}, format="json")
    response = admin.post(
        "/api/v1/areas/kommuner/rename/", {"name": "Kommuneområdet"}, format="json"
    )

    assert refused.status_code == 403
    assert blank.status_code == 400 and "name" in blank.content.decode()
    assert response.status_code == 200, response.content
    assert response.json() == {
        "id": Area.objects.get(slug="kommuner").id,
        "slug": "kommuner",
        "name": "Kommuneområdet",
        "projects": 0,
    }
    assert (
        admin.post("/api/v1/areas/nowhere/rename/", {"name": "X"}, format="json").status_code == 404
    )


def test_an_administrator_reopens_a_closed_project(users, client_for, manager):
    admin = client_for(users["admin"])
    area = factories.area(slug="kommuner")
    factories.project(users["manager"], area_id=area, slug="gamma")
    manager.post("/api/v1/projects/gamma/close/", {"reason": "Slut"}, format="json")

    refused = manager.post("/api/v1/projects/gamma/reopen/", {"reason": "Igen"}, format="json")
    response = admin.post("/api/v1/projects/gamma/reopen/", {"reason": "Fase 2"}, format="json")
    again = admin.post("/api/v1/projects/gamma/reopen/", {"reason": "Fase 3"}, format="json")

    assert refused.status_code == 403
    assert response.status_code == 200, response.content
    assert response.json()["closed"] is False
    assert again.status_code == 400 and "project" in again.content.decode()


def test_a_project_without_a_slug_gets_one_from_its_title_made_unique(users, manager):
    area = factories.area(slug="kommuner")
    factories.project(users["manager"], area_id=area, slug="faelles-oekonomi-aaben")

    response = manager.post(
        "/api/v1/projects/",
        {"title": "Fælles Økonomi Åben", "area": "kommuner"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "faelles-oekonomi-aaben-2"
    assert response["Location"].endswith("/api/v1/projects/faelles-oekonomi-aaben-2/")


def test_a_proposed_slug_is_one_the_server_takes(users, manager):
    factories.area(slug="kommuner")

    response = manager.post(
        "/api/v1/projects/", {"title": "changed_count", "area": "kommuner"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["slug"] == "changed-count"


def days_ago(today, n: int) -> datetime:
    return datetime.combine(today - timedelta(days=n), time(12), tzinfo=UTC)


def test_as_of_before_a_project_existed_is_a_404_of_its_own_type(pinned_today, users, reader):
    area = factories.area(slug="kommuner", known_at=days_ago(pinned_today, 30))
    manager = users["manager"]
    factories.project(manager, area_id=area, slug="alpha", known_at=days_ago(pinned_today, 10))
    before = (pinned_today - timedelta(days=20)).isoformat()

    early = reader.get(f"/api/v1/projects/alpha/?as_of={before}")
    unknown = reader.get(f"/api/v1/projects/nope/?as_of={before}")

    assert early.status_code == 404
    assert early.json()["type"].endswith("/problems/not-yet-recorded")
    assert early.json()["field"] == "as_of"
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "about:blank"


def test_a_future_as_of_is_refused_naming_it(pinned_today, users, reader):
    factories.area(slug="kommuner")
    tomorrow = (pinned_today + timedelta(days=1)).isoformat()

    response = reader.get(f"/api/v1/areas/?as_of={tomorrow}")
    today = reader.get(f"/api/v1/areas/?as_of={pinned_today.isoformat()}")

    assert response.status_code == 400
    assert response.json()["field"] == "as_of"
    assert today.status_code == 200
