"""Pausing Python's cyclic garbage collector around work that makes many objects that live on.

Its passes over such objects find nothing to free: importing the CLI (tens of thousands of Typer, Click and
command objects), building the cache (every entity of every pack) and a view of many rows (every row, until it
is printed) are spent mostly in them (benchmarks/README.md). Only `main()`, the cache build and a command's run
(cli/runtime: from building its view to printing it) call it, around that work alone; importing a module never
changes the collector.
"""

from __future__ import annotations

import contextlib
import functools
import gc
from collections.abc import Callable, Iterator
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def paused(fn: F) -> F:
    """`fn` run with the collector paused (see collector_paused)."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with collector_paused():
            return fn(*args, **kwargs)

    return cast(F, run)


@contextlib.contextmanager
def collector_paused(*, freeze: bool = False) -> Iterator[None]:
    """The collector paused within the block and restored as it was after it; with `freeze`, once the block
    has ended without an error, every object alive then is frozen (never scanned again: what the block made
    lives until the process ends). A block that fails freezes nothing: its traceback's objects stay collectable."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if collecting:
            gc.enable()
