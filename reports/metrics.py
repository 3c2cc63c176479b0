"""The reports' metrics for /metrics: the queue of requests and how long reports take."""

from collections.abc import Iterable
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric

from .models import ReportRequest

# Seconds from request to archived report; a portfolio report takes the longest.
BUCKETS = (1, 2.5, 5, 10, 30, 60, 120, 300, 600)


class ReportCollector:
    """Read the report requests at scrape time: every process sees the same queue."""

    def collect(self) -> Iterable[Metric]:
        waiting = dict(
            ReportRequest.objects.filter(state__in=[ReportRequest.QUEUED, ReportRequest.RUNNING])
            .values_list("state")
            .annotate(n=Count("id"))
        )
        queue = GaugeMetricFamily(
            "portefolje_report_requests",
            "Report requests waiting for a worker (queued) or being rendered (running).",
            labels=["state"],
        )
        for state in (ReportRequest.QUEUED, ReportRequest.RUNNING):
            queue.add_metric([state], waiting.get(state, 0))
        yield queue
        yield self._durations()

    def _durations(self) -> HistogramMetricFamily:
        histogram = HistogramMetricFamily(
            "portefolje_report_duration_seconds",
            "Time from a report's request to its archived PDF (queue wait and rendering).",
            labels=["kind"],
        )
        took = ExpressionWrapper(F("finished_at") - F("requested_at"), DurationField())
        limits = {f"le_{n}": Count("id", filter=Q(took__lte=timedelta(seconds=n))) for n in BUCKETS}
        rows = (
            ReportRequest.objects.filter(state=ReportRequest.DONE, finished_at__isnull=False)
            .annotate(took=took)
            .values("kind")
            .annotate(count=Count("id"), total=Sum("took"), **limits)
        )
        for row in rows:
            buckets = [(str(float(n)), row[f"le_{n}"]) for n in BUCKETS]
            buckets.append(("+Inf", row["count"]))
            total = row["total"].total_seconds() if row["total"] else 0.0
            histogram.add_metric([row["kind"]], buckets, total)
        return histogram
