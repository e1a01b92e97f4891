"""`site-builder synth N --into DIR [--seed S] [--from DIR]`: a synthetic archive.

Benchmarks need archives as large as the whole release (251,287 cables) that the
project may not ship. Synth derives them from real cables (`content/cables`, or the
folder `--from` names): new IDs at the real posts, dated 1966-2010 in the release's
shape, with the source cables' tags, subjects, markings, paragraphs and signers, and
REF lines citing other synthetic cables (some missing from the archive, as in the
release). The same seed and source give the same bytes.

- `corpus.py`: the model of the source cables, read once;
- `plan.py`: every cable's ID, date and references (one process: they need the whole);
- `render.py`: one cable's text from its line of the plan;
- `run.py`: checks, the process pool, the files, the summary line.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from site_builder.errors import EXIT_OK
from site_builder.synth.run import SynthReport, synthesize


def run_synth(
    count: int, into: Path, seed: int, source: Path, out: TextIO, jobs: int | None = None
) -> int:
    """The `synth` command: write the archive, then its one summary line to `out`."""
    report = synthesize(count, into, seed=seed, source=source, jobs=jobs)
    out.write(report.summary() + "\n")
    return EXIT_OK


__all__ = ["SynthReport", "run_synth", "synthesize"]
