"""Shared fixtures: where the shared corpus lives, and the corpus parsed once per session."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from site_builder import quick_edit
from site_builder.model import Cable
from site_builder.stages.parse import parse_files

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("CABLE_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"
CONFORMANCE = SHARED / "conformance" / "cablemap-cases.json"


@pytest.fixture
def whole_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """No edit is built from the store (quick_edit.py parses its few files without the
    parse cache): for tests of what the whole build keeps."""
    monkeypatch.setattr(quick_edit, "MOST_FILES", 0)


@pytest.fixture(scope="session")
def manifest() -> list[dict[str, Any]]:
    """The corpus' ground truth, one entry per cable."""
    entries: list[dict[str, Any]] = json.loads((CORPUS / "manifest.json").read_text())
    return entries


@pytest.fixture(scope="session")
def corpus_cables(manifest: list[dict[str, Any]]) -> dict[str, Cable]:
    """Every corpus cable parsed, keyed by its manifest file name."""
    files = [(CORPUS / entry["file"], entry["file"]) for entry in manifest]
    return {cable.source: cable for cable in parse_files(files)}


def corpus_files_matching(manifest: list[dict[str, Any]], pattern: re.Pattern[str]) -> list[str]:
    """The manifest's file names whose raw text `pattern` finds something in: the cables a
    field's pass rate is measured over."""
    return [
        entry["file"]
        for entry in manifest
        if pattern.search((CORPUS / entry["file"]).read_text(errors="replace"))
    ]


# Fixtures shared by several test modules: the built corpus site, and the dev server.
pytest_plugins = ("tests.site_fixtures", "tests.serve_fixtures")

# Figures the tests measure (pass rates), printed at the end of the run.
FIGURES: list[str] = []


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("measured figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
