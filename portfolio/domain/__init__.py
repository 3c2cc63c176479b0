"""The portfolio's aggregates: areas, projects (with tracks, status and decisions) and KPI series.

Pure Python: each command method checks its input against the state folded from past events
and triggers new events; nothing here reads the database or the clock.
"""

from .area import Area
from .kpi import Kpi, KpiPointState, decimal_text
from .project import (
    DETAIL_FIELDS,
    NO_TRACK,
    DecisionState,
    Project,
    StatusState,
    TrackState,
    status_date_of,
)

__all__ = [
    "DETAIL_FIELDS",
    "NO_TRACK",
    "Area",
    "DecisionState",
    "Kpi",
    "KpiPointState",
    "Project",
    "StatusState",
    "TrackState",
    "decimal_text",
    "status_date_of",
]
