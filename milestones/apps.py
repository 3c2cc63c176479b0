from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    name = "milestones"

    def ready(self) -> None:
        from milestones.projections import MilestonesProjection
        from portfolio.eventstore import projections

        projections.register(MilestonesProjection())
