"""Celery's side of operations: the worker's heartbeat, a log line per task, failed tasks.

Connected by portfolio/celery.py, so every process that sends or runs tasks has them.
"""

import logging
import time

from celery import bootsteps, signals
from django.conf import settings
from django.core.cache import caches

from . import heartbeat
from .logs import current_user_id, new_request_id, request_id, task_user_id

log = logging.getLogger("portefolje.task")

# Message headers: a worker's task.request carries them as attributes.
REQUEST_ID, USER_ID = "portefolje_request_id", "portefolje_user_id"
FAILURES = "portefolje:task-failures:"  # + task name: a counter in the ops cache


class Heartbeat(bootsteps.StartStopStep):
    """A consumer step that stamps the heartbeat from the consumer's timer (ops/heartbeat.py)."""

    requires = {"celery.worker.consumer.connection:Connection"}

    def __init__(self, parent, **kwargs):
        self.tref = None
        super().__init__(parent, **kwargs)

    def start(self, parent) -> None:
        hostname = parent.hostname
        beat = lambda: heartbeat.beat(hostname)  # noqa: E731
        _quietly(beat)
        self.tref = parent.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_INTERVAL, _quietly, (beat,)
        )

    def stop(self, parent) -> None:
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None


def _quietly(function) -> None:
    try:
        function()
    except Exception:  # noqa: BLE001 - a missed stamp shows as a stale heartbeat, not a crash
        log.warning("worker heartbeat not recorded", exc_info=True)


@signals.before_task_publish.connect
def _pass_request_id(headers: dict, **kwargs) -> None:
    headers.setdefault(REQUEST_ID, request_id.get())
    headers.setdefault(USER_ID, current_user_id())


_running: dict[str, tuple[float, object, object]] = {}  # task id -> start, context tokens


@signals.task_prerun.connect
def _task_started(task_id: str, task, **kwargs) -> None:
    # In-process (eager) tasks run inside the request and keep its id.
    rid = getattr(task.request, REQUEST_ID, None) or request_id.get() or new_request_id()
    uid = getattr(task.request, USER_ID, None) or current_user_id()
    _running[task_id] = (time.perf_counter(), request_id.set(rid), task_user_id.set(uid))


@signals.task_postrun.connect
def _task_finished(task_id: str, task, state: str | None = None, **kwargs) -> None:
    started, rid_token, uid_token = _running.pop(task_id, (None, None, None))
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    level = {"FAILURE": logging.ERROR, "RETRY": logging.WARNING}.get(state, logging.INFO)
    log.log(
        level,
        "task %s %s %sms",
        task.name,
        state,
        duration_ms,
        extra={"task": task.name, "task_id": task_id, "state": state, "duration_ms": duration_ms},
    )
    if rid_token is not None:
        request_id.reset(rid_token)
        task_user_id.reset(uid_token)


@signals.task_failure.connect
def _count_failure(sender, **kwargs) -> None:
    _quietly(lambda: count_failure(sender.name))


def count_failure(task_name: str) -> None:
    """Add one to the failures of a task, in the cache every process shares."""
    cache = caches[settings.OPS_CACHE]
    key = FAILURES + task_name
    cache.add(key, 0, timeout=None)
    cache.incr(key)


def failures(task_names: list[str]) -> dict[str, int]:
    """Return the failures counted per task name."""
    found = caches[settings.OPS_CACHE].get_many([FAILURES + name for name in task_names])
    return {name: found.get(FAILURES + name, 0) for name in task_names}
