"""A read model for the event store's own tests: each stream's last version and positions.

The store keeps no table of streams (migration 0007), and its tests need a projection that
sees events of any type. It borrows the command table for its rows (command id = stream id):
these tests append without command ids, so nothing else writes there.
"""

from portfolio.eventstore import projections
from portfolio.eventstore.models import ProcessedCommand


class StreamHeads(projections.Projection):
    name = "test.stream_heads"
    models = (ProcessedCommand,)

    def wants(self, event_type: str) -> bool:
        return True

    def apply(self, event, rows: projections.Rows) -> None:
        head = rows.get(ProcessedCommand, event.stream_id)
        rows.put(
            ProcessedCommand(
                command_id=event.stream_id,
                stream_id=event.stream_id,
                version=event.version,
                positions=[*(head.positions if head else []), event.position],
                recorded_at=event.known_at,
            )
        )


def head(stream_id: str) -> ProcessedCommand:
    return ProcessedCommand.objects.get(command_id=stream_id)
