"""A real Celery worker on Redis, sharing the test database, for the tests that need one
(fixtures: tests/conftest.py imports them)."""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection

from portfolio.celery import app

ROOT = Path(__file__).resolve().parents[1]
# A Redis database of this suite's own, so other developers' and CI's queues are left alone.
BROKER = os.environ.get("REPORTS_TEST_BROKER_URL", "redis://127.0.0.1:6379/5")
# A module the worker imports before it starts (`python -m tests` reads it): a test's hook.
WORKER_IMPORT = "PORTEFOLJE_TEST_WORKER_IMPORT"


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=3).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.fail(f"Redis at {BROKER} is unreachable: {error}")
    return BROKER


@pytest.fixture
def worker(transactional_db, broker, tmp_path, settings):
    """Start `celery -A portfolio worker` on the test database; point this process at it."""
    with running_worker(broker, tmp_path, settings) as process:
        yield process


@contextmanager
def running_worker(broker: str, tmp_path, settings, *, pool="solo", env=None):
    """Run a worker (`pool` solo, or prefork with one child) on `broker` and the test database.

    `env` adds to the worker's environment, e.g. WORKER_IMPORT to load a test's hook first.
    The worker's output goes to tmp_path / "worker.log".
    """
    if connection.vendor != "postgresql":
        pytest.skip("the worker shares the test database, which needs PostgreSQL")
    queue = f"portefolje-test-{uuid.uuid4().hex[:8]}"
    settings.MEDIA_ROOT = tmp_path
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "PORTEFOLJE_MEDIA_ROOT": str(tmp_path),
        **(env or {}),
    }
    pool_args = ["--pool=solo"] if pool == "solo" else [f"--pool={pool}", "--concurrency=1"]
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [
            sys.executable,
            "-m",
            "tests",  # runs celery on the suite's clock
            "celery",
            "-A",
            "portfolio",
            "worker",
            *pool_args,
            "--loglevel=info",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=broker, task_always_eager=False, task_default_queue=queue)
    _forget_connections()
    try:
        yield process
    finally:
        app.conf.update(saved)
        _forget_connections()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _forget_connections() -> None:
    """Drop the app's producer pool, made for whatever broker an earlier test had configured."""
    app._after_fork()
