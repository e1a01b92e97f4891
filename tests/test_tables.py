"""The reference tables: complete for the corpus, consistent, and overridable by a site.

The corpus checks read the shared corpus directly (its manifest and the TAGS lines of
every cable) so that a table gap shows up as a failing code, not as an unexplained
page on the site.
"""

from __future__ import annotations

import csv
import json
import re
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from site_builder.model import Severity
from site_builder.tables import (
    GLOSSARY_CASES,
    POST_KINDS,
    TABLE_NAMES,
    TAG_KINDS,
    Tables,
    default_tables,
    load_tables,
    slugify,
)
from tests.conftest import CONFORMANCE, CORPUS

DATA = Path(__file__).resolve().parents[1] / "site_builder" / "data"


@pytest.fixture(scope="module")
def tables() -> Tables:
    return default_tables()


@cache
def _manifest() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text())
    return entries


def _csv_rows(name: str) -> list[list[str]]:
    with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# --- a small TAGS-line reader, independent of the parser -------------------------------

# The label and its typos; a word of its own, never inside another word.
_TAGS_LABEL = re.compile(r"(?i)(?<![A-Z0-9/])(TAGS?|TAGES|TAS|TABS)\b\s*:?")
# Text allowed before a label in mid-line: the E.O. line it was glued to.
_EO_BEFORE = re.compile(r"(?i)(12958|DECL|N/A|OADR)")
_SUBJECT = re.compile(r"(?i)\bSUBJ(ECT)?\b")
_LINK = re.compile(r"\[([^\]\n]*)\]\(#\)")
# Lines that end a TAGS list: another field, a paragraph, or a page banner.
_NOT_TAGS = re.compile(r"(?i)^\s*(SUBJ|REF|CLASSIFIED|\d+\.|SUMMARY|SIPDIS\s*$)")
_BANNER = re.compile(r"\b\d{5,}\b")
_TAG_LINE = re.compile(r"^[A-Za-z0-9 ,;.()]+$")


def read_tags(text: str) -> list[str] | None:
    """The TAGS codes of a cable as written, or None when it has no TAGS line.

    Handles the label's typos (TAG, TAGES, TAS, TABS), a label glued to the E.O. line,
    link residue (`[PGOV](#)`), commas, semicolons and spaces, continuation lines and
    person tags in parentheses (`OVIP (CLINTON, HILLARY)`). Written-out words
    (`COUNTER TERRORISM`) come out as separate codes, as the web pages linked them.
    """
    lines = [_LINK.sub(r"\1", line) for line in text.splitlines()]
    for index, line in enumerate(lines):
        label = _TAGS_LABEL.search(line)
        if not label:
            continue
        before = line[: label.start()]
        if before.strip() and not _EO_BEFORE.search(before):
            continue
        parts = [line[label.end() :]]
        for following in lines[index + 1 :]:
            if (
                not following.strip()
                or _NOT_TAGS.match(following)
                or _BANNER.search(following)
                or not _TAG_LINE.match(following)
            ):
                break
            parts.append(following)
        value = _SUBJECT.split(" , ".join(parts))[0].upper()
        codes = [" ".join(p.split()) for p in re.findall(r"\(([^)]*)\)", value)]
        for word in re.split(r"[\s,;]+", re.sub(r"\([^)]*\)", " ", value)):
            word = word.strip(".")
            if word and word != "SIPDIS":
                codes.append(word)
        return codes
    return None


def test_tags_reader_handles_the_known_shapes() -> None:
    assert read_tags("TAGS: [PREL](#) [PGOV](#)\nSUBJECT: X") == ["PREL", "PGOV"]
    assert read_tags("TAG PTER, PGOV, ASEC\n\n") == ["PTER", "PGOV", "ASEC"]
    assert read_tags("E.o. 12958: decl: 01/07/2014 Tags: prel, tu Subject: x") == ["PREL", "TU"]
    assert read_tags("TAGS PREL;PGOV;HR") == ["PREL", "PGOV", "HR"]
    assert read_tags("TAGS: PREL, IR,\nUK, YM\nSUBJECT: X") == ["PREL", "IR", "UK", "YM"]
    assert read_tags("TAGS ovip (steinberg, james b.), prel") == [
        "STEINBERG, JAMES B.",
        "OVIP",
        "PREL",
    ]
    assert read_tags("TAGS PREL, AJ\nBAKU 00000478 001.2 OF 003") == ["PREL", "AJ"]
    assert read_tags("A STATE TAGS ALONG.\nNo label here.") is None


