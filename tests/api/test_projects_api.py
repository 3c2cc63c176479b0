"""Areas, projects, history, changes, decisions, KPIs and risks through HTTP, now and as of."""

import pytest

from portfolio.changes import changes
from portfolio.selectors import AsOf
from reports.pages.overview import overview_rows

from . import portfolio_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(users):
    return portfolio_data.build(users)


def ok(response):
    assert response.status_code in (200, 201), response.content
    return response.json()


def listed(response) -> list:
    """Return the rows of a list's (only) page."""
    body = ok(response)
    assert body["next"] is None and body["previous"] is None
    return body["results"]


def test_areas(data, reader):
    assert listed(reader.get("/api/v1/areas/")) == [
        {"id": data.areas["kommuner"], "slug": "kommuner", "name": "Kommuneområdet", "projects": 1},
        {"id": data.areas["regioner"], "slug": "regioner", "name": "Regionsområdet", "projects": 1},
    ]
    assert listed(reader.get("/api/v1/areas/?as_of=2026-01-01")) == []


def test_project_list_now_and_as_of_agree_in_shape(data, reader):
    now = listed(reader.get("/api/v1/projects/?area=kommuner"))
    then = listed(reader.get("/api/v1/projects/?area=kommuner&as_of=2026-11-01"))

    assert [p["slug"] for p in now] == ["alpha"]
    assert now == then  # nothing happened to Alpha after 1 November


