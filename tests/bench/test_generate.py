"""The benchmark portfolio generator writes a log the event store and the domain accept."""

import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from portfolio import selectors
from portfolio.eventstore import projections, store
from portfolio.eventstore.models import StoredEvent
from portfolio.models import ProjectSnapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import generate  # noqa: E402

from milestones.domain import Milestone

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def read_models():
    return {
        p.name: [sorted(model.objects.values_list(), key=str) for model in p.models]
        for p in projections.registered()
    }


def test_a_generated_portfolio_verifies_reads_as_of_and_rebuilds_the_same(capsys):
    # when
    summary = generate.build(2, days=120, seed=5, verify=True)

    # then: a clean, hash-chained log, back-dated but never in the future
    assert "the hash chain and every stream's versions intact" in capsys.readouterr().out
    assert summary.events == StoredEvent.objects.count() > 200
    assert summary.last <= timezone.now()
    assert StoredEvent.objects.values("stream_id").distinct().count() == summary.streams
    assert ProjectSnapshot.objects.exists()
    # an append after the generated history gets the next position
    assert store.head_position() == summary.events

    # and the domain reads it: a project has fewer milestones 60 days ago than now
    slug = selectors.portfolio_states()[0].project.slug
    now = selectors.project_state(slug)
    then = selectors.project_state(slug, selectors.AsOf(time=timezone.now() - timedelta(days=60)))
    assert then is not None and len(then.of_type(Milestone)) < len(now.of_type(Milestone))

    # and a rebuild of the read models gives exactly what the generator's rebuild gave
    before = read_models()
    projections.rebuild(store.iter_all())
    assert read_models() == before
