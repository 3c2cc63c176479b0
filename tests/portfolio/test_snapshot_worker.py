"""After a rebuild commits, a real Celery worker on Redis writes the project snapshots."""

import time

import pytest
from django.core.management import call_command

from portfolio.models import ProjectSnapshot
from portfolio.project_snapshots import EVERY
from tests.portfolio.test_project_snapshots import cache_rows, play

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_writes_the_snapshots_a_rebuild_left_out(worker, tmp_path):
    # given: a project of more than twice EVERY events, snapshots written as they were appended
    play([("plan", 0, 1), ("replan", 0, 2), ("raise", 0, 3), ("assess", 0, 1)] * (EVERY // 2), "w")
    incremental = cache_rows()
    assert len(incremental[0]) == 2

    # when: an operator rebuilds every read model
    call_command("rebuild_projections", verbosity=0)

    # then: the worker, a separate process, writes the same snapshots
    deadline = time.monotonic() + 90
    while ProjectSnapshot.objects.count() < len(incremental[0]):
        assert worker.poll() is None, "the worker died"
        assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()[-3000:]
        time.sleep(0.3)
    assert cache_rows() == incremental
    assert "portfolio.tasks.fill_project_snapshots" in (tmp_path / "worker.log").read_text()
