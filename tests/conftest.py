"""Suite-wide setup: in CI the tests must run on PostgreSQL, and say so loudly if they cannot."""

import os
from datetime import date

import pytest
from django.conf import settings

from portfolio.eventstore import people
from tests import clock
from tests.api.fixtures import (  # noqa: F401 (fixtures of the tests that speak to the API)
    client_for,
    fresh_throttle,
    make_user,
    manager,
    reader,
    users,
)
from tests.database import _flush_past_the_truncate_trigger  # noqa: F401 (transactional tests)
from tests.redis_server import private_redis  # noqa: F401 (tests that stop or pause Redis)
from tests.signing import no_keys, signing_key  # noqa: F401 (tests that sign heads of the log)
from tests.worker import broker, worker  # noqa: F401 (fixtures for the tests that need a worker)


def _postgres_reachable(db: dict) -> str | None:
    import psycopg

    try:
        psycopg.connect(
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            dbname="postgres",
            connect_timeout=5,
        ).close()
    except psycopg.Error as error:
        return str(error).strip()
    return None


def pytest_sessionstart(session):
    db = settings.DATABASES["default"]
    on_postgres = db["ENGINE"] == "django.db.backends.postgresql"
    if os.environ.get("CI") and not on_postgres:
        pytest.exit(
            f"CI is set but DATABASE_URL points at {db['ENGINE']}: the suite must run on "
            "PostgreSQL in CI",
            returncode=3,
        )
    if on_postgres:
        problem = _postgres_reachable(db)
        if problem:
            pytest.exit(
                f"PostgreSQL at {db.get('HOST')}:{db.get('PORT')} is unreachable: {problem}",
                returncode=3,
            )


def pytest_collection_modifyitems(config, items):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
        for item in items:
            if "postgres" in item.keywords:
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs about 0.3 s per user; tests make many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_remembered_people():
    # The person register's memory in this process would outlive each test's rolled-back
    # rows; it copes (the append finds the ids stale and looks again), but counts of queries
    # would then depend on the tests before.
    people.forget()


@pytest.fixture
def pinned_today(time_machine, monkeypatch) -> date:
    """Move the clock to the suite's day (tests/clock.py), ticking: for answers that depend on it.

    Ask for it before any fixture that writes events or starts a worker, so they share the day.
    """
    monkeypatch.setenv(clock.OFFSET_VARIABLE, str(clock.offset_to(clock.TODAY)))
    time_machine.move_to(clock.TODAY, tick=True)
    return clock.TODAY.date()
