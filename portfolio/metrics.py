"""The Prometheus endpoint, /metrics: this process's request metrics and the shared state.

Request rates and latencies come from django-prometheus' middleware, per process (gunicorn's
workers add theirs up through PROMETHEUS_MULTIPROC_DIR). Everything else is read at scrape
time from what all processes share, the database and the ops cache, so any process answers
for the whole site: events appended, projection lag, the workers' heartbeat, failed tasks,
and what the apps register (the reports' queue and durations).

The endpoint is off unless PORTEFOLJE_METRICS_TOKEN is set; a scraper then sends it as
`Authorization: Bearer <token>`.
"""

import hmac
import os
import threading
from collections.abc import Iterable

import prometheus_client
from django.conf import settings
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector, CollectorRegistry

from portfolio import degraded
from portfolio.eventstore.lag import projection_lag
from portfolio.eventstore.models import StoredEvent
from portfolio.ops import heartbeat

_collectors: list[Collector] = []


def register(collector: Collector) -> Collector:
    """Add a collector whose metrics every scrape reads (called from an app's ready())."""
    _collectors.append(collector)
    return collector


class _EventCount:
    """The events in the log, counted once and then only past the last position seen.

    Stored events are never deleted, and appends commit in position order (store.py), so the
    count only grows and what a scrape has counted stays counted.
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.position = 0
        self.count = 0

    def __call__(self) -> int:
        with self.lock:
            new = StoredEvent.objects.filter(position__gt=self.position).aggregate(
                n=Count("position"), last=Max("position")
            )
            if new["n"]:
                self.count += new["n"]
                self.position = new["last"]
            return self.count


_events = _EventCount()


class KernelCollector:
    """The event store's and the workers' metrics."""

    def collect(self) -> Iterable[Metric]:
        yield CounterMetricFamily(
            "portefolje_eventstore_events",
            "Events appended to the log (its rate: appends per second).",
            value=_events(),
        )
        lag = GaugeMetricFamily(
            "portefolje_projection_lag_events",
            "Events a projection handles that are past its checkpoint (inline: 0).",
            labels=["projection"],
        )
        for name, behind in sorted(projection_lag().items()):
            lag.add_metric([name], behind)
        yield lag
        fallbacks = CounterMetricFamily(
            "portefolje_degraded_fallbacks",
            "Times this process carried on without Redis (the throttle's cache, a report"
            " dispatch); per process, like the request metrics.",
            labels=["service"],
        )
        for what, times in sorted(degraded.counts().items()):
            fallbacks.add_metric([what], times)
        yield fallbacks
        yield from _celery_metrics()


def _celery_metrics() -> Iterable[Metric]:
    from portfolio.celery import app as current_app
    from portfolio.ops.worker import failures

    seen = heartbeat.last()
    age = GaugeMetricFamily(
        "portefolje_worker_heartbeat_age_seconds",
        "Seconds since a Celery worker last stamped its heartbeat (absent: never).",
    )
    if seen is not None:
        age.add_metric([], seen[0])
    yield age
    failed = CounterMetricFamily(
        "portefolje_celery_task_failures",
        "Celery tasks that ended in failure, per task.",
        labels=["task"],
    )
    # Every task the app defines, not only those this process has imported so far.
    current_app.loader.import_default_modules()
    names = sorted(name for name in current_app.tasks if not name.startswith("celery."))
    for name, count in failures(names).items():
        failed.add_metric([name], count)
    yield failed


register(KernelCollector())


def _process_registry() -> CollectorRegistry:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return registry
    return prometheus_client.REGISTRY


def _authorized(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    if not token:
        raise Http404("metrics are off: set PORTEFOLJE_METRICS_TOKEN")
    sent = request.headers.get("Authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@never_cache
def export(request: HttpRequest) -> HttpResponse:
    """Answer the metrics in Prometheus' text format to a scraper with the token."""
    if not _authorized(request):
        return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    shared = CollectorRegistry(auto_describe=False)
    for collector in _collectors:
        shared.register(collector)
    body = prometheus_client.generate_latest(_process_registry())
    body += prometheus_client.generate_latest(shared)
    return HttpResponse(body, content_type=prometheus_client.CONTENT_TYPE_LATEST)
