from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        # Beat's schedule lives with the reports it requests, not in the settings.
        from portfolio.celery import app

        from .schedule import BEAT_SCHEDULE

        app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}

        from portfolio import metrics

        from .metrics import ReportCollector

        metrics.register(ReportCollector())
