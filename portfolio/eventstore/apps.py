from django.apps import AppConfig


class EventStoreConfig(AppConfig):
    name = "portfolio.eventstore"
    label = "eventstore"
    verbose_name = "Event store"
