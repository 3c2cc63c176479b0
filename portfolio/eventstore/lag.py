"""How far each projection's checkpoint is behind the events it handles.

Inline projections are applied in the append's transaction, which moves their checkpoints
too, so their lag is zero whenever the log was written through `store.append`. Lag above
zero means the read models miss events: a projection registered by new code whose rebuild
has not run yet, events written past the projections (an import stopped half-way, a
rebuild that failed), or a bug. `rebuild_projections` cures it.
"""

from .models import ProjectionCheckpoint, StoredEvent
from .projections import registered

# Counting stops here: a probe or a scrape must stay cheap when a checkpoint is far behind.
COUNT_LIMIT = 10_000


def projection_lag(limit: int = COUNT_LIMIT) -> dict[str, int]:
    """Return, per registered projection, the events it handles after its checkpoint (at most
    `limit`)."""
    checkpoints = dict(ProjectionCheckpoint.objects.values_list("name", "position"))
    lag = {}
    for projection in registered():
        behind = StoredEvent.objects.filter(
            position__gt=checkpoints.get(projection.name, 0),
            event_type__in=sorted(projection.handlers),
        )
        # A projection's checkpoint moves with every append of an event it handles, to that
        # append's last position, so events of other types after it are no lag.
        lag[projection.name] = behind[:limit].count()
    return lag
