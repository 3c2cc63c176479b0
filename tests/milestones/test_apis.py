"""Milestones through HTTP: filters, ordering, cursors, CSV, as-of, ETags and the commands."""

import csv
import io
from datetime import date

import pytest

from milestones.selectors import milestones
from portfolio.selectors import AsOf
from tests.api import portfolio_data

pytestmark = pytest.mark.django_db

LIST = "/api/v1/milestones/"


@pytest.fixture(autouse=True)
def _on_a_fixed_day(pinned_today):
    """A milestone's state (planned, overdue) is judged on today's date."""


@pytest.fixture
def data(users):
    return portfolio_data.build(users)


def titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [m["title"] for m in response.json()["results"]]


def test_list_is_ordered_by_plan_with_unknown_dates_last(data, reader):
    assert titles(reader.get(LIST)) == ["Kickoff", "Pilot", "Udrulning", "Beta-start", "Evaluering"]


def test_a_milestone_shows_plan_slippage_state_and_track(data, reader):
    [pilot] = reader.get(f"{LIST}?replanned=true").json()["results"]

    assert pilot == {
        "id": data.m["Pilot"],
        "project": "alpha",
        "project_id": data.alpha,
        "area": "kommuner",
        "area_id": data.areas["kommuner"],
        "track": "Børn",
        "track_id": data.tracks["Børn"],
        "title": "Pilot",
        "original_plan": "2026-03-01",
        "planned_on": "2026-04-15",
        "achieved_on": None,
        "state": "overdue",
        "replan_count": 1,
        "slippage_days": 45,
        "version": 2,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("project=alpha", ["Kickoff", "Pilot", "Udrulning", "Evaluering"]),
        ("area=regioner", ["Beta-start"]),
        ("track=LTT", ["Udrulning"]),
        ("state=overdue", ["Pilot"]),
        ("state=achieved", ["Kickoff"]),
        ("state=unscheduled", ["Evaluering"]),
        ("state=planned", ["Udrulning", "Beta-start"]),
        ("replanned=false&project=alpha", ["Kickoff", "Udrulning", "Evaluering"]),
        ("planned_from=2026-02-01&planned_until=2027-01-31", ["Pilot", "Udrulning"]),
        ("achieved_from=2026-01-01&achieved_until=2026-01-31", ["Kickoff"]),
        ("ordering=-title", ["Udrulning", "Pilot", "Kickoff", "Evaluering", "Beta-start"]),
        ("ordering=-planned_on&area=kommuner", ["Evaluering", "Udrulning", "Pilot", "Kickoff"]),
    ],
)
def test_filters_and_ordering(data, reader, query, expected):
    assert titles(reader.get(f"{LIST}?{query}")) == expected


def test_track_filter_takes_the_track_id_too(data, reader):
    assert titles(reader.get(f"{LIST}?track={data.tracks['Børn']}")) == ["Pilot"]


@pytest.mark.parametrize("as_of", ["", "&as_of=2026-02-20"])
@pytest.mark.parametrize("ordering", ["planned_on", "-planned_on", "title", "-achieved_on"])
def test_cursor_pages_return_each_milestone_once(data, reader, as_of, ordering):
    url, seen = f"{LIST}?limit=2&ordering={ordering}{as_of}", []
    while url:
        body = reader.get(url).json()
        assert len(body["results"]) <= 2
        seen += [m["title"] for m in body["results"]]
        url = body["next"]

    assert seen == titles(reader.get(f"{LIST}?limit=50&ordering={ordering}{as_of}"))
    assert len(seen) == 5


def test_bad_cursor_is_a_400_naming_it(data, reader):
    response = reader.get(f"{LIST}?cursor=bm9wZQ")

    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


def test_csv_has_every_matching_milestone_in_one_sheet(data, reader):
    response = reader.get(f"{LIST}?format=csv&limit=1&project=alpha")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["title"] for r in rows] == ["Kickoff", "Pilot", "Udrulning", "Evaluering"]
    assert rows[1]["track"] == "Børn" and rows[1]["planned_on"] == "2026-04-15"


