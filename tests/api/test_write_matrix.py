"""Every write endpoint × every role: the status each gets (through HTTP, on one portfolio)."""

import pytest
from django.db import transaction

from . import portfolio_data

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "reader", "manager", "other_manager", "steering", "admin")
MANAGERS = {"manager", "admin"}  # alpha's manager, and administrators
CREATORS = {"manager", "other_manager", "admin"}
DECIDERS = {"steering", "admin"}
ADMINS = {"admin"}


def writes(d) -> list[tuple[str, dict, set, int]]:
    """(url, body, roles that may, status when allowed) for each write endpoint."""
    pilot, kick, risk = d.m["Pilot"], d.m["Kickoff"], d.risks["Leverandør"]
    return [
        ("/api/v1/areas/", {"name": "Nyt område"}, ADMINS, 201),
        ("/api/v1/areas/kommuner/rename/", {"name": "Kommunerne"}, ADMINS, 200),
        ("/api/v1/projects/", {"slug": "ny", "title": "Ny", "area": "kommuner"}, CREATORS, 201),
        ("/api/v1/projects/alpha/update/", {"project_leader": "Ida"}, MANAGERS, 200),
        ("/api/v1/projects/alpha/tracks/", {"name": "Spor 3"}, MANAGERS, 201),
        ("/api/v1/projects/alpha/status/", {"rating": "green", "narrative": "ok"}, MANAGERS, 200),
        ("/api/v1/projects/alpha/close/", {"reason": "Slut"}, MANAGERS, 200),
        # Alpha is open: an administrator gets past the permission check to the domain's 400.
        ("/api/v1/projects/alpha/reopen/", {"reason": "Igen"}, ADMINS, 400),
        (
            "/api/v1/projects/alpha/decisions/",
            {"meeting_on": "2026-11-01", "text": "Godkendt"},
            DECIDERS,
            201,
        ),
        ("/api/v1/projects/alpha/kpis/", {"name": "Brugere"}, MANAGERS, 201),
        ("/api/v1/projects/alpha/milestones/", {"title": "Go-live"}, MANAGERS, 201),
        ("/api/v1/projects/alpha/risks/", {"title": "Ny risiko"}, MANAGERS, 201),
        (
            f"/api/v1/milestones/{pilot}/replan/",
            {"planned_on": "2026-12-01", "reason": "Ny plan"},
            MANAGERS,
            200,
        ),
        (f"/api/v1/milestones/{pilot}/achieve/", {"achieved_on": "2026-11-01"}, MANAGERS, 200),
        (
            f"/api/v1/milestones/{kick}/correct-achievement/",
            {"achieved_on": None, "reason": "Fejl"},
            MANAGERS,
            200,
        ),
        (f"/api/v1/milestones/{pilot}/retitle/", {"title": "Pilot 2"}, MANAGERS, 200),
        (f"/api/v1/risks/{risk}/assess/", {"probability": 1, "impact": 1}, MANAGERS, 200),
        (f"/api/v1/risks/{risk}/revise/", {"owner": "Ida"}, MANAGERS, 200),
        (f"/api/v1/risks/{risk}/status/", {"status": "mitigated"}, MANAGERS, 200),
        (f"/api/v1/risks/{risk}/mark-biggest/", {}, MANAGERS, 200),
        (
            f"/api/v1/kpis/{d.kpi}/points/",
            {"measured_on": "2026-11-01", "value": "41"},
            MANAGERS,
            200,
        ),
        (f"/api/v1/kpis/{d.kpi}/remark/", {"remark": "Godt"}, MANAGERS, 200),
        (f"/api/v1/milestones/{pilot}/withdraw/", {"reason": "Fejl"}, MANAGERS, 204),
        (f"/api/v1/risks/{risk}/withdraw/", {"reason": "Fejl"}, MANAGERS, 204),
    ]


ENDPOINTS = 24


def test_the_matrix_covers_every_write_endpoint():
    # given: every POST route under /api/v1/ (a new one must be added to the matrix)
    from django.urls import get_resolver

    from portfolio.api_platform.command_api import CommandApi

    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif hasattr(p.callback, "view_class") and issubclass(
                p.callback.view_class, CommandApi
            ):
                yield prefix + str(p.pattern)

    assert len(set(walk(get_resolver().url_patterns))) == ENDPOINTS


@pytest.mark.parametrize("index", range(ENDPOINTS))
def test_write_permission_matrix(users, client_for, index):
    data = portfolio_data.build(users)
    url, body, allowed, success = writes(data)[index]
    clients = {role: client_for(users.get(role)) for role in ROLES}
    got = {}

    for role in ROLES:
        with transaction.atomic():  # each role tries on the same, untouched portfolio
            got[role] = clients[role].post(url, body, format="json").status_code
            transaction.set_rollback(True)

    expected = {
        role: 401 if role == "anonymous" else success if role in allowed else 403 for role in ROLES
    }
    assert got == expected, url
