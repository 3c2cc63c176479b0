"""A change to an aggregate's code leaves no stale answer behind, and a rebuild leaves the reads
fast: the project snapshots are a cache of the log and of the code that folded it."""

import io
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from milestones.domain import Milestone
from portfolio import project_loading, project_snapshots
from portfolio.eventstore import aggregate, state_json
from portfolio.models import ProjectSnapshot
from portfolio.selectors import AsOf, project_state
from tests.portfolio.test_project_snapshots import plain_fold, play, points_of, seen

pytestmark = pytest.mark.django_db

STEPS = [("plan", 0, 1), ("replan", 0, 2), ("plan", 1, 1), ("replan", 1, 1)] * 4
STEPS += [("raise", 0, 3), ("assess", 0, 1), ("replan", 0, 2)]


@pytest.fixture
def registries(monkeypatch):
    """Let a test define aggregate and event classes without leaving them registered."""
    monkeypatch.setattr(aggregate, "_aggregate_classes", dict(aggregate._aggregate_classes))
    monkeypatch.setattr(aggregate, "_event_classes", dict(aggregate._event_classes))


def change_milestone(monkeypatch, changed: type[Milestone]) -> None:
    """Fold milestones with `changed`, as if its code had replaced Milestone's."""
    assert aggregate.aggregate_class("Milestone") is changed  # registered when defined
    monkeypatch.setitem(aggregate._event_classes, "Milestone.Replanned", changed.Replanned)


@pytest.fixture
def folds(monkeypatch) -> list:
    """The events of projects each read folds, as (stream, event type)."""
    folded = []
    fold = project_loading.Loaded.fold

    def counting(self, stream_id, stream_type, event_type, *rest):
        if stream_type != "Area":  # an area is folded from its first event every time
            folded.append((stream_id, event_type))
        return fold(self, stream_id, stream_type, event_type, *rest)

    monkeypatch.setattr(project_loading.Loaded, "fold", counting)
    return folded


def test_a_changed_apply_gives_fresh_answers_not_the_cached_ones(monkeypatch, registries):
    # given: a history, snapshots written by today's Milestone
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    project_id = play(STEPS, "changed-apply")
    points = points_of(project_id)
    before = [seen(project_state("changed-apply", p)) for p in points]
    assert ProjectSnapshot.objects.filter(project_id=project_id).count() >= 5

    # when: a newcomer changes what a re-plan does; the attributes stay the same
    class Milestone2(Milestone):
        stream_type = "Milestone"

        @dataclass(frozen=True)
        class Replanned(Milestone.Replanned):
            def apply(self, milestone):
                super().apply(milestone)
                last = milestone.replans[-1]
                milestone.replans[-1] = last._replace(reason=last.reason.upper())

    change_milestone(monkeypatch, Milestone2)

    # then: every read shows the new rule, on the events before each snapshot too
    for point, old in zip(points, before, strict=True):
        state = project_state("changed-apply", point)
        if old is None:
            continue
        reasons = [r.reason for m in state.of_type(Milestone) for r in m.replans]
        shouted = [r.reason.upper() for m in old[1][1:] for r in m.get("replans", [])]
        assert reasons == shouted, point
        assert all(type(m) is Milestone2 for m in state.of_type(Milestone))

    # when: the operator rebuilds
    call_command("rebuild_projections", stdout=io.StringIO(), stderr=io.StringIO())

    # then: the snapshots are of the new code, and reads through them say the same
    versions = ProjectSnapshot.objects.values_list("versions", flat=True)
    assert {v["Milestone"] for v in versions if "Milestone" in v} == {
        state_json.code_version(Milestone2)
    }
    assert project_state("changed-apply").of_type(Milestone)[0].replans[0].reason == "GRUND 1"


def test_an_added_attribute_is_folded_from_the_log_not_missing(monkeypatch, registries):
    # given
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    project_id = play(STEPS, "added-attribute")

    # when: milestones count their re-plans in an attribute of their own
    class Milestone3(Milestone):
        stream_type = "Milestone"
        replanned_times: int

        def __init__(self, aggregate_id: str):
            super().__init__(aggregate_id)
            self.replanned_times = 0

        @dataclass(frozen=True)
        class Replanned(Milestone.Replanned):
            def apply(self, milestone):
                super().apply(milestone)
                milestone.replanned_times += 1

    change_milestone(monkeypatch, Milestone3)

    # then
    for point in points_of(project_id):
        state = project_state("added-attribute", point)
        for milestone in state.of_type(Milestone) if state else []:
            assert milestone.replanned_times == len(milestone.replans), point
    assert sum(m.replanned_times for m in project_state("added-attribute").of_type(Milestone)) == 9


def test_reads_right_after_rebuild_projections_use_the_snapshots(monkeypatch, folds):
    # given: a history of many times EVERY events, snapshots taken as they were appended
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    project_id = play(STEPS * 2, "rebuilt")
    points = points_of(project_id)
    ProjectSnapshot.objects.filter(project_id=project_id, events__gt=30).update(
        versions={"Milestone": "0" * 16}  # as if written by older code
    )

    # when: the operator rebuilds every read model, no worker anywhere
    call_command("rebuild_projections", stdout=io.StringIO(), stderr=io.StringIO())

    # then: a read of the present folds only the events after the latest snapshot
    folds.clear()
    state = project_state("rebuilt")
    assert len(folds) < project_snapshots.EVERY
    assert seen(state) == plain_fold(project_id, AsOf())
    # and so does a read at any position; at every point, the answer is the plain fold's
    for point in points:
        folds.clear()
        assert seen(project_state("rebuilt", point)) == plain_fold(project_id, point), point
        if point.time is None:
            assert len(folds) < project_snapshots.EVERY, point


def test_refresh_snapshots_rewrites_those_of_other_code_so_reads_are_fast_again(monkeypatch, folds):
    # given: snapshots written by older code (an upgrade changed how projects are stored)
    monkeypatch.setattr(project_snapshots, "EVERY", 3)
    project_id = play(STEPS * 2, "upgraded")
    stale = ProjectSnapshot.objects.filter(project_id=project_id, events__gt=30)
    count = stale.update(versions={"Milestone": "0" * 16})
    folds.clear()
    project_state("upgraded")
    assert len(folds) > project_snapshots.EVERY  # the read folds the stale streams again

    # when: the setup unit refreshes the snapshots
    out = io.StringIO()
    call_command("refresh_snapshots", stdout=out)

    # then: each stale one was written anew, and a read folds only the events after the last
    assert out.getvalue().splitlines()[-1] == f"Project snapshots written: {count}"
    assert all(state_json.is_current(v) for v in stale.values_list("versions", flat=True))
    folds.clear()
    assert seen(project_state("upgraded")) == plain_fold(project_id, AsOf())
    assert len(folds) < project_snapshots.EVERY
    # and a second run finds nothing to do
    again = io.StringIO()
    call_command("refresh_snapshots", stdout=again)
    assert again.getvalue() == "Project snapshots written: 0\n"