@cache
def _corpus_tags() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted((CORPUS / "cables").glob("*.txt")):
        codes = read_tags(path.read_text(encoding="utf-8"))
        if codes is not None:
            found[path.name] = codes
    return found


# --- corpus coverage ---------------------------------------------------------------------


def test_every_manifest_origin_has_a_post_of_that_name(tables: Tables) -> None:
    names = {post.name for post in tables.posts.values()}
    missing = sorted({entry["origin"] for entry in _manifest()} - names)
    assert missing == []


def test_every_manifest_tag_has_a_row(tables: Tables) -> None:
    codes = {tag for entry in _manifest() for tag in entry["tags"] or ()}
    assert len(codes) > 250
    assert sorted(codes - set(tables.tags)) == []


def test_the_tags_reader_finds_what_the_manifest_lists() -> None:
    # Keeps the reader honest: it must see (nearly) every TAGS line and every code the
    # web pages linked, or the next test would prove little.
    found = _corpus_tags()
    assert len(found) >= 980
    by_file = {Path(entry["file"]).name: entry for entry in _manifest()}
    for name, codes in found.items():
        listed = by_file[name]["tags"] or []
        assert set(listed) <= set(codes), name


def test_every_code_in_the_corpus_tags_lines_has_a_row(tables: Tables) -> None:
    codes = {code for found in _corpus_tags().values() for code in found}
    assert {"KDEMAF", "IRAJ", "CLINTON, HILLARY", "STEINBERG, JAMES B.", "MOPPS"} <= codes
    assert sorted(codes - set(tables.tags)) == []


def test_person_tags_read_in_reading_order(tables: Tables) -> None:
    assert tables.tags["STEINBERG, JAMES B."].kind == "person"
    assert tables.tags["STEINBERG, JAMES B."].name == "James B. Steinberg"
    assert tables.tags["CLINTON, HILLARY"].name == "Hillary Clinton"


def test_c14n_canonical_stations_are_known_and_typos_resolve(tables: Tables) -> None:
    cases = [c for c in json.loads(CONFORMANCE.read_text())["cases"] if c["category"] == "c14n"]
    assert len(cases) > 100
    for case in cases:
        expected = re.fullmatch(r"\d\d([A-Z]+)\d+", case["expected"])
        assert expected and expected.group(1) in tables.known_stations, case["expected"]
        written = re.fullmatch(r"\d\d([A-Z][A-Z-]*?)\d+", case["input"]["text"])
        if not written:
            continue  # section numbers, doubled years: the ID parser's business
        station = re.sub(r"^(EFTO|AMEMBASSY|NOFORN)", "", written.group(1))
        if station == "BRUSELS":
            continue  # the case means USEU, but the typo could be either Brussels post
        assert tables.resolve_station(station) == expected.group(1), case["input"]["text"]


# --- consistency -------------------------------------------------------------------------


def test_shipped_tables_load_without_problems() -> None:
    _tables, problems = load_tables()
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("name", TABLE_NAMES)
def test_shipped_csv_has_header_and_sorted_unique_keys(name: str) -> None:
    rows = _csv_rows(name)
    header, body = rows[0], rows[1:]
    assert header[0] in {"code", "station", "alias", "term"}
    assert all(len(row) == len(header) for row in body)
    keys = [row[0] for row in body]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))


def test_row_counts_are_in_the_expected_range(tables: Tables) -> None:
    assert 260 <= len(tables.countries) <= 320
    assert len(tables.tags) >= 500
    assert 250 <= len(tables.posts) <= 300
    assert len(tables.station_aliases) >= 60
    assert 100 <= len(tables.glossary) <= 180


