"""Worker processes: how many, and how each starts.

Ctrl-C in a terminal interrupts every process of the foreground group, workers too.
Workers ignore it, so that only the main process decides how to stop (cleanly, with no
traceback from each worker), and the pool is shut down from there. A main process that
is killed outright (SIGKILL, the out-of-memory killer) cannot shut anything down: its
workers, and the Pagefind it runs, are then ended by the system (`die_with_parent`),
rather than live on, blocked for ever or still writing into a build that is gone.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1
# Looked up before any fork: a child only calls it.
_LIBC = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def start_worker() -> None:
    """Run first in each worker: leave Ctrl-C to the main process, and end with it; end
    at once when the pool terminates it (SIGTERM), whatever handler the parent had
    (the dev server takes SIGTERM as Ctrl-C); and collect cyclic garbage, whether or
    not the parent had paused its collector."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    gc.enable()
    die_with_parent()


def die_with_parent() -> None:
    """Have Linux kill this process when the thread that started it ends (elsewhere,
    nothing). Also run in a child process before it runs another program."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
