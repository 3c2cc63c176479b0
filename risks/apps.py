from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "risks"

    def ready(self) -> None:
        # Defining the aggregates registers them; snapshots find a stream's class there.
        import risks.domain  # noqa: F401
        from portfolio import members
        from portfolio.eventstore import projections
        from risks.models import Risk
        from risks.projections import RisksProjection

        members.register(Risk)
        projections.register(RisksProjection())
