"""As-of reads find the events after a snapshot through the project's event chunks; whatever
state the chunks and snapshots are in, the answer is that of a plain fold."""

import itertools
import json
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from milestones.domain import Milestone
from portfolio import commands, domain, project_snapshots
from portfolio.eventstore import store
from portfolio.models import ProjectEventChunk, ProjectSnapshot
from portfolio.selectors import AsOf, portfolio_states, project_state
from reports.demo.build import at
from risks.domain import Risk
from tests import factories
from tests.portfolio.test_project_snapshots import (
    START,
    STEPS,
    cache_rows,
    plain_fold,
    play,
    points_of,
    rebuild,
    seen,
    vars_of,
)

pytestmark = pytest.mark.django_db

_areas = (f"portfolio-{n}" for n in itertools.count(1))  # hypothesis runs examples in one database


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=STEPS, second=STEPS)
def test_the_portfolio_through_project_snapshots_equals_a_plain_fold_of_each_project(
    monkeypatch, first, second
):
    # given: two projects of one area, snapshots every 3 events, streams on clocks of their own
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    slug = next(_areas)
    area_id = factories.area(slug=slug, known_at=at(START.isoformat(), 7))
    ids = [play(first, f"{slug}-a", area_id), play(second, f"{slug}-b", area_id)]

    # when / then: each point reads, for each project known then, what a fold gives
    for point in points_of(ids[0])[::2] + points_of(ids[1])[::2]:
        folds = {pid: plain_fold(pid, point) for pid in ids}
        expected = {pid: fold[:2] for pid, fold in folds.items() if fold is not None}
        states = portfolio_states(point, area_slug=slug)
        assert {s.project.id: seen(s)[:2] for s in states} == expected, point
        positions = [fold[2] for fold in folds.values() if fold is not None]
        assert {s.position for s in states} <= {max(positions, default=0)}, point


def play_more(project_id: str) -> None:
    manager = factories.admin()
    for n in range(4):
        commands.status_report(
            project_id=project_id,
            track_id=None,
            rating="yellow",
            narrative=f"Senere {n}",
            expected_version=None,
            actor=manager,
            known_at=at(START.isoformat(), 8) + timedelta(days=90, minutes=n),
        )


def test_snapshots_taken_after_the_snapshots_were_dropped_equal_those_of_a_rebuild(monkeypatch):
    # given: a history whose snapshots are dropped half-way (the cache cleared by hand)
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    steps = [("plan", n % 2, 1) for n in range(4)] + [("replan", n, 2) for n in range(6)]
    project_id = play(steps, "dropped-half-way")
    ProjectSnapshot.objects.all().delete()

    # when: appends go on, taking snapshots from the chunks alone
    play_more(project_id)

    # then: the new snapshots are those a rebuild writes, and reads equal a plain fold
    written = [row for row in cache_rows()[0] if row[0].startswith(project_id)]
    assert written
    for point in points_of(project_id):
        assert seen(project_state("dropped-half-way", point)) == plain_fold(project_id, point)
    rebuild("portfolio.project_snapshots")
    rebuilt = {row[0]: row for row in cache_rows()[0]}
    assert [rebuilt[row[0]] for row in written] == written


def test_a_project_id_holding_a_comma_is_read_through_the_portable_queries(monkeypatch):
    # given: a project appended straight to the store, under an id that would split a
    # comma-joined list (so the reads take the ORM's way, as on SQLite)
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    area_id = factories.area(slug="komma")
    created = {"slug": "komma", "title": "T0", "area_id": area_id, "managers": []}
    events = [store.NewEvent("Project.Created", created)]
    events += [store.NewEvent("Project.Retitled", {"title": f"T{n}"}) for n in range(1, 8)]
    for n, event in enumerate(events):
        store.append(
            stream_id="p,1",
            stream_type="Project",
            expected_version=n,
            events=[event],
            actor="t",
            known_at=at("2026-01-01", 8) + timedelta(days=n),
        )
    assert ProjectEventChunk.objects.filter(project_id="p,1").count() == 2

    # when / then
    for day in range(8):
        point = AsOf(time=at("2026-01-01", 9) + timedelta(days=day))
        assert project_state("komma", point).project.title == f"T{day}"
    assert [s.project.title for s in portfolio_states(area_slug="komma")] == ["T7"]


def test_snapshot_entries_of_older_code_are_neither_read_nor_built_on(monkeypatch):
    # given: a history whose snapshots' milestones were written by other code, and hold what
    # today's code would never fold
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    steps = [("plan", 0, 1), ("replan", 0, 2), ("raise", 0, 3), ("assess", 0, 1)] * 2
    project_id = play(steps, "old-code")
    for snapshot in ProjectSnapshot.objects.filter(project_id=project_id):
        document = json.loads(snapshot.state)
        if "Milestone" in document:
            for entry in document["Milestone"]["streams"].values():
                entry["title"] = "folded by older code"
            snapshot.state = json.dumps(document)
            snapshot.versions = {**snapshot.versions, "Milestone": "0" * 16}
            snapshot.save()

    # when: more events, taking snapshots, then reads
    play_more(project_id)

    # then: each read equals a plain fold, and the new snapshots are those a rebuild writes
    for point in points_of(project_id):
        assert seen(project_state("old-code", point)) == plain_fold(project_id, point), point
    written = [row for row in cache_rows()[0] if row[0].startswith(project_id) and row[6]]
    assert written
    rebuild("portfolio.project_snapshots")
    rebuilt = {row[0]: row for row in cache_rows()[0]}
    assert [rebuilt[row[0]] for row in written] == written
    assert all(row[6] for row in rebuilt.values())  # and the older ones are of today's code


def test_a_read_of_some_member_kinds_holds_them_as_a_full_read_does(monkeypatch):
    # given: milestones, risks and a measured KPI, with snapshots every 3 events, so some
    # points start from a snapshot holding the KPI and fold KPI events after it
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    steps = [("plan", n % 2, 1) for n in range(3)] + [("raise", 0, 1), ("assess", 0, 2)]
    project_id = play(steps, "some-kinds")
    pm = factories.admin()
    later = at(START.isoformat(), 8) + timedelta(days=200)
    kpi = commands.kpi_define(
        project_id=project_id, track_id=None, name="Brugere", actor=pm, known_at=later
    ).stream_id
    for n in range(4):
        commands.kpi_measure(
            kpi_id=kpi,
            measured_on=START + timedelta(days=n),
            value=str(n),
            actor=pm,
            known_at=later + timedelta(days=n + 1),
        )
    play_more(project_id)

    # when / then: at every point, the project, milestones and risks are the full read's
    for point in points_of(project_id):
        full = project_state("some-kinds", point)
        part = project_state("some-kinds", point, (Milestone, Risk))
        if full is None:
            assert part is None
            continue
        for kind in (Milestone, Risk):
            assert [vars_of(a) for a in part.of_type(kind)] == [
                vars_of(a) for a in full.of_type(kind)
            ], point
        assert vars_of(part.project) == vars_of(full.project)
        assert part.position == full.position  # KPI events passed over still count
        # and the KPI left out is an error to ask for, not an empty list
        with pytest.raises(LookupError):
            part.of_type(domain.Kpi)
    assert full.kpis and len(full.kpis[0].points) == 4
