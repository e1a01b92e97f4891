"""`site-builder build`: build the site, print each problem and the summary line."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from site_builder.build import BuildFailed, BuildReport, build
from site_builder.errors import EXIT_CONTENT, EXIT_OK
from site_builder.progress import Progress
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
    try:
        report = build(site, Progress.for_stream(err))
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
