"""The `site-builder` command line: argument parsing, and exceptions turned into exit codes.

Exit codes (design.md): 0 success (warnings allowed), 1 content errors under
`--strict` or when nothing could be built, 2 usage errors. This is the only place
where an exception becomes an exit code.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from site_builder import __version__
from site_builder.errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, UsageError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Build an annotated, searchable static site from an archive of cables.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="print one JSON object per cable")
    parse.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parse.add_argument("--format", choices=["jsonl"], default="jsonl")
    parse.set_defaults(run=_run_parse)

    check = commands.add_parser("check", help="parse and validate the content, write nothing")
    check.add_argument("--content", type=Path, default=Path("content"))
    check.add_argument("--json", action="store_true", help="print problems as JSON lines")
    check.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    check.set_defaults(run=_run_check)
    return parser


def _run_parse(args: argparse.Namespace) -> int:
    from site_builder.commands.parse import run_parse

    return run_parse(args.paths, sys.stdout, sys.stderr)


def _run_check(args: argparse.Namespace) -> int:
    from site_builder.commands.check import run_check

    return run_check(args.content, sys.stdout, as_json=args.json, strict=args.strict)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except UsageError as error:
        print(f"site-builder: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("site-builder: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as error:
        print(f"site-builder: error: {error}", file=sys.stderr)
        return EXIT_CONTENT


if __name__ == "__main__":
    raise SystemExit(main())
