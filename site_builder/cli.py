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

# Where `build` writes the site, `serve` serves it and `preview` looks for it.
DEFAULT_OUT = Path("public")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="site-builder",
        description="Build an annotated, searchable static site from an archive of cables.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the site")
    _site_options(build)
    build.add_argument("--base-url", help="the URL path (or full URL) the site is served under")
    build.add_argument("--strict", action="store_true", help="fail on any warning or error")
    build.add_argument("--no-search", action="store_true", help="skip the search index")
    build.add_argument("--jobs", type=_positive, help="worker processes (default: all cores)")
    build.add_argument(
        "--search-shard-size",
        type=_positive,
        help="cable pages per search index shard (default 2,500)",
    )
    build.set_defaults(run=_run_build)

    serve = commands.add_parser("serve", help="build, then serve the site")
    _site_options(serve)
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=_run_serve)

    preview = commands.add_parser(
        "preview", help="serve the built site as the host would, with netlify.toml's headers"
    )
    preview.add_argument("--out", type=Path, default=DEFAULT_OUT)
    preview.add_argument("--host", default="127.0.0.1")
    preview.add_argument("--port", type=int, default=8000)
    preview.add_argument("--config", type=Path, default=Path("netlify.toml"))
    preview.set_defaults(run=_run_preview)

    parse = commands.add_parser("parse", help="print one JSON object per cable")
    parse.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="files or folders")
    parse.add_argument("--format", choices=["jsonl"], default="jsonl")
    parse.set_defaults(run=_run_parse)

    check = commands.add_parser("check", help="parse and validate the content, write nothing")
    check.add_argument("--content", type=Path, default=Path("content"))
    check.add_argument("--json", action="store_true", help="print problems as JSON lines")
    check.add_argument("--strict", action="store_true", help="exit 1 on any warning")
    check.add_argument(
        "--people", action="store_true", help="list titled names to curate, with counts"
    )
    check.set_defaults(run=_run_check)

    imports = commands.add_parser("import", help="import cables into the archive as text files")
    imports.add_argument("form", choices=["wikileaks-html", "cables-csv", "text"])
    imports.add_argument("src", type=Path, metavar="SRC", help="the page, CSV file or folder")
    imports.add_argument("--into", type=Path, default=Path("content/cables"))
    imports.set_defaults(run=_run_import)

    synth = commands.add_parser("synth", help="write a synthetic archive derived from real cables")
    synth.add_argument("count", type=int, metavar="N", help="how many cables")
    synth.add_argument("--into", type=Path, required=True, help="a new or empty folder")
    synth.add_argument("--seed", type=int, default=0, help="the same seed gives the same bytes")
    synth.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=Path("content/cables"),
        help="the folder of real cables to derive from (default content/cables)",
    )
    synth.add_argument("--jobs", type=_positive, help="worker processes (default: all cores)")
    synth.set_defaults(run=_run_synth)
    return parser


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--content", type=Path, default=Path("content"))
    command.add_argument("--out", type=Path, default=DEFAULT_OUT)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def _run_build(args: argparse.Namespace) -> int:
    from site_builder.commands.build import run_build

    return run_build(
        args.content,
        args.out,
        sys.stdout,
        sys.stderr,
        base_url=args.base_url,
        strict=args.strict,
        search=not args.no_search,
        jobs=args.jobs,
        shard_size=args.search_shard_size,
    )


def _run_serve(args: argparse.Namespace) -> int:
    from site_builder.commands.serve import run_serve

    return run_serve(args.content, args.out, args.host, args.port, sys.stdout, sys.stderr)


def _run_preview(args: argparse.Namespace) -> int:
    from site_builder.commands.preview import run_preview

    return run_preview(args.out, args.host, args.port, args.config, sys.stdout, sys.stderr)


def _run_parse(args: argparse.Namespace) -> int:
    from site_builder.commands.parse import run_parse

    return run_parse(args.paths, sys.stdout, sys.stderr)


def _run_check(args: argparse.Namespace) -> int:
    from site_builder.commands.check import run_check

    return run_check(
        args.content, sys.stdout, as_json=args.json, strict=args.strict, people=args.people
    )


def _run_import(args: argparse.Namespace) -> int:
    from site_builder.importers import run_import

    return run_import(args.form, args.src, args.into, sys.stdout)


def _run_synth(args: argparse.Namespace) -> int:
    from site_builder.synth import run_synth

    return run_synth(args.count, args.into, args.seed, args.source, sys.stdout, jobs=args.jobs)


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
        print(f"site-builder: error: {_system_error(error)}", file=sys.stderr)
        return EXIT_CONTENT


def _system_error(error: OSError) -> str:
    """What the system refused, and where: `public/x.html: No space left on device`."""
    if error.filename is None or not error.strerror:
        return str(error)
    return f"{error.filename}: {error.strerror}"


if __name__ == "__main__":
    raise SystemExit(main())
