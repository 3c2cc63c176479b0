"""Keep Python's cyclic garbage collector from walking, again and again, objects that stay.

Both helpers leave alone a process where something else froze objects (a server may freeze
before forking): unfreezing would undo that.
"""

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def file_as_old() -> None:
    """Move every tracked object to the oldest generation without walking any.

    gc.freeze() then unfreeze() does it: only a full collection, which the process runs when
    it has grown by a quarter, looks at them again.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


@contextmanager
def growing() -> Iterator[Callable[[], None]]:
    """For work whose objects only accumulate (a rebuild's live state): give a function that
    hides every object alive so far from the collector (gc.freeze) until the block ends.

    Filed as old they would still be walked by every full collection, and a growing process
    runs those each time it has grown by a quarter.
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()