def test_kinds_are_from_the_fixed_sets(tables: Tables) -> None:
    assert {t.kind for t in tables.tags.values()} == TAG_KINDS
    assert {p.kind for p in tables.posts.values()} == POST_KINDS


def test_country_tags_and_countries_agree(tables: Tables) -> None:
    country_tags = {t.code: t.name for t in tables.tags.values() if t.kind == "country"}
    countries = {c.code: c.name for c in tables.countries.values()}
    assert country_tags == countries


def test_country_slugs_are_unique_and_safe(tables: Tables) -> None:
    slugs = [c.slug for c in tables.countries.values()]
    assert len(slugs) == len(set(slugs))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
    assert tables.countries["SF"].slug == "south-africa"
    assert tables.countries["IV"].slug == "cote-d-ivoire"


def test_every_post_country_is_a_known_country(tables: Tables) -> None:
    unknown = {p.station: p.country for p in tables.posts.values() if p.country}
    assert {s: c for s, c in unknown.items() if c not in tables.countries} == {}
    for station in ("STATE", "SECDEF", "USNATO", "USEUBRUSSELS", "USUNNEWYORK", "UNVIEVIENNA"):
        assert tables.posts[station].country is None


def test_posts_in_the_wikileaks_style(tables: Tables) -> None:
    expected = {
        "MADRID": ("Embassy Madrid", "embassy", "SP", "embassy-madrid"),
        "MUNICH": ("Consulate Munich", "consulate", "GM", "consulate-munich"),
        "STATE": ("Secretary of State", "department", None, "secretary-of-state"),
        "USNATO": ("Mission USNATO", "mission", None, "mission-usnato"),
        "RPODUBAI": ("Iran RPO Dubai", "office", "AE", "iran-rpo-dubai"),
        "HAVANA": ("US Interests Section Havana", "office", "CU", "us-interests-section-havana"),
        "PORTAUPRINCE": ("Embassy Port Au Prince", "embassy", "HA", "embassy-port-au-prince"),
    }
    for station, (name, kind, country, slug) in expected.items():
        post = tables.posts[station]
        assert (post.name, post.kind, post.country, post.slug) == (name, kind, country, slug)
    assert tables.posts["KIEV"].slug == tables.posts["KYIV"].slug == "embassy-kyiv"


def test_aliases_point_at_stations_and_are_not_stations(tables: Tables) -> None:
    for alias, station in tables.station_aliases.items():
        assert re.fullmatch(r"[A-Z0-9]+", alias), alias
        assert alias not in tables.posts, alias
        assert station in tables.posts, (alias, station)
    assert "BRUSSELS" not in tables.station_aliases  # the embassy, not USEU


def test_required_aliases(tables: Tables) -> None:
    required = {
        "SECSTATE": "STATE",
        "WASHDC": "STATE",
        "SECSTATEWASHDC": "STATE",
        "USUN": "USUNNEWYORK",
        "USUNNY": "USUNNEWYORK",
        "USEU": "USEUBRUSSELS",
        "UNVIE": "UNVIEVIENNA",
        "HAGUE": "THEHAGUE",
        "RIO": "RIODEJANEIRO",
        "HCMC": "HOCHIMINHCITY",
        "MEXICOCITY": "MEXICO",
        "TAIPEI": "AITTAIPEI",
        "BKK": "BANGKOK",
        "BA": "BUENOSAIRES",
        "VAT": "VATICAN",
        "USDA": "USDAFAS",
        "USDOCWASHDC": "USDOC",
        "SECDEFWASH": "SECDEF",
        "SECDEFWASHDC": "SECDEF",
        "BRASILA": "BRASILIA",
        "TBLISI": "TBILISI",
        "0TTAWA": "OTTAWA",
        "RIODEJAN": "RIODEJANEIRO",  # page banners cut the station at ten characters
    }
    assert {a: tables.station_aliases.get(a) for a in required} == required


