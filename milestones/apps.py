from django.apps import AppConfig


class MilestonesConfig(AppConfig):
    name = "milestones"

    def ready(self) -> None:
        # Defining the aggregates registers them; snapshots find a stream's class there.
        import milestones.domain  # noqa: F401
        from milestones.models import Milestone
        from milestones.projections import MilestonesProjection
        from portfolio import members
        from portfolio.eventstore import projections

        members.register(Milestone)
        projections.register(MilestonesProjection())
