"""Work on a second core: a forked child process runs a function and leaves, for the bulk work of a large
knowledge base (the cache build's helper, the second half of a large pack's parse). Linux only: macOS's system
libraries refuse a fork without exec, and Windows has none; there, and on one core, callers do the work
themselves. The child sees the parent's memory as it was at the fork, runs none of its exit handlers, and is
killed by the kernel when the parent ends, however it ends.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable


def start(work: Callable[[], None]) -> int | None:
    """The pid of a child running `work`, or None where this system does not fork safely or has one core."""
    if not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2:
        return None
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: its exit code says whether `work` finished; no exception leaves it
        code = 1
        try:
            _ends_with(parent)
            work()
            code = 0
        finally:
            os._exit(code)
    return pid


def _ends_with(parent: int) -> None:
    """Have the kernel kill this child when the process that forked it ends, however it ends (Linux's
    PR_SET_PDEATHSIG): a run killed (SIGTERM, SIGKILL) leaves no child writing on, for the next build's sweep to
    find; a parent already gone leaves the child nothing to do."""
    with contextlib.suppress(ImportError, OSError, AttributeError):  # a Python without ctypes: as before
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def finish(pid: int, *, kill: bool = False) -> bool:
    """Reap the child (stopped first with `kill`: it is our unreaped child, so the pid is still its own);
    whether its work finished."""
    if kill:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        return False
    return status == 0 and not kill
