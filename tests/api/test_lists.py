"""Every list under /api/v1/ speaks one convention, as a client sees it: an envelope
{count, next, previous, results}, pages followed both ways by `next`/`previous` and the `Link`
header, `q` search, `ordering` (unknown: 400), a 400 naming any unknown parameter, and
`?format=csv` as an attachment."""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date

import pytest
from rest_framework import serializers
from rest_framework.request import Request

from portfolio import commands
from portfolio.api_platform import reading
from portfolio.models import Area
from reports.demo.build import at
from reports.models import IssuedReport
from risks import commands as risks
from tests import factories

from . import portfolio_data

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Spec:
    url: str
    key: str  # tells rows apart
    sorted_by: str  # an ordering on a field every row holds
    q: str  # matches some rows, not all
    searched: str  # the field `q` looks in
    csv_name: str
    as_of: bool = True
    cut_in_sql: bool = False  # counts the rest of the list only when asked (`count=true`)


LISTS = {
    "areas": Spec("/api/v1/areas/", "slug", "name", "REGION", "name", "areas"),
    "projects": Spec("/api/v1/projects/", "slug", "title", "ALPHA", "title", "projects"),
    "milestones": Spec(
        "/api/v1/milestones/", "id", "title", "pILOT", "title", "milestones", cut_in_sql=True
    ),
    "risks": Spec("/api/v1/risks/", "id", "title", "LEVERAN", "title", "risks"),
    "decisions": Spec("/api/v1/decisions/", "id", "meeting_on", "BUDGET", "text", "decisions"),
    "kpis": Spec("/api/v1/kpis/", "id", "name", "KOMMUNER", "name", "kpis"),
    "changes": Spec(
        "/api/v1/projects/alpha/changes/",
        "position",  # with the change's place in it (several per event), but enough here
        "position",
        "PILOT",
        "subject",
        "alpha-changes",
        as_of=False,
    ),
    "reports": Spec(
        "/api/v1/reports/", "id", "issued_at", "ALP", "project", "reports", False, True
    ),
}
LOGS = {"events": "/api/v1/events/", "history": "/api/v1/projects/alpha/history/"}
AS_OF = "2026-08-31"  # after everything below was known, before the pinned today


@pytest.fixture
def data(pinned_today, users):
    """The API tests' portfolio, with at least three rows in every list."""
    built = portfolio_data.build(users)
    admin, pm, steering = users["admin"], users["manager"], users["steering"]
    factories.area(admin, slug="stat", name="Statsområdet", known_at=at("2026-03-02"))
    commands.project_create(
        slug="gamma",
        title="Gamma",
        area_id=Area.objects.get(slug="kommuner").id,
        managers=[pm.username],
        actor=admin,
        known_at=at("2026-03-02"),
    )
    for title in ("Økonomi", "Bemanding"):
        risks.risk_raise(
            project_id=built.alpha, track_id=None, title=title, actor=pm, known_at=at("2026-03-03")
        )
    risks.risk_raise(
        project_id=built.beta,
        track_id=None,
        title="Beta-risiko",
        actor=users["other_manager"],
        known_at=at("2026-03-03"),
    )
    for day, text in (
        ("2026-03-04", "Budget godkendt"),
        ("2026-03-05", "Plan"),
        ("2026-03-06", "Budget udvidet"),
    ):
        commands.decision_record(
            project_id=built.alpha,
            meeting_on=date.fromisoformat(day),
            text=text,
            actor=steering,
            known_at=at(day),
        )
    for name in ("Regioner i gang", "Brugere"):
        commands.kpi_define(
            project_id=built.alpha, track_id=None, name=name, actor=pm, known_at=at("2026-03-07")
        )
    for n, slug in enumerate(("alpha", "beta", "alpha")):
        IssuedReport.objects.create(  # the archive's rows, as the report worker leaves them
            kind="status_page",
            project_slug=slug,
            language="da",
            as_of_time=at(f"2026-04-0{n + 1}"),
            as_of_position=n + 1,
            sha256=f"{n}" * 64,
            size=100,
            pages=1,
            file=f"reports/{n}.pdf",
            requested_at=at(f"2026-04-0{n + 1}"),
            issued_at=at(f"2026-04-0{n + 1}", hour=11),
        )
    return built


def get(client, url: str, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response


def everything(client, spec: Spec, **params) -> list[dict]:
    body = get(client, spec.url, limit=500, **params).json()
    assert body["next"] is None and body["previous"] is None
    return body["results"]


def links(response) -> dict[str, str]:
    return {
        rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.get("Link", ""))
    }


