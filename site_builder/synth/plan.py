"""The archive's plan: every synthetic cable's ID, date and references, decided at once.

IDs must be unique, serials must grow with the date at each post, and a REF line
may only cite a cable sent before it: these need the whole archive in view, so they
are decided here, in one process, by one generator seeded by the seed alone. What
each cable then says (text, tags, signer) needs only its own line of the plan and
is made in parallel (`render.py`), each with a generator of its own.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import NamedTuple

from site_builder.synth.corpus import Corpus, Post

FIRST_YEAR, LAST_YEAR = 1966, 2010
# The release's last cables are of February 2010: its year ends there.
LAST_YEAR_DAYS = 31 + 28
# Cables per year in the release, per 10,000: a trickle from 1966, ~11% before 2006,
# then the bulk, rising to 2009 (and Jan-Feb 2010, at an even higher monthly rate).
_SHARE = {
    **dict.fromkeys(range(1966, 1990), 1),
    **dict.fromkeys(range(1990, 2000), 5),
    2000: 30,
    2001: 45,
    2002: 70,
    2003: 140,
    2004: 240,
    2005: 520,
    2006: 1500,
    2007: 1850,
    2008: 2050,
    2009: 2400,
    2010: 800,
}
YEARS = tuple(range(FIRST_YEAR, LAST_YEAR + 1))
_CUMULATIVE = tuple(sum(_SHARE[y] for y in YEARS[: i + 1]) for i in range(len(YEARS)))
# Serials a post sends in a year (the release holds only part of them).
_YEARLY_SERIALS = {"STATE": 130_000}
_DEFAULT_YEARLY_SERIALS = 2_500
# Where a REF points: a cable missing from the archive, one of the same post, one of
# the Department, any earlier one; the rest of the probability goes to the last.
MISSING_SHARE = 0.15
_SAME_POST, _FROM_STATE = 0.45, 0.2
_RECENT_AT_POST = 25.0  # mean distance back, in the post's (or STATE's) cables
_RECENT_ANYWHERE = 2_000.0  # mean distance back, in the whole archive


class Planned(NamedTuple):
    """One synthetic cable as the plan fixes it."""

    number: int  # its place in date order; seeds its own generator
    reference_id: str
    post: int  # into `Corpus.posts`
    year: int
    minute: int  # minutes from the start of its year
    serial: int
    references: tuple[str, ...]  # REF items as written: `STATE 116186`, `08 MADRID 3974`


def minutes_in(year: int) -> int:
    """Minutes of the year a cable of that year may be sent in."""
    if year == LAST_YEAR:
        return LAST_YEAR_DAYS * 1440
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return (366 if leap else 365) * 1440


def plan_archive(corpus: Corpus, count: int, seed: int) -> list[Planned]:
    """`count` cables in date order, with unique IDs and references to earlier ones."""
    rng = random.Random(f"synth-plan/{seed}")
    years = rng.choices(YEARS, cum_weights=_CUMULATIVE, k=count)
    posts = rng.choices(range(len(corpus.posts)), [p.weight for p in corpus.posts], k=count)
    minutes = [rng.randrange(minutes_in(year)) for year in years]
    order = sorted(range(count), key=lambda i: (years[i], minutes[i], i))
    years = [years[i] for i in order]
    posts = [posts[i] for i in order]
    minutes = [minutes[i] for i in order]
    serials = _serials(rng, corpus.posts, years, posts)
    ids = [
        f"{year % 100:02d}{corpus.posts[post].station}{serial}"
        for year, post, serial in zip(years, posts, serials, strict=True)
    ]
    cites = _Citations(rng, corpus, years, posts, serials, ids)
    return [
        Planned(i, ids[i], posts[i], years[i], minutes[i], serials[i], cites.of(i))
        for i in range(count)
    ]


def _serials(
    rng: random.Random, table: tuple[Post, ...], years: list[int], posts: list[int]
) -> list[int]:
    """Serials that grow with the date at each post and year, gapped as in the release
    (which holds a part of what each post sent): unique IDs by construction."""
    sizes = Counter(zip(years, posts, strict=True))
    last: dict[tuple[int, int], int] = {}
    serials = []
    for key in zip(years, posts, strict=True):
        yearly = _YEARLY_SERIALS.get(table[key[1]].station, _DEFAULT_YEARLY_SERIALS)
        gap = max(1, yearly // sizes[key])
        serial = last.get(key, 0) + rng.randint(1, 2 * gap - 1)
        last[key] = serial
        serials.append(serial)
    return serials


class _Citations:
    """Chooses each cable's references among the cables planned before it."""

    def __init__(
        self,
        rng: random.Random,
        corpus: Corpus,
        years: list[int],
        posts: list[int],
        serials: list[int],
        ids: list[str],
    ) -> None:
        self.rng, self.table = rng, corpus.posts
        self.years, self.posts, self.serials = years, posts, serials
        self.ids = set(ids)
        self.counts = [t.references for t in corpus.templates]
        self.state = next((n for n, p in enumerate(self.table) if p.station == "STATE"), None)
        self.sent: list[list[int]] = [[] for _ in self.table]  # each post's cables so far

    def of(self, index: int) -> tuple[str, ...]:
        """The REF items of cable `index` (called in date order)."""
        chosen: dict[str, str] = {}
        for _ in range(self.rng.choice(self.counts)):
            target = self._target(index)
            if target is not None and target[0] not in chosen:
                chosen[target[0]] = target[1]
        self.sent[self.posts[index]].append(index)
        return tuple(chosen.values())

    def _target(self, index: int) -> tuple[str, str] | None:
        """A cited cable: its ID and its REF text."""
        draw = self.rng.random()
        earlier: int | None = None
        if draw >= MISSING_SHARE and index > 0:
            earlier = self._earlier(index, draw - MISSING_SHARE)
        if earlier is None:
            return self._missing(index)
        year, post = self.years[earlier], self.table[self.posts[earlier]]
        cited = f"{year % 100:02d}{post.station}{self.serials[earlier]}"
        return cited, self._text(self.years[index], year, post, self.serials[earlier])

    def _earlier(self, index: int, draw: float) -> int | None:
        """A cable sent before `index`: recent, at its post or the Department, or any."""
        home = self.sent[self.posts[index]]
        if draw < _SAME_POST and home:
            return self._recent(home, _RECENT_AT_POST)
        state = self.sent[self.state] if self.state is not None else []
        if draw < _SAME_POST + _FROM_STATE and state:
            return self._recent(state, _RECENT_AT_POST)
        return index - 1 - self._back(index, _RECENT_ANYWHERE)

    def _recent(self, sent: list[int], mean: float) -> int:
        return sent[len(sent) - 1 - self._back(len(sent), mean)]

    def _back(self, available: int, mean: float) -> int:
        """How far back to cite among `available` cables, mostly recent: a draw past the
        first wraps around rather than landing on it (which made the first cables hubs
        cited by hundreds, as no real cable is)."""
        return int(self.rng.expovariate(1 / mean)) % available

    def _missing(self, index: int) -> tuple[str, str] | None:
        """A cable of this post or the Department that the archive lacks."""
        rng, year = self.rng, self.years[index]
        post_index = self.posts[index]
        if self.state is not None and rng.random() < 0.5:
            post_index = self.state
        post = self.table[post_index]
        for _ in range(8):
            cited_year = max(FIRST_YEAR, year - rng.choice((0, 0, 0, 1, 1, 2)))
            yearly = _YEARLY_SERIALS.get(post.station, _DEFAULT_YEARLY_SERIALS)
            if cited_year == year and post_index == self.posts[index]:
                yearly = self.serials[index] - 1  # sent before the citing cable
            if yearly < 1:
                continue
            serial = rng.randint(1, yearly)
            cited = f"{cited_year % 100:02d}{post.station}{serial}"
            if cited not in self.ids:
                return cited, self._text(year, cited_year, post, serial)
        return None

    def _text(self, citing_year: int, year: int, post: Post, serial: int) -> str:
        """A REF item in one of the forms real ones take (no year: the citing cable's)."""
        draw = self.rng.random()
        if year == citing_year and draw < 0.8:
            return f"{post.ref_name} {serial:06d}" if draw < 0.15 else f"{post.ref_name} {serial}"
        if draw < 0.4:
            return f"{year % 100:02d} {post.ref_name} {serial}"
        if draw < 0.6:
            return f"{year} {post.ref_name} {serial}"
        return f"{year % 100:02d}{post.station}{serial}"
