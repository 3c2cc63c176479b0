"""Project snapshots are a cache: as-of reads through them equal a plain fold of the events.

The histories here give every stream its own clock, so a stream appended late may carry older
known_at than streams appended before it (an import of past status): a snapshot taken at such an
event holds newer facts than the event's own known_at, which is what makes the cache hard.
"""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milestones import commands as milestones
from milestones.domain import Milestone
from portfolio import commands, domain, project_snapshots, roles
from portfolio.eventstore import projections, repository, state_json, store
from portfolio.members import members_of
from portfolio.models import ProjectEventChunk, ProjectEventCount, ProjectSnapshot
from portfolio.selectors import AsOf, project_state
from reports.demo.build import at
from risks import commands as risks
from risks.domain import Risk
from tests import factories

pytestmark = pytest.mark.django_db

START = date(2026, 1, 1)
KIND = {"Project": domain.Project, "Milestone": Milestone, "Risk": Risk, "Kpi": domain.Kpi}


def vars_of(aggregate) -> dict:
    return {k: v for k, v in vars(aggregate).items() if k != "pending"}


def seen(state) -> tuple | None:
    """What a read returns, as plain values."""
    if state is None:
        return None
    aggregates = [state.project, *state.of_type(Milestone), *state.of_type(Risk), *state.kpis]
    return (vars_of(state.area), [vars_of(a) for a in aggregates], state.position)


def plain_fold(project_id: str, point: AsOf) -> tuple | None:
    """Fold every stream of the project from its first event, without any snapshot."""
    rows = [
        e
        for sid in [project_id, *members_of([project_id])[project_id]]
        for e in store.read_stream(sid, until_position=point.position, known_by=point.time)
    ]
    if not any(e.stream_id == project_id for e in rows):
        return None
    project = repository.fold(
        domain.Project, project_id, [e for e in rows if e.stream_id == project_id]
    )
    area_rows = store.read_stream(
        project.area_id, until_position=point.position, known_by=point.time
    )
    area = repository.fold(domain.Area, project.area_id, area_rows)
    folded = [project]
    for kind in (Milestone, Risk, domain.Kpi):
        for sid in members_of([project_id])[project_id]:
            mine = [e for e in rows if e.stream_id == sid]
            if mine and mine[0].stream_type == kind.stream_type:
                folded.append(repository.fold(kind, sid, mine))
    position = max(e.position for e in [*rows, *area_rows])
    return (vars_of(area), [vars_of(a) for a in folded], position)


# A step: (what, which stream among those of its kind, how many days its stream's clock moves).
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["status", "plan", "replan", "raise", "assess"]),
        st.integers(0, 5),
        st.integers(0, 40),
    ),
    min_size=1,
    max_size=24,
)


def play(steps, slug: str, area_id: str | None = None) -> str:
    """Append the steps, each stream on its own clock; return the project id."""
    pm = factories.user(roles.PROJECT_MANAGERS)
    project_id = factories.project(
        pm, slug=slug, area_id=area_id, title=slug, known_at=at(START.isoformat(), 8)
    )
    clock = {project_id: at(START.isoformat(), 8)}
    plans, risk_ids = [], []

    def tick(stream_id, days, start=START):
        # A minute on at every step, so a stream's known_at never goes back.
        base = clock.get(stream_id) or at(start.isoformat(), 9)
        clock[stream_id] = base + timedelta(days=days, minutes=1)
        return clock[stream_id]

    for number, (what, which, days) in enumerate(steps):
        if what == "status":
            commands.status_report(
                project_id=project_id,
                track_id=None,
                rating="green",
                narrative=f"Status {number}",
                expected_version=None,
                actor=pm,
                known_at=tick(project_id, days),
            )
        elif what == "plan" or (what == "replan" and not plans):
            # A new stream starts its clock anywhere in the project's first weeks.
            sid = milestones.milestone_plan(
                project_id=project_id,
                track_id=None,
                title=f"M{number}",
                planned_on=date(2027, 1, 1),
                actor=pm,
                known_at=tick(f"m{number}", 0, START + timedelta(days=days)),
            ).stream_id
            clock[sid] = clock.pop(f"m{number}")
            plans.append(sid)
        elif what == "replan":
            sid = plans[which % len(plans)]
            milestones.milestone_replan(
                milestone_id=sid,
                planned_on=date(2027, 2, 1) + timedelta(days=number),
                reason=f"Grund {number}",
                expected_version=None,
                actor=pm,
                known_at=tick(sid, days),
            )
        elif what == "raise" or not risk_ids:
            sid = risks.risk_raise(
                project_id=project_id,
                track_id=None,
                title=f"R{number}",
                probability=1 + which % 5,
                impact=2,
                actor=pm,
                known_at=tick(f"r{number}", 0, START + timedelta(days=days)),
            ).stream_id
            clock[sid] = clock.pop(f"r{number}")
            risk_ids.append(sid)
        else:
            sid = risk_ids[which % len(risk_ids)]
            risks.risk_assess(
                risk_id=sid,
                probability=1 + (which + number) % 5,
                impact=3,
                reason=f"Vurdering {number}",
                expected_version=None,
                actor=pm,
                known_at=tick(sid, days),
            )
    return project_id


