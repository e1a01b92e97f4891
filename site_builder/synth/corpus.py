"""The model synth draws from: what the real source cables hold, read once.

Every synthetic cable is assembled from real parts, so that its sizes, vocabulary,
markings, tags and addressees are those of real cables. The source cables are parsed
with the project's own parser (so only what it reads well is used), and their parts
are taken from the cleaned text by the parser's line spans, as written:

- a `Post` per sending station: how its FM line, banner, routing and REF lines name
  it, how its real cables were addressed (TO and INFO lines), who signed and
  classified them;
- a `Template` per source cable: its classification as written (banner level and
  handling lines), TAGS, SUBJECT and paragraph count, which a new cable copies;
- the paragraphs, pooled by era and classification, so that a paragraph's marking
  always fits the cable it lands in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

from site_builder.errors import UsageError
from site_builder.ids import resolve_station, squeeze
from site_builder.model import Cable, Span
from site_builder.parser import has_errors, parse_bytes
from site_builder.source import (
    decode,
    drop_pilcrow_marks,
    normalise,
    split_front_matter,
    strip_link_residue,
)
from site_builder.stages.discover import cable_files

# Cables before this year read differently (capitals, other formulas): they are
# recombined among themselves when the source has any.
OLD_ERA_BEFORE = 2000
# Words of a banner's classification part, or of its `SECTION 01 OF 03`.
_LEVEL_WORDS = frozenset(
    "UNCLAS UNCLASSIFIED CONFIDENTIAL SECRET LIMITED OFFICIAL USE ONLY SENSITIVE EFTO "
    "NOFORN FOR SBU".split()
)
_SECTION = re.compile(r"\bSECTION\s+\d+\s+OF\s+\d+\b")
# A line inside a paragraph that the parser could take for the next paragraph's number.
_NUMBER_AT_LINE_START = re.compile(r"\n[ \t]*\d{1,3}[.)]")
_BLANK_RUN = re.compile(r"\n(?:[ \t]*\n)+")
_DE_LINE = re.compile(r"^DE\s+([A-Z]{4,7})\b")
_DTG_PRECEDENCE = re.compile(r"^((?:[ZOPR]\s+){1,2})\d{6}Z\b")
_SIGNER_LINE = re.compile(r"[A-Za-z][A-Za-z'\-. ]{1,40}")


@dataclass(frozen=True, slots=True)
class Header:
    """How one real cable of a post was sent: reused whole, so TO/INFO lines stay real."""

    relay: str  # the line after the transmission ID: `PP RUEHWEB`
    precedence: str  # the DTG's: `P`, `O`, `R`, `P R`
    addressees: str  # the TO and INFO lines, as written


@dataclass(frozen=True, slots=True)
class Post:
    """A sending station and how real cables name it, address it and sign from it."""

    station: str  # in IDs: `ABUDHABI`
    origin: str  # the FM line: `AMEMBASSY ABU DHABI`
    banner: str  # the banner's spelling: `ABU DHABI`
    ref_name: str  # how REF lines cite it: the banner's spelling when the parser knows it
    route: str  # the DE line's routing indicator: `RUEHAD`
    country: str | None
    weight: int  # source cables from this post: how often it sends
    headers: tuple[Header, ...]
    signers: tuple[str, ...]
    classifiers: tuple[str, ...]  # `Classified By:` lines, as written


@dataclass(frozen=True, slots=True)
class Template:
    """The shape of one real cable, which a synthetic cable copies."""

    classification: str
    level: str  # the banner's classification part: `C O N F I D E N T I A L`
    handling: str  # the lines between banner and E.O. line: `SIPDIS`, `NOFORN`, ...
    tags: tuple[str, ...]
    country: str | None  # its post's country, swapped for the new post's in TAGS
    subject: str  # the SUBJECT lines, as written
    classifier: str  # its `Classified By:` lines, or ""
    signer: str  # its signer line(s), or ""
    paragraphs: tuple[int, ...]  # indexes into `Corpus.paragraphs`
    old: bool
    references: int  # how many cables its REF block cited


@dataclass(frozen=True)
class Corpus:
    """The whole model: small enough to hand to each worker process once."""

    posts: tuple[Post, ...]
    templates: tuple[Template, ...]
    paragraphs: tuple[tuple[str | None, str], ...]  # (marking, text without number)
    pools: dict[tuple[bool, str], tuple[int, ...]]  # (old, classification) -> paragraphs
    by_era: dict[bool, tuple[int, ...]]  # old -> templates
    by_post: dict[str, tuple[int, ...]]  # station -> templates
    signers: tuple[str, ...]  # every post's, for a post whose cables name none


@dataclass
class _Source:
    """What one usable source cable gives: its post's parts and its template."""

    station: str
    origin: str
    banner: str
    route: str | None
    country: str | None
    header: Header | None
    template: Template
    texts: list[tuple[str | None, str]]