def test_known_stations_are_posts_and_alias_targets(tables: Tables) -> None:
    assert tables.known_stations == frozenset(tables.posts) | frozenset(
        tables.station_aliases.values()
    )
    assert {"STATE", "SECDEF", "USUNNEWYORK", "BONN", "LENINGRAD", "SAIGON"} <= (
        tables.known_stations
    )


def test_official_meanings_of_common_codes(tables: Tables) -> None:
    assert tables.tags["PGOV"].name == "Internal Governmental Affairs"
    assert tables.tags["PREL"].name == "External Political Relations"
    assert tables.tags["PHUM"].name == "Human Rights"
    assert tables.tags["KCRM"].name == "Criminal Activity"
    assert tables.tags["KPAO"].kind == "program"
    assert tables.tags["NATO"].kind == "organisation"
    for code, name in {
        "GM": "Germany",
        "TU": "Turkey",
        "SF": "South Africa",
        "UR": "Soviet Union",
    }.items():
        assert (tables.tags[code].kind, tables.tags[code].name) == ("country", name)


def test_glossary_terms_unique_and_cases_valid() -> None:
    rows = _csv_rows("glossary")[1:]
    terms = [row[0] for row in rows]
    assert len(terms) == len(set(terms))
    assert {row[2] for row in rows} <= set(GLOSSARY_CASES)
    assert all(row[1].endswith(".") for row in rows)


def test_glossary_cases(tables: Tables) -> None:
    entries = {entry.term: entry for entry in tables.glossary}
    assert entries["FM"].case_sensitive
    assert entries["CDA"].case_sensitive
    assert not entries["Poloff"].case_sensitive
    assert not entries["reftel"].case_sensitive
    for term in ("SIPDIS", "NOFORN", "1.4 (b)", "1.4 (d)", "G/TIP", "demarche", "non-paper"):
        assert term in entries


# --- lookups -------------------------------------------------------------------------------


def test_tag_info_known_and_inferred(tables: Tables) -> None:
    assert tables.tag_info("PGOV") is tables.tags["PGOV"]
    assert tables.tag_info("pgov") == tables.tags["PGOV"]
    assert (tables.tag_info("QQ").kind, tables.tag_info("QQ").name) == ("country", "")
    assert tables.tag_info("KZZZ").kind == "program"
    assert tables.tag_info("DOE, JOHN").kind == "person"
    assert tables.tag_info("ZZZZZ").kind == "subject"


def test_country_for_station(tables: Tables) -> None:
    assert tables.country_for_station("MUNICH") == "GM"
    assert tables.country_for_station("RIO") == "BR"
    assert tables.country_for_station("HCMC") == "VM"
    assert tables.country_for_station("Port au Prince") == "HA"
    assert tables.country_for_station("SECSTATE") is None
    assert tables.country_for_station("USEU") is None
    assert tables.country_for_station("NOWHERE") is None


def test_default_tables_are_cached_and_hashable() -> None:
    assert default_tables() is default_tables()
    assert hash(default_tables()) == hash(default_tables())  # usable as a cache key
    assert load_tables()[0] != default_tables()  # identity, not a deep comparison


def test_loading_is_fast() -> None:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        load_tables()
        best = min(best, time.perf_counter() - start)
    assert best < 0.020


def test_slugify() -> None:
    assert slugify("Embassy Port Au Prince") == "embassy-port-au-prince"
    assert slugify("Curaçao") == "curacao"
    assert slugify("Cocos (Keeling) Islands") == "cocos-keeling-islands"


# --- site overrides ----------------------------------------------------------------------


