"""The benchmarks' measurement of a process tree: processor time is counted for
processes that have ended too, and placed in the build's stages."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from benchmarks.measure import MemorySampler, tree_usage

# Forks a child that burns 0.3 s of processor time and ends; waits for it, says so,
# then idles until killed.
_TREE = """\
import os, sys, time
pid = os.fork()
if pid == 0:
    while time.process_time() < 0.3:
        pass
    os._exit(0)
os.waitpid(pid, 0)
print("done", flush=True)
time.sleep(60)
"""


def test_the_time_of_an_ended_child_is_still_counted() -> None:
    tree = subprocess.Popen([sys.executable, "-c", _TREE], stdout=subprocess.PIPE, text=True)
    try:
        assert tree.stdout is not None and tree.stdout.readline().strip() == "done"
        memory, cpu = tree_usage(tree.pid)
        assert memory > 0
        assert cpu >= 0.3, "the ended child's time is in its parent's count"
    finally:
        tree.kill()
        tree.wait()


def test_cores_busy_are_placed_in_their_stages() -> None:
    sampler = MemorySampler(2**22 + 1)  # no such process: the samples are set below
    sampler.stop()
    start = time.monotonic()
    # Two cores busy for 10 s, then one for 5 s, sampled every half second.
    sampler.samples = [
        (start + t / 2, 0, min(t / 2, 10) * 2 + max(t / 2 - 10, 0)) for t in range(31)
    ]
    cores = sampler.cores_by_stage(start, {"parse": 10.0, "plan": 5.0, "write": 0.4})
    assert cores == {"parse": pytest.approx(2.0), "plan": pytest.approx(1.0)}
    assert "write" not in cores, "a stage under a second gets no figure"
