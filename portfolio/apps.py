from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = "Portefølje"

    def ready(self) -> None:
        from portfolio.eventstore import projections
        from portfolio.projections import PortfolioProjection

        projections.register(PortfolioProjection())