def test_as_of_shows_the_plan_known_then(data, reader):
    # given: Pilot was re-planned on 15 February
    before = reader.get(f"{LIST}?as_of=2026-02-14&replanned=false&project=alpha").json()
    after = reader.get(f"{LIST}?as_of=2026-02-15&project=alpha&state=overdue").json()

    pilot = next(m for m in before["results"] if m["title"] == "Pilot")
    assert (pilot["planned_on"], pilot["replan_count"]) == ("2026-03-01", 0)
    assert pilot["state"] == "planned"  # judged on 14 February
    replanned = reader.get(f"{LIST}?as_of=2026-02-15&replanned=true").json()["results"]
    # a date means its whole day: the re-plan at 10:00 on 15 February is in
    assert [m["planned_on"] for m in replanned] == ["2026-04-15"]
    assert [m["title"] for m in after["results"]] == []  # 15 April not passed on 15 February


def test_as_of_a_date_includes_that_whole_day(data, reader):
    # given: Pilot was re-planned during 15 February; that day's page shows the new plan
    body = reader.get(f"{LIST}?as_of=2026-02-15&project=alpha").json()

    pilot = next(m for m in body["results"] if m["title"] == "Pilot")
    assert (pilot["planned_on"], pilot["replan_count"]) == ("2026-04-15", 1)


@pytest.mark.parametrize("day", ["2026-01-09", "2026-01-15", "2026-02-14", "2026-03-02"])
def test_as_of_list_agrees_with_the_domain_selector(data, reader, day):
    point = AsOf.of_date(date.fromisoformat(day))
    expected = {
        m.id: (
            m.planned_on and m.planned_on.isoformat(),
            m.achieved_on and m.achieved_on.isoformat(),
            m.state_on(point.day),
        )
        for _, m in milestones(point)
    }

    body = reader.get(f"{LIST}?as_of={day}&limit=500").json()

    got = {m["id"]: (m["planned_on"], m["achieved_on"], m["state"]) for m in body["results"]}
    assert got == expected


def test_as_of_accepts_a_date_time(data, reader):
    early = titles(reader.get(f"{LIST}?as_of=2026-01-10T09:00:00%2B01:00"))
    late = titles(reader.get(f"{LIST}?as_of=2026-01-10T11:00:00%2B01:00"))

    assert (early, len(late)) == ([], 5)


def test_as_of_with_an_offset_postgresql_cannot_store_is_read_in_utc(data, reader):
    response = reader.get(f"{LIST}?as_of=2026-01-10T09:00:00%2B23:30")

    assert response.status_code == 200
    assert titles(response) == []


@pytest.mark.parametrize("bad", ["yesterday", "2026-02-30", "2026-04-24T25:00"])
def test_bad_as_of_is_400(data, reader, bad):
    response = reader.get(f"{LIST}?as_of={bad}")

    assert response.status_code == 400
    assert response.json()["field"] == "as_of"


def test_list_queries_do_not_grow_with_the_page(data, reader, django_assert_num_queries):
    reader.get(LIST)  # stamps the token's last use

    # the token with its user, one query for the page with projects, areas and tracks, and,
    # asked for, the count (not needed on a first page that holds the whole list)
    for limit, count, queries in ((1, "false", 2), (4, "false", 2), (1, "true", 3), (5, "true", 2)):
        with django_assert_num_queries(queries):
            page = reader.get(f"{LIST}?limit={limit}&count={count}")
            assert len(titles(page)) == limit


# --- one milestone ------------------------------------------------------------------------


