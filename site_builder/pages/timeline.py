"""A small timeline of cables per year, drawn at build time as inline SVG (no script).

The drawing holds only numbers and years; colours come from the stylesheet through
class names, so the page needs no inline style.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from markupsafe import Markup

from site_builder.catalog import Entry

WIDTH, HEIGHT, LABELS = 600, 120, 16


def year_counts(entries: Iterable[Entry]) -> list[tuple[int, int]]:
    """(year, cables) for every year from the first to the last, zeros included."""
    counts = Counter(e.date.year for e in entries if e.date is not None)
    if not counts:
        return []
    return [(year, counts.get(year, 0)) for year in range(min(counts), max(counts) + 1)]


def timeline_svg(counts: list[tuple[int, int]], label: str) -> Markup:
    """Bars per year, each with its count as a tooltip; years labelled at the ends."""
    if not counts:
        return Markup("")
    top = max(count for _, count in counts) or 1
    slot = WIDTH / len(counts)
    bar = max(slot * 0.8, 1.0)
    plot = HEIGHT - LABELS
    bars = []
    for index, (year, count) in enumerate(counts):
        height = plot * count / top
        x = index * slot + (slot - bar) / 2
        bars.append(
            f'<rect class="bar" x="{x:.1f}" y="{plot - height:.1f}" width="{bar:.1f}"'
            f' height="{height:.1f}"><title>{year}: {count:,} cables</title></rect>'
        )
    first, last = counts[0][0], counts[-1][0]
    labels = (
        f'<text class="axis" x="0" y="{HEIGHT - 2}">{first}</text>'
        f'<text class="axis" x="{WIDTH}" y="{HEIGHT - 2}" text-anchor="end">{last}</text>'
    )
    return Markup(
        f'<svg class="timeline" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-label="{Markup.escape(label)}">{"".join(bars)}{labels}</svg>'
    )
