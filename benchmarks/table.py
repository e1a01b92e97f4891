"""The figures of a benchmark run: rows with their targets, printed as they are measured.

A target is an upper bound from the issues (`< 150 s`, `< 2 GB`, `≤ 0 pages`); each
archive has its own (see run.py), and a row shows `met` or `NOT met` beside it. Rows
are printed the moment they are measured, so that a run of an hour shows its progress,
and kept for the JSON file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

KB = 1e3
MB = 1e6
GB = 1e9

_DECIMALS = {"s": 2, "GB": 2, "MB": 1, "cores": 2}  # other units are whole numbers
_NAME_WIDTH = 58


@dataclass(frozen=True)
class Target:
    """An upper bound a figure must stay under (`inclusive`: may equal, for counts that
    must be zero)."""

    limit: float
    inclusive: bool = False

    def met(self, value: float) -> bool:
        return value <= self.limit if self.inclusive else value < self.limit

    def text(self, unit: str) -> str:
        return f"{'≤' if self.inclusive else '<'} {self.limit:,g} {unit}"


def below(limit: float) -> Target:
    return Target(limit)


def at_most(limit: float) -> Target:
    return Target(limit, inclusive=True)


@dataclass(frozen=True)
class Row:
    """One figure: what it is, its value and unit, and the target it has, if any."""

    name: str
    value: float
    unit: str
    target: Target | None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self.value)

    def line(self) -> str:
        decimals = _DECIMALS.get(self.unit, 0)
        figure = f"{self.value:>14,.{decimals}f} {self.unit:<7}"
        if self.target is None:
            return f"{self.name:<{_NAME_WIDTH}} {figure}"
        verdict = "met" if self.met else "NOT met"
        return f"{self.name:<{_NAME_WIDTH}} {figure} {self.target.text(self.unit):>14}  {verdict}"

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "value": round(self.value, 3),
            "unit": self.unit,
            "target": None if self.target is None else self.target.text(self.unit),
            "met": self.met,
        }


class Section:
    """The rows of one archive: each printed at once, with the target the archive sets
    for it by name."""

    def __init__(self, title: str, targets: Mapping[str, Target]) -> None:
        self.title = title
        self.targets = dict(targets)
        self.rows: list[Row] = []
        print(f"\n{title}", flush=True)

    def add(self, name: str, value: float, unit: str) -> None:
        row = Row(name, value, unit, self.targets.get(name))
        self.rows.append(row)
        print(row.line(), flush=True)

    def close(self) -> list[Row]:
        """The rows; a target no row took is a misspelt name, and fails the run."""
        unused = set(self.targets) - {row.name for row in self.rows}
        if unused:
            raise ValueError(f"{self.title}: targets for rows never measured: {sorted(unused)}")
        return self.rows
