"""The README's table of targets says what the benchmarks check: each cell is the target
`benchmarks/run.py` sets for that figure and archive, and no target is left out."""

from __future__ import annotations

import re
from pathlib import Path

from benchmarks.run import BY_SIZE, CORPUS_TARGETS, EVERY_SIZE, FULL_CABLES, QUICK_CABLES
from benchmarks.search import WORDS
from benchmarks.table import Target

README = Path(__file__).resolve().parents[1] / "README.md"
CELL = re.compile(r"(?P<sign><|≤) (?P<limit>[\d,.]+) (?P<unit>\S+)")


def _targets_table() -> list[list[str]]:
    """The rows of the table under "The targets", header first, cells stripped."""
    text = README.read_text(encoding="utf-8")
    lines = text[text.index("The targets (") :].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        if not set(line) <= set("|- "):
            table.append([cell.strip() for cell in line.strip("|").split("|")])
    return table


def _names(figure: str) -> list[str]:
    """The benchmark's rows a README figure stands for (a first query: one per word)."""
    if figure.startswith("first query: "):
        return [f"first query '{word}': {figure.removeprefix('first query: ')}" for word in WORDS]
    return [figure]


def test_every_target_in_the_readme_is_the_benchmarks_and_none_is_missing() -> None:
    header, *rows = _targets_table()
    assert header == ["figure", "corpus", "50,000", "251,287"]
    columns = [
        {**EVERY_SIZE, **CORPUS_TARGETS},
        {**EVERY_SIZE, **BY_SIZE[QUICK_CABLES]},
        {**EVERY_SIZE, **BY_SIZE[FULL_CABLES]},
    ]
    shown: list[set[str]] = [set(), set(), set()]
    for figure, *cells in rows:
        for column, cell, seen in zip(columns, cells, shown, strict=True):
            for name in _names(figure):
                if not cell:
                    assert name not in column, f"{figure}: the README gives no target"
                    continue
                found = CELL.fullmatch(cell)
                assert found, f"{figure}: {cell!r} is not a target"
                limit = float(found["limit"].replace(",", ""))
                assert column.get(name) == Target(limit, inclusive=found["sign"] == "≤"), figure
                seen.add(name)
    for column, seen in zip(columns, shown, strict=True):
        assert set(column) == seen, "targets the README does not give"
