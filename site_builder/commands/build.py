"""`site-builder build`: build the site, print each problem and the summary line.

The output folder is checked first (it is replaced whole: it must not be, hold or lie
inside the sources), and what a killed build left beside it is cleared. A build that
cannot write (a full disk, no permission) leaves the current site as it was and takes
its unfinished new tree away with it; the error itself is one line, from the command
line's handler, naming the file (or, for a failed write, which names none, the folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from site_builder.build import build
from site_builder.errors import EXIT_CONTENT, EXIT_OK
from site_builder.output import recover_unfinished, refuse_unsafe_output
from site_builder.progress import Progress
from site_builder.report import BuildFailed, BuildReport
from site_builder.site import load_site


def run_build(
    content: Path,
    out: Path,
    out_stream: TextIO,
    err: TextIO,
    base_url: str | None = None,
    strict: bool = False,
    search: bool = True,
    jobs: int | None = None,
    shard_size: int | None = None,
) -> int:
    """Build `content` into `out`; exit 1 on errors under --strict or when nothing builds."""
    site = load_site(
        content,
        out,
        base_url=base_url,
        jobs=jobs,
        strict=strict,
        search=search,
        search_shard_size=shard_size,
    )
    refuse_unsafe_output(site)
    recover_unfinished(site.out.resolve())  # even when this build has nothing to write
    try:
        report = build(site, Progress.for_stream(err))
    except OSError as error:
        recover_unfinished(site.out.resolve())
        if error.filename is None:  # a failed write names no file: name the site's folder
            error.filename = str(site.out)
        raise
    except BuildFailed as failure:
        print_problems(failure.report, err)
        err.write(f"site-builder: error: {failure}\n")
        out_stream.write(failure.report.summary() + "\n")
        return EXIT_CONTENT
    print_problems(report, err)
    out_stream.write(report.summary() + "\n")
    return EXIT_OK


def print_problems(report: BuildReport, err: TextIO) -> None:
    for problem in report.problems:
        err.write(f"{problem}\n")