@pytest.mark.parametrize(
    ("name", "extra"),
    [(name, {}) for name in LISTS]
    + [(name, {"as_of": AS_OF}) for name, spec in LISTS.items() if spec.as_of],
)
def test_pages_follow_next_to_the_end_and_previous_back(data, reader, name, extra):
    spec = LISTS[name]
    whole = [r[spec.key] for r in everything(reader, spec, **extra)]
    assert len(whole) >= 3

    # when a client follows `next` two rows at a time, counting
    response = get(reader, spec.url, limit=2, count="true", **extra)
    pages = []
    while True:
        body = response.json()
        assert set(body) == {"count", "next", "previous", "results"}
        assert body["count"] == len(whole)
        assert len(body["results"]) <= 2
        assert links(response) == {
            rel: url for rel, url in (("next", body["next"]), ("prev", body["previous"])) if url
        }
        pages.append([r[spec.key] for r in body["results"]])
        if body["next"] is None:
            break
        response = reader.get(body["next"])

    # then it sees every row once, in the list's order; the first page has no previous
    assert [k for page in pages for k in page] == whole
    assert len(pages) == (len(whole) + 1) // 2

    # and `previous` (the Link header's "prev") walks back through the same pages
    back = [pages[-1]]
    while prev := links(response).get("prev"):
        response = get(reader, prev)
        back.append([r[spec.key] for r in response.json()["results"]])
    assert back[::-1] == pages
    assert response.json()["previous"] is None


@pytest.mark.parametrize("name", LISTS)
def test_count_is_given_where_free_and_always_when_asked(data, reader, name):
    spec = LISTS[name]
    whole = everything(reader, spec)

    # a page short of the whole list: counted only where that takes no query, unless asked
    unasked = get(reader, spec.url, limit=2).json()
    asked = get(reader, spec.url, limit=2, count="true").json()
    later = get(reader, unasked["next"]).json()

    assert unasked["count"] == (None if spec.cut_in_sql else len(whole))
    assert later["count"] == (None if spec.cut_in_sql else len(whole))
    assert asked["count"] == len(whole)
    assert get(reader, spec.url, limit=2, count="false").json()["count"] == unasked["count"]
    # a page holding the whole list is counted by its rows
    assert get(reader, spec.url, limit=len(whole)).json()["count"] == len(whole)
    # and anything but true or false is a 400 naming the parameter
    refused = reader.get(spec.url, {"count": "yes"})
    assert refused.status_code == 400 and refused.json()["field"] == "count"


@pytest.mark.parametrize("name", LISTS)
def test_q_finds_rows_whose_title_holds_it_in_any_case(data, reader, name):
    spec = LISTS[name]

    found = everything(reader, spec, q=spec.q)

    wanted = [
        r[spec.key]
        for r in everything(reader, spec)
        if spec.q.casefold() in str(r[spec.searched]).casefold()
    ]
    assert found and [r[spec.key] for r in found] == wanted
    assert len(wanted) < len(everything(reader, spec))
    assert get(reader, spec.url, q=spec.q).json()["count"] == len(wanted)


@pytest.mark.parametrize("name", LISTS)
def test_ordering_goes_up_and_with_a_minus_down(data, reader, name):
    spec = LISTS[name]

    up = everything(reader, spec, ordering=spec.sorted_by)
    down = everything(reader, spec, ordering="-" + spec.sorted_by)

    values = [r[spec.sorted_by] for r in up]
    assert values == sorted(values) and len(set(values)) > 1
    assert [r[spec.sorted_by] for r in down] == sorted(values, reverse=True)


