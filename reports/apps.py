from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        # Beat's schedule lives with the tasks it runs, not in the settings. Importing the tasks
        # registers them, so reports.jobs can send one by name.
        from portfolio.celery import app

        from .tasks import BEAT_SCHEDULE

        app.conf.beat_schedule = {**(app.conf.beat_schedule or {}), **BEAT_SCHEDULE}

        from portfolio import metrics

        from .metrics import ReportCollector

        metrics.register(ReportCollector())
