"""What a build did and found: the closing summary line, and what tests and benchmarks read;
and the exception of a build that could not make the site."""

from __future__ import annotations

from dataclasses import dataclass, field

from site_builder.model import Problem, Severity


@dataclass
class BuildReport:
    """What a build did, for the closing summary line and for tests and benchmarks."""

    cables: int = 0
    pages: int = 0
    written: int = 0
    kept: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    published: bool = False
    shards: int = 0
    shards_indexed: int = 0
    search_files: int = 0
    search_bytes: int = 0
    search_pending: list[str] = field(default_factory=list)  # shards a session deferred
    changed: list[str] = field(default_factory=list)  # outputs written or removed

    def count(self, severity: Severity) -> int:
        return sum(p.severity is severity for p in self.problems)

    def summary(self) -> str:
        seconds = sum(self.timings.values())
        return (
            f"{self.cables:,} cables, {self.pages:,} pages, {self._search_summary()}"
            f"{self.count(Severity.WARNING):,} warnings, {self.count(Severity.ERROR):,} errors"
            f" in {seconds:.1f} s"
        )

    def _search_summary(self) -> str:
        if not self.shards:
            return ""
        if self.search_pending:
            return f"search index to update ({len(self.search_pending)} of {self.shards} shards), "
        if not self.shards_indexed:
            return "search index unchanged, "
        seconds = self.timings.get("search", 0)
        return (
            f"search index {self.search_bytes / 1e6:,.1f} MB in {self.search_files:,} files"
            f" ({self.shards_indexed} of {self.shards} shards indexed in {seconds:.1f} s), "
        )


class BuildFailed(Exception):
    """The site could not be built (nothing to build, a broken template...)."""

    def __init__(self, message: str, report: BuildReport) -> None:
        super().__init__(message)
        self.report = report
