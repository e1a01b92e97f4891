"""The `parse` and `check` commands as a user runs them: output, problems, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from site_builder.cli import main
from site_builder.stages.parse import parse_files
from site_builder.tables import load_tables
from tests.conftest import CORPUS
from tests.test_parser import SEED, WRAPPED


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command, as a user types it."""
    return subprocess.run(
        [sys.executable, "-m", "site_builder.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_parse_prints_one_json_object_per_cable(tmp_path: Path) -> None:
    (tmp_path / "berlin.txt").write_text(WRAPPED)
    result = run("parse", str(SEED), str(tmp_path))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["reference_id"] for r in records] == ["07GUATEMALA1906", "07BERLIN1767"]
    assert records[1]["source"] == str(tmp_path / "berlin.txt")


def test_parse_of_the_whole_corpus_in_parallel() -> None:
    result = run("parse", str(CORPUS / "cables"))
    assert result.returncode == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 985
    assert len({r["reference_id"] for r in records}) == 985
    sources = [r["source"] for r in records]
    assert sources == sorted(sources), "parallel parsing keeps file order"


def test_parse_of_a_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "no/such/file.txt"]) == 2
    assert capsys.readouterr().err == (
        "site-builder: error: no/such/file.txt: no such file or folder\n"
    )


def _archive(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    cables = tmp_path / "content" / "cables"
    cables.mkdir(parents=True)
    for name, body in files.items():
        path = cables / name
        path.write_bytes(body if isinstance(body, bytes) else body.encode())
    return tmp_path / "content"


def test_check_of_a_clean_archive(tmp_path: Path) -> None:
    content = _archive(tmp_path, {"seed.txt": SEED.read_text(), "berlin.txt": WRAPPED})
    result = run("check", "--content", str(content))
    assert result.returncode == 0
    assert result.stdout.startswith("2 cables, 4 references (4 to cables not in this archive),")
    assert ", 0 warnings, 0 errors in " in result.stdout


def test_check_reports_each_problem_and_carries_on(tmp_path: Path) -> None:
    content = _archive(
        tmp_path,
        {
            "a.txt": WRAPPED,
            "b.txt": WRAPPED,  # the same reference ID again
            "empty.txt": "",
            "junk.txt": bytes(range(256)),
            "seed.txt": SEED.read_text(),
        },
    )
    result = run("check", "--content", str(content))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    cables = content / "cables"
    assert (
        f"{cables}/b.txt:5: error: duplicate reference ID 07BERLIN1767: also in {cables}/a.txt"
        in lines
    )
    assert f"{cables}/empty.txt:1: error: empty file: no cable in it" in lines
    assert any(line.startswith(f"{cables}/junk.txt:") and "error" in line for line in lines)
    assert lines[-1].startswith("5 cables, ")
    assert lines[-1].endswith(" s") and ", 3 errors in " in lines[-1]


def test_check_json_is_one_object_per_problem(tmp_path: Path) -> None:
    content = _archive(tmp_path, {"empty.txt": "", "seed.txt": SEED.read_text()})
    result = run("check", "--content", str(content), "--json")
    objects = [json.loads(line) for line in result.stdout.splitlines()]
    assert objects[0] == {
        "path": str(content / "cables" / "empty.txt"),
        "line": 1,
        "severity": "error",
        "message": "empty file: no cable in it",
    }
    assert objects[-1]["cables"] == 2 and objects[-1]["errors"] == 1


def test_check_strict_fails_on_warnings(tmp_path: Path) -> None:
    cp1252 = WRAPPED.replace("shockwaves", "shock\u2013waves").encode("cp1252")
    content = _archive(tmp_path, {"berlin.txt": cp1252})
    assert run("check", "--content", str(content)).returncode == 0
    strict = run("check", "--content", str(content), "--strict")
    assert strict.returncode == 1
    assert "warning: not UTF-8: read as cp1252" in strict.stdout


def test_check_without_a_cables_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = run("check", "--content", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert result.stderr.strip().endswith("no such folder (is --content right?)")


def test_check_reads_with_the_sites_tables_and_reports_their_problems(tmp_path: Path) -> None:
    content = _archive(tmp_path, {"seed.txt": SEED.read_text()})
    data = content / "data"
    data.mkdir()
    (data / "posts.csv").write_text(
        "station,name,kind,country\nGUATEMALA,Embassy Guatemala,embassy,MX\nBADROW,only two\n"
    )
    result = run("check", cwd=tmp_path)
    assert result.stdout.splitlines()[0].startswith("content/data/posts.csv:3: warning:")
    assert result.returncode == 0


def test_parse_files_gives_every_worker_the_tables_it_is_given(tmp_path: Path) -> None:
    tables, problems = load_tables(
        _posts_override(tmp_path, "GUATEMALA,Embassy Guatemala,embassy,MX")
    )
    assert not problems
    files = [(SEED, f"seed-{number}.txt") for number in range(100)]  # enough for the pool
    countries = {cable.country for cable in parse_files(files, jobs=2, tables=tables)}
    assert countries == {"MX"}
    assert {cable.country for cable in parse_files(files[:1])} == {"GT"}


def _posts_override(tmp_path: Path, row: str) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    (data / "posts.csv").write_text(f"station,name,kind,country\n{row}\n")
    return data


def test_check_strict_passes_a_clean_archive_and_fails_any_warning_for_ci(tmp_path: Path) -> None:
    content = _archive(tmp_path, {"seed.txt": SEED.read_text(), "berlin.txt": WRAPPED})
    assert run("check", "--content", str(content), "--strict").returncode == 0
    (content / "data").mkdir()
    (content / "data" / "posts.csv").write_text("station,name,kind,country\nBADROW,only two\n")
    assert run("check", "--content", str(content)).returncode == 0, "a warning alone passes"
    strict = run("check", "--content", str(content), "--strict", "--json")
    assert strict.returncode == 1
    objects = [json.loads(line) for line in strict.stdout.splitlines()]
    assert [o["severity"] for o in objects[:-1]] == ["warning"]
    assert objects[-1]["warnings"] == 1 and objects[-1]["errors"] == 0
