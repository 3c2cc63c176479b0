"""The event store: an append-only log with optimistic concurrency, hash chains and projections."""