@pytest.mark.parametrize("name", LISTS)
def test_an_unknown_ordering_is_a_400_naming_it(data, reader, name):
    response = reader.get(LISTS[name].url, {"ordering": "-colour"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == "ordering"
    assert '"-colour"' in response.json()["detail"]


@pytest.mark.parametrize("url", [s.url for s in LISTS.values()] + list(LOGS.values()))
def test_an_unknown_parameter_is_a_400_naming_it(data, reader, url):
    response = reader.get(url, {"colour": "red", "limit": 5}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["field"] == "colour"
    assert "colour: Unknown query parameter" in response.json()["detail"]


@pytest.mark.parametrize("name", LISTS)
def test_csv_is_the_whole_list_as_an_attachment(data, reader, name):
    spec = LISTS[name]

    response = get(reader, spec.url, format="csv", limit=1, q=spec.q)

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{spec.csv_name}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r[spec.key] for r in rows] == [
        str(r[spec.key]) for r in everything(reader, spec, q=spec.q)
    ]


@pytest.mark.parametrize("name", ["projects", "risks", "milestones"])
def test_filters_of_before_still_work_with_paging(data, reader, name):
    spec = LISTS[name]
    filtered = {
        "projects": {"area": "kommuner"},
        "risks": {"project": "alpha"},
        "milestones": {"project": "alpha"},
    }[name]

    body = get(reader, spec.url, limit=1, count="true", **filtered).json()

    assert (
        body["count"] == len(everything(reader, spec, **filtered)) < len(everything(reader, spec))
    )


@pytest.mark.parametrize("name", LOGS)
def test_logs_page_forwards_by_position_with_a_link_header(data, reader, name):
    url = LOGS[name]
    whole = get(reader, url, limit=1000).json()["results"]

    response = get(reader, url, limit=4)
    seen = []
    while True:
        body = response.json()
        assert {"count", "next", "previous", "results"} <= set(body)
        assert body["count"] is None and body["previous"] is None
        if body["next"]:
            assert links(response) == {"next": body["next"]}
        if not body["results"]:
            break
        seen += [e["position"] for e in body["results"]]
        if body["next"] is None:
            break
        response = reader.get(body["next"])

    assert seen == [e["position"] for e in whole] and len(seen) > 4


@pytest.mark.parametrize("name", LOGS)
def test_logs_refuse_search_and_ordering_naming_them(data, reader, name):
    for param in ("q", "ordering"):
        response = reader.get(LOGS[name], {param: "x"})
        assert response.status_code == 400
        assert response.json()["field"] == param


def test_the_feed_refuses_as_of_and_its_csv_is_a_page(data, reader):
    assert reader.get(LOGS["events"], {"as_of": AS_OF}).json()["field"] == "as_of"

    response = get(reader, LOGS["events"], format="csv", limit=3)

    assert response["Content-Disposition"] == 'attachment; filename="events.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and all(r["type"] and r["position"] for r in rows)
    assert "after=" in links(response)["next"]


def test_a_cursor_of_one_ordering_is_refused_by_another(data, reader):
    spec = LISTS["projects"]
    following = get(reader, spec.url, limit=1, ordering="title").json()["next"]
    cursor = re.search(r"cursor=([^&]+)", following).group(1)

    response = reader.get(spec.url, {"limit": 1, "ordering": "-title", "cursor": cursor})

    assert response.status_code == 400
    assert response.json()["field"] == "cursor"


def test_the_schema_documents_each_lists_envelope_and_parameters(client):
    schema = client.get("/api/schema/?format=json").json()

    for spec in LISTS.values():
        template = spec.url.replace("alpha", "{slug}")
        operation = schema["paths"][template]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert {"q", "ordering", "limit", "format"} <= names, template
        assert ("as_of" in names) == spec.as_of, template
        ok = operation["responses"]["200"]
        assert {"Link", "Content-Disposition"} <= set(ok["headers"])
        assert "text/csv" in ok["content"]
        page = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        fields = schema["components"]["schemas"][page]["properties"]
        assert {"count", "next", "previous", "results"} <= set(fields), template


def test_a_blank_format_is_a_400_not_json_by_default(data, reader):
    response = reader.get(LISTS["projects"].url + "?format=")

    assert response.status_code == 400
    assert response.json()["field"] == "format"


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("limit=1&limit=2", "limit", "once"),
        ("planned_from=", "planned_from", "Give a value"),
        ("planned_from=2026-13-01", "planned_from", "Date has wrong format"),
        ("state=late&count=maybe", "state", '"late"'),
        ("state=late&count=maybe", "count", '"maybe"'),
        ("limit=501", "limit", "500"),
    ],
)
def test_a_bad_list_parameter_is_a_400_naming_it(data, reader, query, field, words):
    response = reader.get(f"/api/v1/milestones/?{query}", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert field in errors and words in errors[field], errors


def test_a_query_serializer_that_validates_more_than_its_fields_is_refused(rf):
    # Lists validate each parameter by its field alone, so a `validate_<name>` method would be
    # skipped silently; it is refused instead.
    class Checked(serializers.Serializer):
        day = serializers.DateField(required=False)

        def validate_day(self, value):
            return value

    with pytest.raises(TypeError, match="Checked"):
        reading.query(Checked, Request(rf.get("/?day=2026-01-01")))
