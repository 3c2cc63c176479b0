from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from portfolio import metrics

        from .metrics import ReportCollector

        metrics.register(ReportCollector())
