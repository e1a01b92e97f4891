"""`site-builder parse PATH...`: one JSON object per cable, to standard output."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from site_builder.errors import EXIT_OK, UsageError
from site_builder.parser import to_record
from site_builder.stages.discover import cable_files
from site_builder.stages.parse import parse_files


def run_parse(paths: Sequence[Path], out: TextIO, err: TextIO) -> int:
    """Print the record of every cable file in `paths`; problems go to standard error."""
    try:
        files = cable_files(paths)
    except FileNotFoundError as error:
        raise UsageError(str(error)) from error
    for cable in parse_files([(path, str(path)) for path in files]):
        out.write(json.dumps(to_record(cable), ensure_ascii=False) + "\n")
        for problem in cable.problems:
            err.write(f"{problem}\n")
    return EXIT_OK