def points_of(project_id: str) -> list[AsOf]:
    """Every moment and position at which the project's history changed, and between them."""
    streams = [project_id, *members_of([project_id])[project_id]]
    events = [e for sid in streams for e in store.read_stream(sid)]
    times = sorted({e.known_at for e in events})
    positions = sorted(e.position for e in events)
    points = [AsOf(time=t - timedelta(microseconds=d)) for t in times for d in (0, 1)]
    points += [AsOf(position=p) for p in positions]
    points += [AsOf(time=t, position=p) for t, p in zip(times, reversed(positions), strict=False)]
    return [*points, AsOf()]


_slugs = (f"history-{n}" for n in itertools.count(1))  # hypothesis runs examples in one database


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_reads_through_project_snapshots_equal_a_plain_fold(monkeypatch, steps):
    # given: a history with a project snapshot every 3 events, streams on clocks of their own
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    slug = next(_slugs)
    project_id = play(steps, slug)

    # when / then: each point reads what a fold of every event it includes gives
    for point in points_of(project_id):
        assert seen(project_state(slug, point)) == plain_fold(project_id, point), point


def test_a_snapshot_taken_at_an_imported_event_is_not_used_before_the_newest_fact_it_holds(
    monkeypatch,
):
    # given: live status reports on 10-12 January, then a milestone imported with its history
    # of 2-4 January, so snapshots taken at the import hold the status of 12 January
    monkeypatch.setattr(project_snapshots, "EVERY", 2)
    steps = [("status", 0, 9), ("status", 0, 1), ("status", 0, 1)]
    steps += [("plan", 0, 1), ("replan", 0, 1), ("replan", 0, 1), ("replan", 0, 1)]
    project_id = play(steps, "imported")
    taken = ProjectSnapshot.objects.filter(project_id=project_id, position__gt=0)
    assert max(s.known_at for s in taken) == at("2026-01-12", 8) + timedelta(minutes=3)

    # when / then: as of 5 January the milestone's imported history shows, the status not yet
    for day in range(1, 14):
        point = AsOf.of_date(date(2026, 1, day))
        assert seen(project_state("imported", point)) == plain_fold(project_id, point), day
    state = project_state("imported", AsOf.of_date(date(2026, 1, 5)))
    assert state.project.statuses == {}
    assert state.of_type(Milestone)[0].replan_count == 3


def test_dropping_the_project_snapshots_changes_no_answer(monkeypatch):
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    steps = [("plan", n, 3) for n in range(3)] + [("replan", n, 2) for n in range(9)]
    steps += [("raise", 0, 5), ("assess", 0, 4), ("status", 0, 20), ("assess", 0, 1)]
    project_id = play(steps, "dropped")
    points = points_of(project_id)
    cached = [seen(project_state("dropped", p)) for p in points]
    assert ProjectSnapshot.objects.filter(project_id=project_id).count() >= 5

    ProjectSnapshot.objects.all().delete()

    assert [seen(project_state("dropped", p)) for p in points] == cached


def cache_rows() -> tuple[list, list, list]:
    snapshots = [
        (s.id, s.project_id, s.events, s.position, s.known_at, s.versions, decoded(s))
        for s in ProjectSnapshot.objects.order_by("id")
    ]
    chunks = list(ProjectEventChunk.objects.order_by("id").values_list())
    counts = list(ProjectEventCount.objects.order_by("project_id").values_list())
    return snapshots, chunks, counts


def decoded(snapshot) -> dict | None:
    if not state_json.is_current(snapshot.versions):  # not read, whatever it holds
        return None
    aggregates = state_json.loads(snapshot.state, snapshot.versions)[0]
    return {sid: vars_of(a) for sid, a in aggregates.items()}


def rebuild(*names: str) -> None:
    """Rebuild as an operator does: the read models, then the snapshots they call for."""
    projections.rebuild(store.iter_all(), list(names) or None)


def test_a_rebuild_keeps_the_snapshots_and_writes_those_missing_or_of_older_code(monkeypatch):
    # given: two projects' histories, snapshots taken as the events were appended
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    one = play([("plan", 0, 2), ("replan", 0, 1), ("raise", 0, 30)] + [("assess", 0, 1)] * 7, "one")
    play([("status", 0, 3), ("plan", 0, 0), ("replan", 0, 2)] * 4, "two")
    incremental = cache_rows()
    assert len(incremental[0]) >= 6
    points = points_of(one)

    # when: a rebuild
    rebuild("portfolio.project_snapshots")

    # then: the counts, chunks and snapshots are those the appends wrote
    assert cache_rows() == incremental

    # when: some snapshots are gone, others were written by other code, and a rebuild runs
    ProjectSnapshot.objects.filter(id=f"{one}/{2 * project_snapshots.EVERY}").delete()
    ProjectSnapshot.objects.filter(project_id=one, events__gt=6).update(
        versions={"Project": "0" * 16, "Risk": "0" * 16}
    )
    for point in points:
        assert seen(project_state("one", point)) == plain_fold(one, point), point
    rebuild("portfolio.project_snapshots")

    # then: they are written again, the same; refreshing again writes none
    assert cache_rows() == incremental
    assert project_snapshots.refresh(one) == 0
    for point in points:
        assert seen(project_state("one", point)) == plain_fold(one, point), point