def load_corpus(folder: Path) -> Corpus:
    """Read every cable below `folder` into the model; refuse a folder with none usable."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: no such folder (--from names a folder of cables)")
    files = cable_files([folder])
    if not files:
        raise UsageError(f"{folder}: no cables (*.txt) to derive synthetic cables from")
    sources = [s for s in (_read_source(path) for path in files) if s is not None]
    if not sources:
        raise UsageError(
            f"{folder}: no cable there has the header, banner, TAGS, subject and numbered"
            " paragraphs synth needs"
        )
    return _assemble(sources)


def _cleaned_lines(data: bytes) -> list[str]:
    """The file's lines as the parser reads them (line numbers kept)."""
    text = normalise(decode(data).text).text
    _front, text = split_front_matter(text)
    return drop_pilcrow_marks(strip_link_residue(text)).split("\n")


def _read_source(path: Path) -> _Source | None:
    data = path.read_bytes()
    cable = parse_bytes(data, str(path))
    if has_errors(cable) or cable.partial or not _complete(cable):
        return None
    lines = _cleaned_lines(data)
    banner = _banner_parts(lines[cable.spans["banner_level"].start - 1])
    texts = _paragraph_texts(cable)
    if banner is None or not texts:
        return None
    assert cable.station and cable.origin and cable.classification and cable.date
    level, banner_name = banner
    if resolve_station(squeeze(banner_name)) != cable.station:
        banner_name = ""  # the banner names another post: a quirk not to copy
    template = Template(
        classification=cable.classification,
        level=level,
        handling=_between(lines, cable.spans["banner_level"], _handling_end(cable)),
        tags=tuple(t for t in cable.tags if re.fullmatch(r"[A-Z]{2,8}", t)),
        country=cable.country,
        subject=_subject(lines, cable),
        classifier=_classifier(lines, cable),
        signer=_signer(lines, cable),
        paragraphs=(),
        old=cable.date.year < OLD_ERA_BEFORE,
        references=len(cable.cable_references),
    )
    return _Source(
        station=cable.station,
        origin=" ".join(cable.origin.split()),
        banner=banner_name,
        route=_route(lines, cable),
        country=cable.country,
        header=_header(lines, cable),
        template=template,
        texts=texts,
    )


def _complete(cable: Cable) -> bool:
    needed = ("banner_level", "date", "origin", "tags", "subject")
    return bool(cable.station and cable.classification) and all(
        name in cable.spans for name in needed
    )


def _text(lines: list[str], span: Span | None) -> str:
    """The lines of a span, as written (trailing spaces dropped)."""
    if span is None:
        return ""
    return "\n".join(line.rstrip() for line in lines[span.start - 1 : span.end]).strip()


def _between(lines: list[str], after: Span, before: int) -> str:
    """The lines strictly between a span and a line number, blank runs collapsed."""
    block = "\n".join(line.rstrip() for line in lines[after.end : before - 1])
    return _BLANK_RUN.sub("\n\n", block).strip()


def _handling_end(cable: Cable) -> int:
    """The first line after the banner's handling block: the E.O. line, else TAGS."""
    span = cable.spans.get("eo_line") or cable.spans["tags"]
    return span.start


def _banner_parts(line: str) -> tuple[str, str] | None:
    """`C O N F I D E N T I A L SECTION 01 OF 02 ASHGABAT 000111` -> level, station."""
    words = _SECTION.sub(" ", line.upper()).split()
    if len(words) < 3 or not words[-1].isdigit():
        return None
    words.pop()
    cut = 0
    while cut < len(words) and (
        len(words[cut]) == 1 or "/" in words[cut] or words[cut] in _LEVEL_WORDS
    ):
        cut += 1
    level, station = " ".join(words[:cut]), " ".join(words[cut:])
    if not level or not station or len(station) > 30:
        return None
    return level, station


def _paragraph_texts(cable: Cable) -> list[tuple[str | None, str]]:
    """The numbered paragraphs that stay whole wherever they land: no line in them
    that could read as another paragraph's number; blank runs made single."""
    texts = []
    for block in cable.paragraphs:
        text = _BLANK_RUN.sub("\n\n", block.text.strip())
        if text and _NUMBER_AT_LINE_START.search(text) is None:
            texts.append((block.marking, text))
    return texts


