"""Worker processes: how many, and how each starts.

Ctrl-C in a terminal interrupts every process of the foreground group, workers too.
Workers ignore it, so that only the main process decides how to stop (cleanly, with no
traceback from each worker), and the pool is shut down from there.
"""

from __future__ import annotations

import os
import signal


def default_jobs() -> int:
    """One worker per core the process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return max(1, os.cpu_count() or 1)


def ignore_interrupts() -> None:
    """Run first in each worker: leave Ctrl-C to the main process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
