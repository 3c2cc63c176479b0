"""/metrics as Prometheus scrapes it: off without a token, refused without the right one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portfolio import degraded
from reports.models import ReportRequest
from tests import factories

pytestmark = pytest.mark.django_db

METRICS = [
    # request rates and latencies (django-prometheus)
    "django_http_requests_total_by_method_total",
    "django_http_requests_latency_seconds_by_view_method_bucket",
    "django_http_responses_total_by_status_view_method_total",
    # appends per second: the rate of this counter
    "portefolje_eventstore_events_total",
    "portefolje_projection_lag_events",
    "portefolje_report_requests",
    "portefolje_report_duration_seconds_bucket",
    "portefolje_celery_task_failures_total",
    "portefolje_worker_heartbeat_age_seconds",
]


@pytest.fixture
def token(settings) -> str:
    settings.METRICS_TOKEN = "scrape-me"
    return "scrape-me"


def sample_names(text: str) -> set[str]:
    names = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            names.add(line.split()[2])
        elif line and not line.startswith("#"):
            names.add(line.split("{")[0].split(" ")[0])
    return names


def test_a_scrape_finds_every_metric(client, token):
    # given a request served, an event appended and a finished report
    client.get("/health/live")
    factories.area()
    now = timezone.now()
    ReportRequest.objects.create(
        kind=ReportRequest.STATUS_PAGE, as_of_time=now, as_of_position=1,
        state=ReportRequest.DONE, finished_at=now + timedelta(seconds=3),
    )  # fmt: skip
    ReportRequest.objects.create(kind=ReportRequest.PORTFOLIO, as_of_time=now, as_of_position=1)
    # when Prometheus scrapes with the token
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    # then every metric is there
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    missing = [name for name in METRICS if name not in sample_names(text)]
    assert missing == []
    assert 'portefolje_report_requests{state="queued"} 1.0' in text
    assert 'portefolje_report_duration_seconds_bucket{kind="status_page",le="5.0"} 1.0' in text
    assert 'portefolje_report_duration_seconds_bucket{kind="status_page",le="2.5"} 0.0' in text
    assert 'portefolje_projection_lag_events{projection="portfolio"} 0.0' in text


def test_the_events_counter_grows_with_appends(client, token):
    def events() -> float:
        text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
        line = next(x for x in text.splitlines() if x.startswith("portefolje_eventstore_events_"))
        return float(line.split()[-1])

    before = events()
    factories.area()
    factories.area(slug="andet")

    assert events() == before + 2


def test_a_wrong_token_is_refused(client, token):
    response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess")

    assert response.status_code == 401
    assert "portefolje" not in response.content.decode()


def test_metrics_are_off_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""

    assert client.get("/metrics").status_code == 404


def test_a_redis_fallback_is_counted_on_the_scrape(client, token):
    def fallbacks() -> float:
        text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}").content.decode()
        line = 'portefolje_degraded_fallbacks_total{service="report dispatch"}'
        found = [x for x in text.splitlines() if x.startswith(line)]
        return float(found[0].split()[-1]) if found else 0.0

    before = fallbacks()
    degraded.record("report dispatch", ConnectionError("Connection refused"))

    assert fallbacks() == before + 1
