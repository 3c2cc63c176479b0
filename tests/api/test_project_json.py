"""The project detail's hand-built JSON is what its documenting serializer, ProjectOut, writes."""

import json
from datetime import date

import pytest

from portfolio import selectors
from portfolio.api_platform.fields import state_context
from reports import derived
from reports.project_api.project_json import project_json
from reports.project_api.shapes import ProjectOut

from . import portfolio_data

pytestmark = pytest.mark.django_db


def _by_serializer(state: selectors.ProjectState) -> dict:
    context = state_context(state) | {"lights": derived.track_lights(state, state.as_of)}
    return ProjectOut(state, context=context).data


@pytest.mark.parametrize("as_of", [None, date(2026, 3, 1), date(2026, 11, 1)])
def test_project_json_is_what_project_out_writes(users, manager, as_of):
    # given: a portfolio with tracks, statuses, a justification, a biggest risk, decisions
    data = portfolio_data.build(users)
    manager.post(
        "/api/v1/projects/alpha/status/",
        {"track": "Børn", "rating": "yellow", "narrative": "Pilot", "justification": "Genplanlagt"},
        format="json",
    )
    manager.post(f"/api/v1/risks/{data.risks['Leverandør']}/mark-biggest/", {}, format="json")
    point = selectors.NOW if as_of is None else selectors.AsOf.of_date(as_of)

    for slug in ("alpha", "beta"):
        state = selectors.project_state(slug, point)
        # when / then: the same values in the same order
        assert json.dumps(project_json(state)) == json.dumps(_by_serializer(state))
        # and the detail, which reads only the kinds it shows, answers the same
        query = "" if as_of is None else f"?as_of={as_of.isoformat()}"
        detail = manager.get(f"/api/v1/projects/{slug}/{query}")
        assert detail.content.decode() == json.dumps(
            _by_serializer(state), ensure_ascii=False, separators=(",", ":")
        )