def test_detail_has_replans_with_reasons_and_an_etag(data, reader):
    response = reader.get(f"{LIST}{data.m['Pilot']}/")

    assert response.status_code == 200
    assert response["ETag"].startswith('"2-')
    assert response.json()["replans"] == [
        {"planned_on": "2026-04-15", "previous": "2026-03-01", "reason": "Sen levering"}
    ]
    again = reader.get(f"{LIST}{data.m['Pilot']}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_detail_as_of_before_the_replan(data, reader):
    response = reader.get(f"{LIST}{data.m['Pilot']}/?as_of=2026-02-01")

    assert response["ETag"].startswith('"1-')
    assert response.json()["planned_on"] == "2026-03-01"
    assert response.json()["replans"] == []
    assert reader.get(f"{LIST}{data.m['Pilot']}/?as_of=2026-01-01").status_code == 404


def test_unknown_milestone_is_404(data, reader):
    assert reader.get(f"{LIST}nope/").status_code == 404


# --- commands -----------------------------------------------------------------------------


def test_replan_with_current_if_match(data, manager):
    url = f"{LIST}{data.m['Pilot']}/replan/"

    response = manager.post(
        url,
        {"planned_on": "2026-12-01", "reason": "Ny leverandør"},
        format="json",
        HTTP_IF_MATCH='"2"',
    )

    assert response.status_code == 200, response.content
    assert response["ETag"].startswith('"3-')
    body = response.json()
    assert (body["planned_on"], body["original_plan"], body["replan_count"]) == (
        "2026-12-01",
        "2026-03-01",
        2,
    )
    assert body["replans"][-1]["reason"] == "Ny leverandør"


def test_replan_with_stale_if_match_is_412_and_changes_nothing(data, manager, reader):
    url = f"{LIST}{data.m['Pilot']}/replan/"

    response = manager.post(
        url, {"planned_on": "2026-12-01", "reason": "x"}, format="json", HTTP_IF_MATCH='"1"'
    )

    assert response.status_code == 412
    assert reader.get(f"{LIST}{data.m['Pilot']}/").json()["planned_on"] == "2026-04-15"


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("replan", {"planned_on": "2026-12-01", "reason": ""}, "reason"),
        ("replan", {"planned_on": "2026-04-15", "reason": "same"}, "planned_on"),
        ("achieve", {"achieved_on": "2099-01-01"}, "achieved_on"),
        ("correct-achievement", {"achieved_on": None, "reason": "oops"}, "achieved_on"),
        ("retitle", {"title": ""}, "title"),
    ],
)
def test_refused_commands_name_the_field(data, manager, path, body, field):
    response = manager.post(f"{LIST}{data.m['Pilot']}/{path}/", body, format="json")

    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == field


def test_achieve_then_correct(data, manager):
    url = f"{LIST}{data.m['Udrulning']}/"

    achieved = manager.post(f"{url}achieve/", {"achieved_on": "2026-08-14"}, format="json")
    corrected = manager.post(
        f"{url}correct-achievement/", {"achieved_on": None, "reason": "Fejl"}, format="json"
    )

    assert achieved.json()["state"] == "achieved"
    assert corrected.json()["achieved_on"] is None
    assert corrected["ETag"].startswith('"3-')


def test_plan_creates_a_milestone_on_a_track_by_name(data, manager, reader):
    response = manager.post(
        "/api/v1/projects/alpha/milestones/",
        {"title": "Go-live", "track": "LTT", "planned_on": "2027-06-01"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response["ETag"].startswith('"1-')
    assert response["Location"].endswith(f"/api/v1/milestones/{response.json()['id']}/")
    assert response.json()["track"] == "LTT"
    assert reader.get(response["Location"]).status_code == 200


def test_plan_on_an_unknown_track_is_404_naming_it(data, manager):
    response = manager.post(
        "/api/v1/projects/alpha/milestones/", {"title": "X", "track": "Nope"}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["field"] == "track"


def test_retried_replan_with_idempotency_key_appends_once(data, manager, reader):
    url = f"{LIST}{data.m['Pilot']}/replan/"
    body = {"planned_on": "2026-12-01", "reason": "Ny plan"}

    first = manager.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="r-1", HTTP_IF_MATCH='"2"')
    again = manager.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="r-1", HTTP_IF_MATCH='"2"')

    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert reader.get(f"{LIST}{data.m['Pilot']}/").json()["replan_count"] == 2


def test_csv_keeps_formulas_as_text_but_numbers_as_numbers(data, manager, reader):
    manager.post(
        "/api/v1/projects/alpha/milestones/",
        {"title": '=HYPERLINK("http://x")', "planned_on": "2026-01-01"},
        format="json",
    )
    manager.post(
        f"{LIST}{data.m['Pilot']}/replan/",
        {"planned_on": "2026-02-01", "reason": "Tidligere"},
        format="json",
    )

    body = reader.get(f"{LIST}?format=csv&project=alpha").content.decode("utf-8-sig")

    rows = {r["title"]: r for r in csv.DictReader(io.StringIO(body))}
    assert '\'=HYPERLINK("http://x")' in rows
    assert rows["Pilot"]["slippage_days"] == "-28"
