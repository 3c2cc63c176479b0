from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portefølje"

    def ready(self) -> None:
        # Defining the aggregates registers them; snapshots find a stream's class there.
        import portfolio.domain  # noqa: F401
        from portfolio import members
        from portfolio.eventstore import projections
        from portfolio.models import KpiSeries
        from portfolio.project_snapshots import ProjectSnapshotsProjection
        from portfolio.projections import PortfolioProjection

        members.register(KpiSeries)
        projections.register(PortfolioProjection())
        projections.register(ProjectSnapshotsProjection())
