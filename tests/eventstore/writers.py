"""A writer process for the tailing test: appends, with some work inside each transaction."""

import os
import random
import time


def write(database_url: str, writer: int, count: int, streams: int) -> list[int]:
    """Append `count` events over this writer's own streams; return the positions written."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portfolio.settings")
    import django

    django.setup()
    from django.db import transaction

    from portfolio.eventstore import store

    versions = [0] * streams
    positions = []
    rng = random.Random(writer)
    for n in range(count):
        s = n % streams
        with transaction.atomic():
            result = store.append(
                stream_id=f"w{writer}-s{s}",
                stream_type="Test",
                expected_version=versions[s],
                events=[store.NewEvent("Test.Happened", {"writer": writer, "n": n})],
                actor=f"writer-{writer}",
            )
            # Work inside the transaction after the insert: this is the window in which a
            # later position could commit first if appends were not serialized.
            time.sleep(rng.random() / 1000)
        versions[s] = result.version
        positions.extend(result.positions)
    return positions
