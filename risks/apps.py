from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"

    def ready(self) -> None:
        from portfolio.eventstore import projections
        from risks.projections import RisksProjection

        projections.register(RisksProjection())
