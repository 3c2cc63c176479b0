from django.apps import AppConfig


class EventStoreConfig(AppConfig):
    name = "portfolio.eventstore"
    label = "eventstore"
    verbose_name = "Event store"

    def ready(self) -> None:
        from . import projections
        from .streams import StreamsProjection

        projections.register(StreamsProjection())