def _write(data_dir: Path, name: str, lines: list[str]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_override_replaces_adds_and_reports_one_bad_row(tmp_path: Path) -> None:
    data_dir = tmp_path / "content" / "data"
    _write(
        data_dir,
        "tags",
        [
            "code,kind,name",
            "PGOV,subject,Domestic politics",
            "XYZZ,program,A program of our own",
            "",
            "# a note, not a row",
            "",
            "BADROW,subject",
            "KWBG,program,West Bank and Gaza (site wording)",
        ],
    )
    tables, problems = load_tables(data_dir)
    assert tables.tags["PGOV"].name == "Domestic politics"
    assert tables.tags["XYZZ"].kind == "program"
    assert tables.tags["KWBG"].name == "West Bank and Gaza (site wording)"
    assert tables.tags["PREL"].name == "External Political Relations"  # untouched rows stay
    assert "BADROW" not in tables.tags
    assert len(problems) == 1  # blank lines and `#` notes are no rows
    (bad,) = problems
    assert (bad.path, bad.line, bad.severity) == (str(data_dir / "tags.csv"), 7, Severity.WARNING)
    assert str(bad).startswith(f"{data_dir / 'tags.csv'}:7: warning: tags row has 2 fields")


def test_override_problem_path_is_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "content" / "data", "tags", ["code,kind,name", "PGOV,weird,Text"])
    monkeypatch.chdir(tmp_path)
    _tables, problems = load_tables(Path("content/data"))
    assert [str(p) for p in problems] == [
        "content/data/tags.csv:2: warning: unknown tag kind 'weird' "
        "(one of country, organisation, person, program, subject); row skipped"
    ]


def test_override_bad_codes_are_skipped(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    _write(data_dir, "countries", ["code,name", "QZ,Freedonia", "Q1,Bad code"])
    _write(
        data_dir,
        "posts",
        [
            "station,name,kind,country",
            "FREEDONIA,Embassy Freedonia,embassy,QZ",
            "SYLVANIA,Embassy Sylvania,embassy,QQ",
            "MADRID,Embassy Madrid,castle,SP",
        ],
    )
    _write(
        data_dir,
        "stations",
        ["alias,station", "FRDN,FREEDONIA", "MUNICH,BERLIN", "NOPE,NOWHERE", "bad-alias,MADRID"],
    )
    _write(
        data_dir, "glossary", ["term,meaning,case", "Frodoff,A Freedonian officer.,any", "X,Y,odd"]
    )
    tables, problems = load_tables(data_dir)
    assert tables.countries["QZ"].slug == "freedonia"
    assert tables.country_for_station("FRDN") == "QZ"
    assert "SYLVANIA" not in tables.posts
    assert tables.posts["MADRID"].kind == "embassy"
    assert "FREEDONIA" in tables.known_stations
    assert not any(e.term == "X" for e in tables.glossary)
    assert any(e.term == "Frodoff" and not e.case_sensitive for e in tables.glossary)
    where = sorted((Path(p.path).name, p.line) for p in problems)
    assert where == [
        ("countries.csv", 3),
        ("glossary.csv", 3),
        ("posts.csv", 3),
        ("posts.csv", 4),
        ("stations.csv", 3),
        ("stations.csv", 4),
        ("stations.csv", 5),
    ]


def test_override_with_a_wrong_header_is_skipped_whole(tmp_path: Path) -> None:
    _write(tmp_path, "tags", ["tag,kind,meaning", "PGOV,subject,Changed"])
    tables, problems = load_tables(tmp_path)
    assert tables.tags["PGOV"].name == "Internal Governmental Affairs"
    assert [(p.line, "header" in p.message) for p in problems] == [(1, True)]


def test_quoted_fields_and_multiline_records_keep_line_numbers(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "glossary",
        [
            "term,meaning,case",
            '"Poloff","A political officer, wrapped',
            'over two lines.",any',
            "Bad,row",
        ],
    )
    tables, problems = load_tables(tmp_path)
    entries = {e.term: e for e in tables.glossary}
    assert entries["Poloff"].meaning == "A political officer, wrapped\nover two lines."
    assert [p.line for p in problems] == [4]


def test_unreadable_csv_keeps_the_rows_before_it(tmp_path: Path) -> None:
    huge = "x" * 200_000  # over the csv module's field size limit
    _write(tmp_path, "tags", ["code,kind,name", "XYZZ,program,Ours", f"QQQQ,subject,{huge}"])
    tables, problems = load_tables(tmp_path)
    assert tables.tags["XYZZ"].name == "Ours"
    assert "QQQQ" not in tables.tags
    assert [(p.line, "unreadable CSV" in p.message) for p in problems] == [(3, True)]
