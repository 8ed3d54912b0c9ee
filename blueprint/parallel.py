"""Running one function over several items in a process pool: `render` and `check` of several
blueprints. Its own module so that `check` does not import the render pipeline (the writer,
the manifest and their hashing) for these two functions."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import Any


def parallel_map(function: Any, items: Sequence[Any], workers: int) -> Iterator[Any]:
    """`map` over a process pool when there is more than one item and worker, in order."""
    if workers <= 1 or len(items) <= 1:
        yield from map(function, items)
        return
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(function, items, chunksize=1)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
