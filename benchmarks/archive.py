"""The archives a benchmark measures, and the folder each one is measured in.

An `Archive` is a name, a way to write its cables, and the targets its figures must
meet; the same measurements run over every archive (run.py). Every archive is written
as real files into a new temporary folder (`TMPDIR` chooses where), so that edits made
by the measurements never reach the sources.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.table import Target
from site_builder.synth.run import synthesize


@dataclass(frozen=True)
class Archive:
    """What to measure: a name, how to write its cables into a folder, its targets."""

    name: str
    write_cables: Callable[[Path], None]
    targets: Mapping[str, Target]


@dataclass(frozen=True)
class Workspace:
    """An archive written out: the site folder (`content/`, and the outputs the
    measurements make beside it), its cable count, and the cable that edits rewrite."""

    folder: Path
    cables: int
    edited: Path

    @property
    def content(self) -> Path:
        return self.folder / "content"

    @property
    def served(self) -> Path:
        """The output `site-builder serve` serves by default."""
        return self.folder / "public"


def corpus_archive(corpus: Path, targets: Mapping[str, Target]) -> Archive:
    """The cables of the shared corpus, copied."""

    def copy(cables: Path) -> None:
        for path in sorted(corpus.glob("*.txt")):
            shutil.copyfile(path, cables / path.name)

    return Archive("corpus", copy, targets)


def synthetic_archive(count: int, corpus: Path, targets: Mapping[str, Target]) -> Archive:
    """`count` cables made by `synth` from the corpus (the same bytes every run)."""

    def generate(cables: Path) -> None:
        print(synthesize(count, cables, source=corpus).summary(), flush=True)

    return Archive("synthetic", generate, targets)


@contextmanager
def workspace(archive: Archive) -> Iterator[Workspace]:
    """The archive written into a new temporary folder, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        cables = Path(folder) / "content" / "cables"
        cables.mkdir(parents=True)
        archive.write_cables(cables)
        files = sorted(cables.rglob("*.txt"))
        edited = next((path for path in files if _has_subject(path)), None)
        if edited is None:
            raise RuntimeError(f"{archive.name}: no cable with a SUBJECT: line to edit")
        yield Workspace(Path(folder), len(files), edited)


def _has_subject(path: Path) -> bool:
    try:
        return "SUBJECT: " in path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False


def edited_text(original: str, number: int) -> str:
    """A cable's text with its subject rewritten, as an editor fixes one: the edit the
    rebuild and dev-server figures make (`number` makes each edit different)."""
    return original.replace("SUBJECT: ", f"SUBJECT: EDIT {number} ", 1)
