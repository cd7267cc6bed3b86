"""Progress bars of long commands (`flask demo-data`, a benchmark's load): on stderr, so that
stdout stays the command's result, and only when stderr is a terminal unless forced, so that
tests, pipes and logs stay clean."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from tqdm import tqdm


@contextmanager
def progress_bar(
    total: int, what: str, *, show: bool | None = None
) -> Iterator[Callable[[int], object]]:
    """A bar over `total` items called `what` ("persons"), with the rate and the time left.
    Yields the callback a long job calls with the number of items done since its last call
    (`demo_data.generate(progress=…)`). `show`: None on a terminal only, True or False to
    force it on or off."""
    with tqdm(
        total=total,
        unit=f" {what}",
        file=sys.stderr,
        disable=None if show is None else not show,
        dynamic_ncols=True,
    ) as bar:
        yield bar.update
