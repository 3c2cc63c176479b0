import pytest

from portfolio.eventstore import projections

from .heads import StreamHeads


@pytest.fixture
def stream_heads(monkeypatch) -> StreamHeads:
    """Register the test read model StreamHeads for one test."""
    projection = StreamHeads()
    monkeypatch.setitem(projections._registry, projection.name, projection)
    return projection
