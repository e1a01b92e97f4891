"""Measuring a build as a user runs it: a child process, its wall time, the peak memory of
its whole process tree (the main process and its workers, sampled from /proc), and the
output's size and file count."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

_SAMPLE_EVERY = 0.05


@dataclass
class Run:
    """One measured command."""

    seconds: float
    peak_rss_mb: float
    report: dict[str, object]


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> int:
    """The resident memory of a process and all its descendants, in kB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        total += _rss_kb(current)
        pending.extend(_children(current))
    return total


def measure_build(content: Path, out: Path, *options: str) -> Run:
    """Run `site-builder build` in a child process; time it and sample its memory."""
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from site_builder.build import build\n"
        "from site_builder.site import load_site\n"
        "search = '--no-search' not in sys.argv\n"
        "r = build(load_site(Path(sys.argv[1]), Path(sys.argv[2]), search=search))\n"
        "print(json.dumps({'timings': r.timings, 'pages': r.pages, 'cables': r.cables,"
        " 'written': r.written, 'kept': r.kept, 'published': r.published}))\n"
    )
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(content), str(out), *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_kb(child.pid))
            time.sleep(_SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    output, _ = child.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        raise RuntimeError(f"build failed with exit code {child.returncode}")
    return Run(seconds, peak / 1024, json.loads(output.strip().splitlines()[-1]))


def output_size(out: Path) -> tuple[int, int]:
    """(bytes, files) of a built site."""
    size = files = 0
    for folder, _, names in os.walk(out):
        for name in names:
            size += os.path.getsize(os.path.join(folder, name))
            files += 1
    return size, files
