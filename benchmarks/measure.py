"""Measuring a build as a user runs it: a child process, its wall time, the peak memory of
its whole process tree (the main process, its workers and Pagefind, sampled from /proc),
the peak during each stage, the processor time the tree used in all and how many cores
it kept busy in each stage, and the output's size and file count.

Memory is the proportional set size (PSS) summed over the tree: render workers are forked
after the catalog is built and share it, so summing their resident sizes would count the
catalog once per worker; PSS counts each shared page once in all, which is what the
machine must hold.

Processor time is the user and system time of each process of the tree, with that of
the children each has waited for (a pool's workers once it shuts down), so that time
spent by a process that has ended is still counted.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_SAMPLE_EVERY = 0.05  # seconds, at least
# Reading PSS makes the kernel walk the page tables (some 70 ms for 2 GB), so the sampler
# rests this many times as long as its last sample took: at most a tenth of one core.
_REST_PER_SAMPLE = 9
_TICKS = os.sysconf("SC_CLK_TCK")
# Stages shorter than this get no figure of cores busy: a few samples cannot tell.
_CORES_FROM_SECONDS = 1.0

# Run in the child: the build as `site-builder build` runs it, then its report as JSON.
# `started` is read on the monotonic clock, which parent and child share, so that the
# parent can place its memory samples in the build's stages.
_BUILD_SCRIPT = """\
import json, sys, time
from pathlib import Path
from site_builder.build import build
from site_builder.site import load_site
search = '--no-search' not in sys.argv
started = time.monotonic()
r = build(load_site(Path(sys.argv[1]), Path(sys.argv[2]), search=search))
print(json.dumps({'started': started, 'timings': r.timings, 'pages': r.pages,
    'cables': r.cables, 'written': r.written, 'kept': r.kept, 'published': r.published,
    'shards': r.shards, 'search_files': r.search_files, 'search_bytes': r.search_bytes}))
"""


@dataclass
class Run:
    """One measured build: wall time, peak memory (in all and per stage), its report."""

    seconds: float
    peak_bytes: int
    stage_peak_bytes: dict[str, int]
    report: dict[str, object]
    cpu_seconds: float  # user and system time of the whole tree, to its end
    stage_cores: dict[str, float]  # cores busy on average, in each stage long enough

    @property
    def timings(self) -> dict[str, float]:
        timings = self.report["timings"]
        assert isinstance(timings, dict)
        return {str(stage): float(seconds) for stage, seconds in timings.items()}

    def count(self, key: str) -> int:
        """A count from the build's report (pages, written, search_files...)."""
        value = self.report[key]
        assert isinstance(value, int)
        return value


def _children(pid: int) -> list[int]:
    """Children started by any thread of `pid` (a pool or Pagefind may start from any)."""
    found: list[int] = []
    try:
        threads = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for thread in threads:
        try:
            found.extend(
                int(child)
                for child in Path(f"/proc/{pid}/task/{thread}/children").read_text().split()
            )
        except OSError:
            continue
    return found


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass  # the process ended between listing and reading
    return 0


def _cpu_seconds(pid: int) -> float:
    """User and system time of a process and of the children it has waited for."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0  # the process ended between listing and reading
    return sum(map(int, fields[11:15])) / _TICKS  # utime, stime, cutime, cstime


def tree_usage(pid: int) -> tuple[int, float]:
    """The memory of a process and all its descendants (PSS, see above), in bytes, and
    the processor time they have used, in seconds."""
    memory, cpu, pending = 0, 0.0, [pid]
    while pending:
        current = pending.pop()
        memory += _pss_kb(current)
        cpu += _cpu_seconds(current)
        pending.extend(_children(current))
    return memory * 1024, cpu


class MemorySampler:
    """Samples a process tree on a thread until stopped: (monotonic time, memory in
    bytes, processor time in seconds)."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, int, float]] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            started = time.monotonic()
            self.samples.append((started, *tree_usage(self.pid)))
            took = time.monotonic() - started
            self._done.wait(max(_SAMPLE_EVERY, _REST_PER_SAMPLE * took))

    def stop(self) -> None:
        self._done.set()
        self._thread.join()

    @property
    def peak(self) -> int:
        return max((used for _, used, _ in self.samples), default=0)

    def peaks_by_stage(self, started: float, timings: dict[str, float]) -> dict[str, int]:
        """The peak within each stage, the stages placed end to end from `started`.

        A stage shorter than the sampling interval gets the sample nearest its middle.
        """
        peaks = {}
        for stage, (begin, end) in _stage_spans(started, timings).items():
            inside = [used for moment, used, _ in self.samples if begin <= moment <= end]
            if not inside and self.samples:
                inside = [self._nearest((begin + end) / 2)[1]]
            peaks[stage] = max(inside, default=0)
        return peaks

    def cores_by_stage(self, started: float, timings: dict[str, float]) -> dict[str, float]:
        """The cores kept busy on average in each stage of a second or more: the processor
        time between the samples nearest its start and its end, over the time between."""
        cores = {}
        for stage, (begin, end) in _stage_spans(started, timings).items():
            first, last = self._nearest(begin), self._nearest(end)
            if end - begin >= _CORES_FROM_SECONDS and last[0] > first[0]:
                cores[stage] = (last[2] - first[2]) / (last[0] - first[0])
        return cores

    def _nearest(self, moment: float) -> tuple[float, int, float]:
        return min(self.samples, key=lambda sample: abs(sample[0] - moment))


def _stage_spans(started: float, timings: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Each stage's start and end on the monotonic clock, the stages end to end."""
    spans = {}
    begin = started
    for stage, seconds in timings.items():
        spans[stage] = (begin, begin + seconds)
        begin += seconds
    return spans


def measure_build(content: Path, out: Path, *options: str) -> Run:
    """Run a build (`--no-search` among `options` to skip the index) in a child process;
    time it and sample its memory.

    The build runs in the site's folder with the folders named from there, as a
    maintainer runs it and as the dev server's measurement does: problems name files by
    that path, and so does the parse cache, which a `serve` started there then takes.
    """
    folder = content.parent
    where = [content.name, os.path.relpath(out, folder)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", _BUILD_SCRIPT, *where, *options],
        cwd=folder,
        stdout=subprocess.PIPE,
        text=True,
    )
    sampler = MemorySampler(child.pid)
    output, _ = child.communicate()
    sampler.stop()
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the child and all it waited for
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if child.returncode != 0:
        raise RuntimeError(f"build of {content} failed with exit code {child.returncode}")
    report = json.loads(output.strip().splitlines()[-1])
    build_started, timings = float(report["started"]), report["timings"]
    peaks = sampler.peaks_by_stage(build_started, timings)
    cores = sampler.cores_by_stage(build_started, timings)
    return Run(seconds, sampler.peak, peaks, report, cpu, cores)


def output_size(out: Path) -> tuple[int, int]:
    """(bytes, files) of a built site."""
    size = files = 0
    for folder, _, names in os.walk(out):
        for name in names:
            size += os.path.getsize(os.path.join(folder, name))
            files += 1
    return size, files
