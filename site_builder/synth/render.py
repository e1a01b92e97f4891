"""One synthetic cable's text, from its line of the plan and the corpus model.

The text takes the archive's form exactly (the seed's and the corpus' form: the
telegram header, the banner and handling lines, E.O., TAGS with the web pages' link
residue, SUBJECT, REF, `Classified By:`, numbered paragraphs `[1](#)N.`, page banners
between the pages of a long cable, the signer), so that the parser reads it as it
reads a real cable. Everything random comes from a generator seeded by the seed and
the cable's index alone: a cable's bytes do not depend on which process made it, or
in which order.
"""

from __future__ import annotations

import datetime as dt
import random

from site_builder.synth.corpus import OLD_ERA_BEFORE, Corpus, Header, Post, Template
from site_builder.synth.plan import Planned

# Share of a template's paragraphs kept in place; the rest come from the pool of
# paragraphs of the same era and classification.
_KEEP_OWN = 0.4
# Share of cables taking their shape from a cable of their own post, when it has any.
_OWN_POST = 0.5
# Share of cables signed (and classified) by someone of their own post, when it has any.
_OWN_PEOPLE = 0.85
# Characters per telegram section: a longer cable says `SECTION 01 OF 0N` and carries
# page banners between its pages.
_SECTION_CHARS = 4_500
_MONTHS = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
_ZN = {"UNCLASSIFIED": "ZNR UUUUU ZZH", "CONFIDENTIAL": "ZNY CCCCC ZZH", "SECRET": "ZNY SSSSS ZZH"}
_DEFAULT_HEADER = Header("", "P", "TO RUEHC/SECSTATE WASHDC PRIORITY")


def cable_rng(seed: int, index: int) -> random.Random:
    """The generator of one cable: the same for a seed and index, in any process."""
    return random.Random(f"synth/{seed}/{index}")


def sent_at(planned: Planned) -> dt.datetime:
    """The cable's time (UTC), from its year and minute in the plan."""
    return dt.datetime(planned.year, 1, 1) + dt.timedelta(minutes=planned.minute)


def render_cable(corpus: Corpus, planned: Planned, seed: int) -> str:
    """The full text of one synthetic cable."""
    rng = cable_rng(seed, planned.number)
    post = corpus.posts[planned.post]
    when = sent_at(planned)
    old = planned.year < OLD_ERA_BEFORE
    template = corpus.templates[_template(rng, corpus, post, old)]
    paragraphs = _paragraphs(rng, corpus, template)
    size = sum(len(text) for text in paragraphs)
    sections = 1 + size // _SECTION_CHARS
    body = "\n\n".join(_paged(paragraphs, post, planned.serial, sections))
    signer = template.signer if old else _pick(rng, post.signers, corpus.signers)
    parts = (
        _header(rng, post, planned, when, template, sections),
        _preamble(rng, post, planned, when, template, old),
        f"{body}\n{signer}" if signer else body,  # the signer's line follows the text
    )
    return "\n\n".join(part for part in parts if part)


def _template(rng: random.Random, corpus: Corpus, post: Post, old: bool) -> int:
    """A source cable of the same era, from this post half the time when it has any."""
    era = corpus.by_era.get(old) or corpus.by_era[not old]
    own = [t for t in corpus.by_post.get(post.station, ()) if corpus.templates[t].old == old]
    if own and rng.random() < _OWN_POST:
        return rng.choice(own)
    return rng.choice(era)


def _paragraphs(rng: random.Random, corpus: Corpus, template: Template) -> list[str]:
    """As many paragraphs as the template has: some its own, the others drawn from
    real cables of its era and classification (so every marking fits), numbered
    1, 2, 3... in the web pages' form."""
    pool = corpus.pools[(template.old, template.classification)]
    texts = []
    for number, own in enumerate(template.paragraphs, 1):
        marking, text = corpus.paragraphs[own if rng.random() < _KEEP_OWN else rng.choice(pool)]
        mark = f"({marking}) " if marking else ""
        texts.append(f"[1](#){number}. {mark}{text}")
    return texts


