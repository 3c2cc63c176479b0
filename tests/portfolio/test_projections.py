"""Read models equal a fold of the events, incrementally, rebuilt, and replayed in chunks."""

import io
import uuid
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milestones.domain import Milestone
from milestones.models import Milestone as MilestoneRow
from portfolio.domain import Project
from portfolio.eventstore import projections, store
from portfolio.eventstore.aggregate import Event
from portfolio.models import ProjectSnapshot
from reports import services
from reports.demo.seed import PROJECT_SLUG as SEED_SLUG
from tests.portfolio.test_project_snapshots import cache_rows

User = get_user_model()

START = date(2026, 1, 1)
days = st.integers(min_value=0, max_value=400).map(lambda n: START + timedelta(days=n))
maybe_days = st.none() | days
reasons = st.text(min_size=1, max_size=20).filter(str.strip)


@st.composite
def milestone_histories(draw) -> list[Event]:
    """A valid random history of one milestone, made by asking the aggregate itself."""
    project = Project("p").replay([Project.Created("p", "P", "a")])
    milestone = Milestone("m")
    milestone.plan(project=project, track_id=None, title="M", planned_on=draw(maybe_days))
    for _ in range(draw(st.integers(0, 12))):
        action = draw(st.sampled_from(["replan", "achieve", "correct", "retitle"]))
        today = date(2027, 12, 31)
        try:
            if action == "replan":
                milestone.replan(project=project, planned_on=draw(maybe_days), reason=draw(reasons))
            elif action == "achieve":
                milestone.achieve(project=project, achieved_on=draw(days), today=today)
            elif action == "correct":
                milestone.correct_achievement(
                    project=project, achieved_on=draw(maybe_days), reason="r", today=today
                )
            else:
                milestone.retitle(project=project, title=draw(reasons))
        except Exception:  # noqa: S112 - an invalid step is simply not part of the history
            continue
    return milestone.pending


def state(milestone: Milestone) -> dict:
    return {k: v for k, v in vars(milestone).items() if k != "pending"}


@given(history=milestone_histories(), cut=st.integers(0, 20))
def test_folding_in_one_go_or_in_chunks_gives_the_same_state(history, cut):
    whole = Milestone("m").replay(history)
    chunked = Milestone("m").replay(history[:cut]).replay(history[cut:])
    assert state(chunked) == state(whole)
    assert whole.version == len(history)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(history=milestone_histories())
def test_the_milestone_read_model_equals_a_fold_of_its_events(history):
    stream_id = str(uuid.uuid4())
    store.append(
        stream_id=stream_id,
        stream_type="Milestone",
        expected_version=0,
        events=[store.NewEvent(type(e).type_name, e.to_data()) for e in history],
        actor="hypothesis",
    )
    folded = Milestone(stream_id).replay(history)
    row = MilestoneRow.objects.get(id=stream_id)
    assert (row.title, row.original_plan, row.planned_on, row.achieved_on) == (
        folded.title,
        folded.original_plan,
        folded.planned_on,
        folded.achieved_on,
    )
    assert (row.replan_count, row.version) == (folded.replan_count, folded.version)


def read_models() -> dict:
    return {
        p.name: [sorted(m.objects.values_list(), key=str) for m in p.models]
        for p in projections.registered()
    }


@pytest.mark.django_db
def test_rebuilding_every_read_model_after_the_demo_equals_the_incremental_tables(
    django_capture_on_commit_callbacks, settings, tmp_path
):
    call_command("load_demo")
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):  # the seed page, published too
        services.request_publication(User.objects.get(username="projektleder"), SEED_SLUG)
    incremental = read_models()
    assert all(any(tables) for tables in incremental.values()), "every projection has rows"

    # the project snapshots are a cache, not a read model: after the rebuild they are those the
    # appends wrote, whether kept or (dropped first) written again
    snapshots = cache_rows()[0]
    call_command("rebuild_projections", stdout=io.StringIO(), stderr=io.StringIO())
    assert read_models() == incremental
    assert cache_rows()[0] == snapshots

    ProjectSnapshot.objects.all().delete()
    call_command("rebuild_projections", stdout=io.StringIO(), stderr=io.StringIO())
    assert read_models() == incremental  # replaying the same events again changes nothing
    assert cache_rows()[0] == snapshots
