"""The streams that belong to a project (milestones, risks, KPI series), by their read models.

Each app that owns such a stream registers its read-model table here (in its AppConfig.ready),
so the kernel can list and fold a project's streams without importing the apps built on it.
A registered table has the columns `id` (the stream id), `project_id` and `sequence` (the log
position of the stream's first event).
"""

from django.db.models import Model

_tables: list[type[Model]] = []


def register(model: type[Model]) -> None:
    """Count the streams whose read model is `model` as members of their project."""
    if model not in _tables:
        _tables.append(model)


def tables() -> list[type[Model]]:
    return list(_tables)