def _route(lines: list[str], cable: Cable) -> str | None:
    span = cable.spans.get("routing_code")
    match = _DE_LINE.match(lines[span.start - 1].strip()) if span else None
    return match.group(1) if match else None


def _header(lines: list[str], cable: Cable) -> Header | None:
    """The source's relay line, precedence and addressees, if it has a full header."""
    date, to = cable.spans["date"], cable.spans.get("recipients")
    precedence = _DTG_PRECEDENCE.match(lines[date.start - 1].strip())
    if to is None or precedence is None:
        return None
    info = cable.spans.get("info_recipients")
    end = info.end if info and info.start > to.end else to.end  # not an office list above
    addressees = _text(lines, Span(to.start, end))
    if not addressees:
        return None
    transmission = cable.spans.get("transmission_id")
    relay = lines[transmission.start].strip() if transmission else ""
    if not re.fullmatch(r"[A-Z]{2} [A-Z ]+", relay):
        relay = ""
    return Header(relay, " ".join(precedence.group(1).split()), addressees)


def _subject(lines: list[str], cable: Cable) -> str:
    """The SUBJECT lines as written, unless they share a line with another field."""
    span = cable.spans["subject"]
    others = (cable.spans.get(name) for name in ("tags", "references", "classified_by"))
    if any(o and o.start <= span.end and span.start <= o.end for o in others):
        return f"SUBJECT: {cable.subject}"
    return _text(lines, span)


def _classifier(lines: list[str], cable: Cable) -> str:
    """The `Classified By:` lines as written, when nothing else shares them."""
    text = _text(lines, cable.spans.get("classified_by"))
    return text if text.upper().startswith("CLASSIFIED BY") else ""


def _signer(lines: list[str], cable: Cable) -> str:
    """The signer line(s) as written, when they stand alone on their lines."""
    span = cable.spans.get("signers")
    text = _text(lines, span)
    if text and all(_SIGNER_LINE.fullmatch(line) for line in text.split("\n")):
        return text
    return ""


def _assemble(sources: list[_Source]) -> Corpus:
    """Pool the sources' parts: paragraphs, templates, posts."""
    paragraphs: list[tuple[str | None, str]] = []
    pools: dict[tuple[bool, str], list[int]] = defaultdict(list)
    templates: list[Template] = []
    for source in sources:
        first = len(paragraphs)
        paragraphs.extend(source.texts)
        indexes = tuple(range(first, len(paragraphs)))
        key = (source.template.old, source.template.classification)
        pools[key].extend(indexes)
        templates.append(replace(source.template, paragraphs=indexes))
    by_era: dict[bool, list[int]] = defaultdict(list)
    by_post: dict[str, list[int]] = defaultdict(list)
    for number, (template, source) in enumerate(zip(templates, sources, strict=True)):
        by_era[template.old].append(number)
        by_post[source.station].append(number)
    return Corpus(
        posts=_posts(sources),
        templates=tuple(templates),
        paragraphs=tuple(paragraphs),
        pools={key: tuple(value) for key, value in pools.items()},
        by_era={key: tuple(value) for key, value in by_era.items()},
        by_post={key: tuple(value) for key, value in by_post.items()},
        signers=_people(sources, "signer"),
    )


def _posts(sources: list[_Source]) -> tuple[Post, ...]:
    """One post per station, named as most of its cables name it; sorted by station."""
    grouped: dict[str, list[_Source]] = defaultdict(list)
    for source in sources:
        grouped[source.station].append(source)
    return tuple(_post(station, grouped[station]) for station in sorted(grouped))


def _post(station: str, sources: list[_Source]) -> Post:
    banner = _most_common([s.banner for s in sources if s.banner]) or station
    known = resolve_station(squeeze(banner)) == station
    route = _most_common([s.route for s in sources if s.route]) or f"RUEH{station[:2]}"
    return Post(
        station=station,
        origin=_most_common([s.origin for s in sources]),
        banner=banner,
        ref_name=banner if known else station,
        route=route,
        country=sources[0].country,
        weight=len(sources),
        headers=tuple(s.header for s in sources if s.header),
        signers=_people(sources, "signer"),
        classifiers=_people(sources, "classifier"),
    )


def _people(sources: list[_Source], role: str) -> tuple[str, ...]:
    """A post's signers or classifiers of the modern era (old cables keep their own)."""
    named = {getattr(s.template, role) for s in sources if not s.template.old}
    return tuple(sorted(name for name in named if name))


def _most_common(values: list[str]) -> str:
    """The most frequent value; ties go to the first in sorted order (deterministic)."""
    if not values:
        return ""
    counts: dict[str, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    return min(counts, key=lambda value: (-counts[value], value))