def _header(
    rng: random.Random,
    post: Post,
    planned: Planned,
    when: dt.datetime,
    template: Template,
    sections: int,
) -> str:
    """From the transmission ID to the banner line (with the blank lines the corpus has)."""
    header = rng.choice(post.headers) if post.headers else _DEFAULT_HEADER
    relay = header.relay or f"{header.precedence[0] * 2} RUEHWEB"
    section = "/01" if sections > 1 else ""
    station_code = f"VZCZC{rng.choice(('XYZ', 'XRO'))}{rng.randrange(10_000):04d}"
    level = template.classification.split("//")[0]
    banner_section = f"SECTION 01 OF {sections:02d} " if sections > 1 else ""
    lines = (
        f"\n{station_code}\n{relay}\n",
        f"DE {post.route} #{planned.serial % 10_000:04d}{section}"
        f" {when.timetuple().tm_yday:03d}{when:%H%M}",
        _ZN.get(level, _ZN["CONFIDENTIAL"]),
        f"{header.precedence} {when:%d%H%M}Z {_MONTHS[when.month - 1]} {when:%y}",
        f"FM {post.origin}",
        f"{header.addressees}\n",
        f"{template.level} {banner_section}{post.banner} {planned.serial:06d}",
    )
    return "\n".join(lines)


def _preamble(
    rng: random.Random,
    post: Post,
    planned: Planned,
    when: dt.datetime,
    template: Template,
    old: bool,
) -> str:
    """Handling lines, E.O., TAGS, SUBJECT, REF and `Classified By:`: what comes before
    the first paragraph. Old cables keep their template's people (of their time)."""
    unclassified = template.classification.startswith("UNCLASSIFIED")
    classifier = template.classifier
    if not unclassified and not old:
        classifier = _pick(rng, post.classifiers, (template.classifier,))
    parts = (
        template.handling,
        f"{_executive_order(when, unclassified)}\n{_tags(template, post)}\n{template.subject}",
        _references(planned.references),
        classifier,
    )
    return "\n\n".join(part for part in parts if part)


def _executive_order(when: dt.datetime, unclassified: bool) -> str:
    """The E.O. line: none to declassify, else a date ten years on (the usual term)."""
    if unclassified:
        return "E.O. 12958: N/A"
    day = min(when.day, 28) if when.month == 2 else when.day
    return f"E.O. 12958: DECL: {when.month:02d}/{day:02d}/{when.year + 10}"


def _tags(template: Template, post: Post) -> str:
    """The template's TAGS, its post's country code swapped for this post's."""
    tags = [post.country if t == template.country else t for t in template.tags]
    tags = [t for t in tags if t]
    if post.country and post.country not in tags:
        tags.append(post.country)
    unique = list(dict.fromkeys(tags)) or ["PREL"]
    return "TAGS: " + " ".join(f"[{tag}](#)" for tag in unique)


def _references(items: tuple[str, ...]) -> str:
    """`REF: STATE 116186`, or lettered items one a line (`[B](#). ...` as the pages left them)."""
    if not items:
        return ""
    if len(items) == 1:
        return f"REF: {items[0]}"
    lines = [f"REF: A. {items[0]}"]
    lines.extend(f"[{chr(ord('A') + n)}](#). {item}" for n, item in enumerate(items[1:], 1))
    return "\n".join(lines)


def _paged(paragraphs: list[str], post: Post, serial: int, sections: int) -> list[str]:
    """The paragraphs, with a page banner (`BERLIN 00001767 002 OF 003`) where a page
    ends, as the telegrams printed them."""
    if sections == 1:
        return paragraphs
    page_size = sum(len(text) for text in paragraphs) / sections
    paged, written, page = [], 0, 1
    for text in paragraphs:
        if written >= page * page_size and page < sections:
            page += 1
            paged.append(f"{post.banner} {serial:08d} {page:03d} OF {sections:03d}\n")
        paged.append(text)
        written += len(text)
    return paged


def _pick(rng: random.Random, own: tuple[str, ...], others: tuple[str, ...]) -> str:
    """Someone of this post most of the time, else anyone (empty when nobody is known)."""
    if own and (rng.random() < _OWN_PEOPLE or not others):
        return rng.choice(own)
    candidates = [person for person in others if person]
    return rng.choice(candidates) if candidates else ""
