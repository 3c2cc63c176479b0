"""The feed names what each event is about as the resources do: ids and slugs, null for none."""

from datetime import UTC, date, datetime

import pytest

from portfolio import commands

from . import portfolio_data

pytestmark = pytest.mark.django_db

FEED = "/api/v1/events/"


@pytest.fixture
def data(users):
    return portfolio_data.build(users)


def feed(reader) -> list[dict]:
    return reader.get(f"{FEED}?limit=1000").json()["results"]


def test_a_milestone_event_names_project_area_and_track_as_the_resources_do(data, reader):
    # given: the replan of Pilot (track Børn) in the feed
    replan = next(e for e in feed(reader) if e["type"] == "Milestone.Replanned")

    # when: the consumer follows its identities to the resources
    project = reader.get(f"/api/v1/projects/{replan['project']['slug']}/").json()
    milestone = reader.get(f"/api/v1/milestones/{replan['stream']}/").json()

    # then: they are the same things, by id and by slug
    assert replan["project"] == {"id": data.alpha, "slug": "alpha"}
    assert replan["area"] == {"id": data.areas["kommuner"], "slug": "kommuner"}
    assert replan["track"] == {"id": data.tracks["Børn"], "name": "Børn"}
    assert project["id"] == replan["project"]["id"]
    assert project["area"]["id"] == replan["area"]["id"]
    assert (milestone["project_id"], milestone["track_id"]) == (data.alpha, data.tracks["Børn"])
    assert replan["track"]["id"] in [t["id"] for t in project["tracks"]]


def test_empty_ids_are_null_in_the_feed_and_the_resources(data, reader):
    events = feed(reader)
    planned = next(
        e for e in events if e["type"] == "Milestone.Planned" and e["data"]["title"] == "Evaluering"
    )
    area_created = next(e for e in events if e["type"] == "Area.Created")

    assert planned["data"]["track_id"] is None
    assert planned["track"] is None
    assert planned["project"]["slug"] == "alpha"
    assert area_created["project"] is None
    assert area_created["area"]["id"] == area_created["stream"]
    milestone = reader.get(f"/api/v1/milestones/{planned['stream']}/").json()
    assert milestone["track_id"] is None
    assert "" not in [v for e in events for k, v in e["data"].items() if k.endswith("_id")]


def test_the_feed_names_its_subjects_in_a_fixed_number_of_queries(
    data, reader, django_assert_max_num_queries
):
    reader.get(FEED)  # stamps the token's last use, at most once a minute

    for limit in (15, 3):
        with django_assert_max_num_queries(7):
            assert len(reader.get(f"{FEED}?limit={limit}").json()["results"]) == limit


@pytest.mark.parametrize("as_of", ["", "&as_of=2026-03-01"])
def test_lists_name_the_project_by_id_as_well_as_slug(data, users, reader, as_of):
    commands.decision_record(
        project_id=data.alpha,
        meeting_on=date(2026, 2, 20),
        text="Godkendt",
        actor=users["steering"],
        known_at=datetime(2026, 2, 20, 12, tzinfo=UTC),
    )

    for kind in ("decisions", "kpis", "risks", "milestones"):
        rows = reader.get(f"/api/v1/{kind}/?project=alpha{as_of}").json()["results"]

        assert rows, kind
        assert {(r["project"], r["project_id"]) for r in rows} == {("alpha", data.alpha)}, kind
