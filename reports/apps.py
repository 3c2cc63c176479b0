from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self):
        from portfolio import metrics
        from portfolio.eventstore import projections

        from .metrics import ReportCollector
        from .publishing import PublicationsProjection  # defines the Publication aggregate

        metrics.register(ReportCollector())
        projections.register(PublicationsProjection())