def test_project_detail_has_tracks_status_and_biggest_risk(data, manager, reader):
    manager.post(
        "/api/v1/projects/alpha/status/",
        {
            "track": "Børn",
            "rating": "yellow",
            "narrative": "**Forsinket** pilot",
            "justification": "Piloten er genplanlagt",
        },
        format="json",
    )
    manager.post(f"/api/v1/risks/{data.risks['Leverandør']}/mark-biggest/", {}, format="json")

    response = reader.get("/api/v1/projects/alpha/")

    body = ok(response)
    assert response["ETag"].startswith(f'"{body["version"]}-')
    assert body["area"] == {
        "id": data.areas["kommuner"],
        "slug": "kommuner",
        "name": "Kommuneområdet",
    }
    assert body["id"] == data.alpha
    boern = next(t for t in body["tracks"] if t["name"] == "Børn")
    assert boern["status"]["rating"] == "yellow"
    assert boern["status"]["narrative"] == "**Forsinket** pilot"
    assert boern["biggest_risk"]["title"] == "Leverandør"
    assert boern["biggest_risk"]["score"] == 12
    assert (
        reader.get("/api/v1/projects/alpha/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


def test_project_as_of_before_it_existed_is_404(data, reader):
    assert reader.get("/api/v1/projects/alpha/?as_of=2026-01-01").status_code == 404
    assert reader.get("/api/v1/projects/nope/").status_code == 404


def test_history_lists_events_with_who_and_why_and_pages(data, reader):
    body = ok(reader.get("/api/v1/projects/alpha/history/?limit=3"))
    everything = ok(reader.get("/api/v1/projects/alpha/history/?limit=1000"))["results"]

    assert len(body["results"]) == 3 and body["next"]
    replan = next(e for e in everything if e["type"] == "Milestone.Replanned")
    assert replan["metadata"]["who"] == "manager"
    assert replan["data"]["reason"] == "Sen levering"
    assert all(e["stream"] != data.beta for e in everything)
    early = ok(reader.get("/api/v1/projects/alpha/history/?as_of=2026-01-06&limit=1000"))
    assert {e["type"] for e in early["results"]} == {"Project.Created", "Project.TrackAdded"}


def test_changes_between_two_dates_match_the_domain(data, reader):
    body = listed(reader.get("/api/v1/projects/alpha/changes/?since=2026-02-01&until=2026-02-16"))

    expected = changes(
        "alpha",
        AsOf.of_date(__import__("datetime").date(2026, 2, 1)),
        AsOf.of_date(__import__("datetime").date(2026, 2, 16)),
    )
    assert [(c["kind"], c["subject"]) for c in body] == [(c.kind, c.subject) for c in expected]
    assert ("replanned", "Pilot") in [(c["kind"], c["subject"]) for c in body]


def test_changes_are_data_and_their_detail_is_in_the_readers_language(data, reader):
    url = "/api/v1/projects/alpha/changes/?since=2026-02-01"
    danish = listed(reader.get(url))
    english = listed(reader.get(url, HTTP_ACCEPT_LANGUAGE="en"))

    replan = next(c for c in danish if c["kind"] == "replanned")
    assert {k: replan[k] for k in ("subject_type", "subject", "field", "before", "after")} == {
        "subject_type": "Milestone",
        "subject": "Pilot",
        "field": "planned_on",
        "before": "2026-03-01",
        "after": "2026-04-15",
    }
    assert (replan["reason"], replan["subject_id"]) == ("Sen levering", data.m["Pilot"])
    assert replan["detail"] == "01.03.2026 → 15.04.2026: Sen levering"
    assert replan["summary"] == "Pilot: flyttet: 01.03.2026 → 15.04.2026: Sen levering"
    assert replan["when"] == replan["known_at"] and replan["when"].endswith("Z")
    measured = next(c for c in english if c["kind"] == "measured")
    assert measured["after"] == {"value": 40, "measured_on": "2026-02-17"}
    assert measured["detail"] == "40 (17 Feb 2026)"
    assert next(c for c in english if c["kind"] == "replanned")["detail"] == (
        "1 Mar 2026 → 15 Apr 2026: Sen levering"
    )
    assert next(c for c in english if c["kind"] == "replanned")["summary"] == (
        "Pilot: re-planned: 1 Mar 2026 → 15 Apr 2026: Sen levering"
    )
    # the data is the same whatever the language
    words = {"detail": "", "summary": ""}
    assert [c | words for c in danish] == [c | words for c in english]


def test_risks_list_and_detail(data, reader, manager):
    rid = data.risks["Leverandør"]
    assert [r["title"] for r in listed(reader.get("/api/v1/risks/?project=alpha"))] == [
        "Leverandør"
    ]

    assessed = manager.post(
        f"/api/v1/risks/{rid}/assess/",
        {"probability": 2, "impact": 3, "reason": "Ny kontrakt"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    closed = manager.post(f"/api/v1/risks/{rid}/status/", {"status": "closed"}, format="json")

    assert ok(assessed)["score"] == 6
    assert ok(closed)["status"] == "closed"
    detail = ok(reader.get(f"/api/v1/risks/{rid}/"))
    assert [a["reason"] for a in detail["assessments"]][-1] == "Ny kontrakt"
    then = ok(reader.get(f"/api/v1/risks/{rid}/?as_of=2026-03-01"))
    assert (then["status"], then["score"]) == ("open", 12)
    assert listed(reader.get("/api/v1/risks/?status=open&as_of=2026-03-01"))[0]["id"] == rid
    assert listed(reader.get("/api/v1/risks/?status=open")) == []


def test_raise_risk_then_mark_it_biggest(data, manager, reader):
    raised = ok(
        manager.post(
            "/api/v1/projects/alpha/risks/",
            {"title": "Økonomi", "track": "LTT", "probability": 5, "impact": 5},
            format="json",
        )
    )
    marked = ok(manager.post(f"/api/v1/risks/{raised['id']}/mark-biggest/", {}, format="json"))

    assert marked["biggest"] is True
    assert listed(reader.get("/api/v1/risks/?biggest=true"))[0]["title"] == "Økonomi"


def test_kpis_and_points(data, manager, reader):
    [kpi] = listed(reader.get("/api/v1/kpis/?project=alpha"))
    assert kpi["points"] == [{"measured_on": "2026-02-17", "value": "40", "source": ""}]
    assert kpi["denominator"] == 98

    measured = manager.post(
        f"/api/v1/kpis/{data.kpi}/points/",
        {"measured_on": "2026-10-01", "value": "52.5", "source": "MedCom"},
        format="json",
    )

    assert [p["value"] for p in ok(measured)["points"]] == ["40", "52.5"]
    assert (
        ok(reader.get(f"/api/v1/kpis/{data.kpi}/?as_of=2026-03-01"))["points"][-1]["value"] == "40"
    )
    assert listed(reader.get("/api/v1/kpis/"))[0]["points"][-1]["value"] == "52.5"


def test_steering_group_records_a_decision(data, users, client_for, reader):
    steering = client_for(users["steering"])

    response = steering.post(
        "/api/v1/projects/alpha/decisions/",
        {"meeting_on": "2026-11-20", "text": "Pilot godkendt", "affects": [data.m["Pilot"]]},
        format="json",
    )

    assert response.status_code == 201, response.content
    [decision] = listed(reader.get("/api/v1/decisions/?project=alpha"))
    assert (decision["text"], decision["affects"]) == ("Pilot godkendt", [data.m["Pilot"]])
    assert listed(reader.get("/api/v1/decisions/?as_of=2026-11-01")) == []


def test_create_update_track_and_close_a_project(users, client_for, data):
    pm = client_for(users["other_manager"])

    created = pm.post(
        "/api/v1/projects/",
        {"slug": "gamma", "title": "Gamma", "area": "kommuner"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created["Location"].endswith("/api/v1/projects/gamma/")
    assert ok(created)["managers"] == ["other_manager"]
    track = pm.post("/api/v1/projects/gamma/tracks/", {"name": "Spor 1"}, format="json")
    updated = pm.post(
        "/api/v1/projects/gamma/update/",
        {
            "project_leader": "Ida",
            "suppliers": [{"track": "Spor 1", "name": "Netic", "state": "expected"}],
            "read_more": {"label": "Læs mere", "url": "https://medcom.dk"},
        },
        format="json",
        HTTP_IF_MATCH=track["ETag"],
    )
    closed = pm.post("/api/v1/projects/gamma/close/", {"reason": "Slut"}, format="json")
    again = pm.post("/api/v1/projects/gamma/update/", {"title": "Nyt"}, format="json")

    assert ok(updated)["suppliers"] == [{"track": "Spor 1", "name": "Netic", "state": "expected"}]
    assert ok(closed)["closed"] is True
    assert again.status_code == 409 and again.json()["code"] == "closed"


def test_create_with_an_unknown_area_names_the_field(users, client_for, data):
    response = client_for(users["manager"]).post(
        "/api/v1/projects/", {"slug": "x", "title": "X", "area": "nowhere"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["field"] == "area"


def test_project_list_queries_do_not_grow(data, users, client_for, django_assert_num_queries):
    from tests import factories

    reader = client_for(users["reader"])
    reader.get("/api/v1/projects/")
    # token; projects with areas; their tracks; their statuses
    with django_assert_num_queries(4):
        assert len(listed(reader.get("/api/v1/projects/"))) == 2
    for n in range(3):
        factories.project(users["manager"], slug=f"extra-{n}")
    with django_assert_num_queries(4):
        assert len(listed(reader.get("/api/v1/projects/"))) == 5


@pytest.mark.parametrize(
    ("url", "count"),
    [("/api/v1/risks/", 3), ("/api/v1/kpis/", 3), ("/api/v1/decisions/", 2)],
)
def test_other_list_queries_are_fixed(data, reader, django_assert_num_queries, url, count):
    reader.get(url)
    with django_assert_num_queries(count):
        listed(reader.get(url))


def test_a_back_dated_report_gives_one_status_date_in_list_detail_and_overview(
    data, manager, reader, pinned_today
):
    # given: the whole project reported on 20 August, then again dated 10 August (a correction)
    for day in ("2026-08-20", "2026-08-10"):
        body = {"track": None, "rating": "yellow", "narrative": "Status", "reported_on": day}
        body["justification"] = "Evalueringen har ingen dato"
        ok(manager.post("/api/v1/projects/alpha/status/", body, format="json"))

    # when
    detail = ok(reader.get("/api/v1/projects/alpha/"))["status_date"]
    [in_list] = [p["status_date"] for p in listed(reader.get("/api/v1/projects/?area=kommuner"))]
    [row] = [r for r in overview_rows() if r.project.slug == "alpha"]

    # then: the latest date among the current reports, everywhere
    assert detail == in_list == row.status_date.isoformat() == "2026-08-10"


def test_a_track_added_with_a_monitoring_note_is_one_command(users, client_for, data):
    pm = client_for(users["manager"])
    body = {"name": "Drift", "monitoring_note": "Følges *månedligt*."}

    first = pm.post(
        "/api/v1/projects/alpha/tracks/", body, format="json", HTTP_IDEMPOTENCY_KEY="t1"
    )
    again = pm.post(
        "/api/v1/projects/alpha/tracks/", body, format="json", HTTP_IDEMPOTENCY_KEY="t1"
    )

    assert first.status_code == 201, first.content
    track = next(t for t in ok(first)["tracks"] if t["name"] == "Drift")
    assert track["monitoring_note"] == "Følges *månedligt*."
    assert again.json() == first.json()
