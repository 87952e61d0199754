"""The garbage collector paused while a job builds tens of thousands of short-lived rows that refer to no one."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collection_paused() -> Iterator[None]:
    """The collector off for the block, switched back on (as it was) however the block ends.

    Every few hundred new containers set off a collection of the young ones, and rows held a moment longer (read
    ahead, or kept as keys) are promoted and traced again by the older collections: the reminder scan of a region
    spent a twentieth of its time there, the consolidated export of 100,000 programmes a twentieth too, freeing
    nothing, as nothing they build refers to itself. What a block leaves in cycles is collected once it is over."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
