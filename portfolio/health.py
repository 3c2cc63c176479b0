"""Health probes: /health/live (the process answers) and /health/ready (it can do its work).

Readiness runs each check with a short timeout of its own, so one dead dependency makes the
probe answer 503 naming it, not hang: the database (and that every migration on disk is
applied), the broker, a worker's recent heartbeat, and the projections' lag.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portfolio.eventstore.lag import projection_lag
from portfolio.ops import heartbeat

# Seconds each network check may take: well inside a probe's own timeout (often a second).
TIMEOUT = 0.3


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str

    def as_json(self) -> dict:
        return {"ok": self.ok, "detail": self.detail}


def _database() -> dict[str, Outcome]:
    """Check the database, the migrations and the projections in one short transaction."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [int(TIMEOUT * 1000)])
            missing = _unapplied_migrations()
            lag = projection_lag()
            if connection.vendor == "postgresql":
                # Inside a caller's transaction (a test's) the limit would outlive the check.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
    except DatabaseError as error:
        failed = Outcome(False, f"{type(error).__name__}: {str(error).strip()}"[:300])
        needs = Outcome(False, "needs the database")
        return {"database": failed, "migrations": needs, "projections": needs}
    behind = {name: n for name, n in lag.items() if n > settings.READY_PROJECTION_LAG}
    return {
        "database": Outcome(True, connection.vendor),
        "migrations": Outcome(not missing, f"not applied: {', '.join(missing)}" if missing else ""),
        "projections": Outcome(
            not behind,
            ", ".join(f"{name} {n} events behind" for name, n in sorted(behind.items())),
        ),
    }


@cache
def _migrations_on_disk() -> frozenset[tuple[str, str]]:
    # The files do not change under a running process, so the graph is built once.
    return frozenset(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)


def _unapplied_migrations() -> list[str]:
    applied = set(MigrationRecorder.Migration.objects.values_list("app", "name"))
    return sorted(f"{app}.{name}" for app, name in _migrations_on_disk() - applied)


def _broker() -> Outcome:
    url = settings.CELERY_BROKER_URL
    if not url:
        return Outcome(True, "none: tasks run in-process")
    try:
        if url.startswith(("redis://", "rediss://", "unix://")):
            import redis  # only when a Redis broker is configured
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = redis.Redis.from_url(
                url,
                socket_connect_timeout=TIMEOUT,
                socket_timeout=TIMEOUT,
                retry=Retry(NoBackoff(), 0),
            )
            with client:
                client.ping()
        else:
            from kombu import Connection  # other brokers, through Celery's own transport

            with Connection(url, connect_timeout=TIMEOUT) as broker:
                broker.ensure_connection(max_retries=1, timeout=TIMEOUT)
    except Exception as error:  # noqa: BLE001 - any failure to reach it is the answer
        return Outcome(False, f"{type(error).__name__}: {str(error).strip()}"[:300])
    return Outcome(True, _without_password(url))


def _without_password(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}{f':{parts.port}' if parts.port else ''}"


def _worker() -> Outcome:
    if not settings.CELERY_BROKER_URL:
        return Outcome(True, "none: tasks run in-process")
    try:
        seen = heartbeat.last()
    except Exception as error:  # noqa: BLE001 - the cache (Redis) is down: no heartbeat known
        return Outcome(False, f"heartbeat unreadable: {type(error).__name__}: {error}"[:300])
    if seen is None:
        return Outcome(False, "no worker heartbeat recorded")
    age, worker = seen
    fresh = age <= settings.READY_WORKER_MAX_AGE
    return Outcome(fresh, f"{worker} {age:.0f} s ago")


CHECKS: tuple[Callable[[], dict[str, Outcome]], ...] = (
    _database,
    lambda: {"broker": _broker()},
    lambda: {"worker": _worker()},
)


def readiness() -> dict[str, Outcome]:
    """Run every check; return each outcome by name."""
    outcomes: dict[str, Outcome] = {}
    for check in CHECKS:
        outcomes.update(check())
    return outcomes


@never_cache
@require_GET
def live(request: HttpRequest) -> JsonResponse:
    """Answer 200 while the process serves requests; touches nothing else."""
    return JsonResponse({"status": "live"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Answer 200 when every check passes, else 503 naming the failing ones."""
    outcomes = readiness()
    failing = [name for name, outcome in outcomes.items() if not outcome.ok]
    body = {
        "status": "not ready" if failing else "ready",
        "failing": failing,
        "checks": {name: outcome.as_json() for name, outcome in outcomes.items()},
    }
    return JsonResponse(body, status=503 if failing else 200)
