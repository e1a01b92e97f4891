"""`site-builder synth`: synthetic archives derived from the real corpus, read in place.

A few hundred cables are enough to see every property the benchmarks rely on: the
same bytes for a seed, the archive's file layout, cables the parser reads cleanly
with the fields they were made with, the release's years, and REF lines that cite
earlier synthetic cables (some missing, as in the release).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.model import Cable, Severity
from site_builder.parser import parse_bytes
from site_builder.synth import run as synth_run
from site_builder.synth.corpus import Corpus, load_corpus
from site_builder.synth.plan import LAST_YEAR_DAYS, plan_archive
from site_builder.synth.run import write_archive
from tests.conftest import CORPUS, ROOT

SOURCE = CORPUS / "cables"
COUNT = 300
LAYOUT = re.compile(r"(\d{4})/(\d{2})/(\d{2}[A-Z]+\d+)\.txt")
SUMMARY = re.compile(r"[\d,]+ cables written to \S+ in [\d.]+ s \([\d,]+/s\), [\d,]+ MB")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    if not SOURCE.is_dir():
        pytest.fail(f"no corpus cables in {SOURCE} (set CABLE_SHARED to the shared folder)")
    return load_corpus(SOURCE)


@pytest.fixture(scope="module")
def archive(corpus: Corpus, tmp_path_factory: pytest.TempPathFactory) -> Path:
    into = tmp_path_factory.mktemp("synth") / "cables"
    write_archive(corpus, COUNT, into, seed=1, jobs=1)
    return into


@pytest.fixture(scope="module")
def parsed(archive: Path) -> dict[str, Cable]:
    """Every synthetic cable parsed, keyed by its path below the archive."""
    files = sorted(archive.rglob("*.txt"))
    return {
        path.relative_to(archive).as_posix(): parse_bytes(path.read_bytes(), str(path))
        for path in files
    }


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.txt")}


def test_the_same_seed_gives_the_same_bytes_in_any_number_of_processes(
    corpus: Corpus, archive: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(synth_run, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(synth_run, "_CHUNK", 40)
    write_archive(corpus, COUNT, tmp_path / "again", seed=1, jobs=2)
    assert _contents(tmp_path / "again") == _contents(archive)


def test_another_seed_gives_another_archive(corpus: Corpus, archive: Path, tmp_path: Path) -> None:
    write_archive(corpus, COUNT, tmp_path / "other", seed=2, jobs=1)
    other, first = _contents(tmp_path / "other"), _contents(archive)
    assert len(other) == COUNT
    assert len(set(other) & set(first)) < COUNT // 4
    assert set(other.values()).isdisjoint(first.values())


def test_n_files_with_unique_ids_in_year_and_month_folders(parsed: dict[str, Cable]) -> None:
    assert len(parsed) == COUNT
    ids = set()
    for path, cable in parsed.items():
        match = LAYOUT.fullmatch(path)
        assert match, path
        year, month, reference_id = match.groups()
        assert cable.reference_id == reference_id
        assert cable.date is not None
        assert (cable.date.year, cable.date.month) == (int(year), int(month))
        assert reference_id[:2] == year[2:], "the ID's year is the date's"
        ids.add(reference_id)
    assert len(ids) == COUNT


def test_every_cable_parses_cleanly_with_its_fields(
    parsed: dict[str, Cable], corpus: Corpus
) -> None:
    stations = {post.station: post for post in corpus.posts}
    classifications = {template.classification for template in corpus.templates}
    for path, cable in parsed.items():
        errors = [str(p) for p in cable.problems if p.severity is Severity.ERROR]
        assert errors == [], path
        assert cable.problems == (), path
        assert cable.station in stations, path
        post = stations[cable.station]
        assert cable.origin == post.origin
        assert cable.reference_id and cable.reference_id[2:].startswith(cable.station)
        assert cable.classification in classifications
        assert cable.tags and cable.subject, path
        assert post.country is None or post.country in cable.tags
        numbers = [p.number for p in cable.paragraphs]
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)], path
        assert cable.recipients, path


def _quartiles(values: list[int]) -> list[int]:
    ordered = sorted(values)
    return [ordered[len(ordered) * q // 4] for q in (1, 2, 3)]


def test_posts_classifications_and_sizes_vary_as_in_the_corpus(
    parsed: dict[str, Cable], corpus: Corpus
) -> None:
    cables = list(parsed.values())
    assert len({c.station for c in cables}) > 40
    assert len({c.classification for c in cables}) >= 4
    assert len({c.subject for c in cables}) > COUNT // 2
    made = _quartiles([sum(len(b.text) for b in c.paragraphs) for c in cables])
    source = _quartiles(
        [sum(len(corpus.paragraphs[i][1]) for i in t.paragraphs) for t in corpus.templates]
    )
    for ours, theirs in zip(made, source, strict=True):
        assert 0.75 * theirs < ours < 1.25 * theirs, (made, source)


def test_signers_are_present(parsed: dict[str, Cable]) -> None:
    signed = [c for c in parsed.values() if c.signers]
    assert len(signed) >= 0.95 * COUNT
    assert len({c.signers for c in signed}) > 30


def test_the_years_have_the_release_shape(corpus: Corpus) -> None:
    plan = plan_archive(corpus, 20_000, seed=3)
    years = Counter(p.year for p in plan)
    assert min(years) >= 1966 and max(years) == 2010
    before_2006 = sum(n for year, n in years.items() if year < 2006) / len(plan)
    assert 0.08 <= before_2006 <= 0.16
    assert years[2006] < years[2007] < years[2008] < years[2009]
    assert years[1990] < years[2000] < years[2003] < years[2005] < years[2006]
    assert all(p.minute < LAST_YEAR_DAYS * 1440 for p in plan if p.year == 2010)
    assert [p.number for p in plan] == list(range(len(plan)))
    assert sorted(plan, key=lambda p: (p.year, p.minute)) == plan


def test_references_cite_earlier_cables_some_missing(parsed: dict[str, Cable]) -> None:
    dates = {c.reference_id: c.date for c in parsed.values()}
    cited = [(c, r.id) for c in parsed.values() for r in c.references]
    assert all(reference_id is not None for _, reference_id in cited)
    assert 0.8 <= len(cited) / COUNT <= 3.0, "a few per cable on average"
    assert sum(1 for c in parsed.values() if not c.references) > COUNT // 4
    inside = [(c, i) for c, i in cited if i in dates]
    assert 0.7 <= len(inside) / len(cited) <= 0.95, "most resolve; some are missing"
    for cable, reference_id in inside:
        cited_date, citing_date = dates[reference_id], cable.date
        assert cited_date and citing_date and cited_date <= citing_date
    forms = Counter(re.sub(r"\d", "9", r.text) for c in parsed.values() for r in c.references)
    assert len(forms) > 20, "REF items take the forms real ones do"


def test_no_cable_is_cited_by_a_large_share_of_the_archive(corpus: Corpus, tmp_path: Path) -> None:
    """Citations favour recent cables; a draw past the first cable must not pile onto it
    (one cable cited by hundreds made every benchmark edit rewrite hundreds of pages)."""
    count = 3000
    write_archive(corpus, count, tmp_path, seed=1, jobs=2)
    cited = Counter(
        reference.id
        for path in tmp_path.rglob("*.txt")
        for reference in parse_bytes(path.read_bytes(), str(path)).references
    )
    assert max(cited.values()) <= count // 50


def test_the_command_writes_the_archive_and_one_summary_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = tmp_path / "new" / "cables"
    seed = ROOT / "content" / "cables"
    assert main(["synth", "25", "--into", str(into), "--from", str(seed), "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert SUMMARY.fullmatch(out.strip()), out
    assert out.startswith(f"25 cables written to {into} in ")
    files = list(into.rglob("*.txt"))
    assert len(files) == 25
    cable = parse_bytes(files[0].read_bytes(), str(files[0]))
    assert cable.station == "GUATEMALA" and cable.signers == ("Derham",)


def _refused(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["synth", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("site-builder: error: ")
    return captured.err


def test_bad_requests_are_one_line_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    into = str(tmp_path / "out")
    assert "N must be 1 or more" in _refused(["0", "--into", into, "--from", str(SOURCE)], capsys)
    (tmp_path / "held" / "07").mkdir(parents=True)
    (tmp_path / "held" / "07" / "x.txt").write_text("a cable")
    held = _refused(["5", "--into", str(tmp_path / "held"), "--from", str(SOURCE)], capsys)
    assert "already holds cables" in held
    (tmp_path / "file").write_text("")
    assert "not a folder" in _refused(["5", "--into", str(tmp_path / "file")], capsys)
    (tmp_path / "empty").mkdir()
    no_cables = _refused(["5", "--into", into, "--from", str(tmp_path / "empty")], capsys)
    assert "no cables" in no_cables
    missing = _refused(["5", "--into", into, "--from", str(tmp_path / "nowhere")], capsys)
    assert "no such folder" in missing
    (tmp_path / "junk").mkdir()
    (tmp_path / "junk" / "note.txt").write_text("not a cable at all\n")
    assert "no cable there" in _refused(
        ["5", "--into", into, "--from", str(tmp_path / "junk")], capsys
    )
    assert not (tmp_path / "out").exists(), "nothing written when refused"


def test_an_empty_folder_is_written_into(tmp_path: Path, corpus: Corpus) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "README").write_text("not a cable")
    synth_run.check_request(3, tmp_path / "out")
    assert write_archive(corpus, 3, tmp_path / "out", jobs=1) > 0
    assert len(list((tmp_path / "out").rglob("*.txt"))) == 3
