"""`site-builder serve`: build, serve with live reload, rebuild as the sources change.

The stages of a session: the first build (a whole new folder, as `build` makes it; the
search index comes later, in the background), then the HTTP server in the main thread,
the watchers and the rebuilder in background threads. Ctrl-C (or SIGTERM) stops the
watchers, cancels any search pass, lets a build in progress finish moving its files in,
ends every page's event stream, and records the state for the next start.
"""

from __future__ import annotations

import dataclasses
import functools
import threading
from pathlib import Path
from typing import TextIO

from site_builder.build import build
from site_builder.commands.build import print_problems
from site_builder.commands.serving import (
    announce,
    serve_until_interrupted,
    terminate_as_interrupt,
)
from site_builder.errors import EXIT_OK
from site_builder.model import Severity
from site_builder.output import refuse_unsafe_output
from site_builder.progress import Progress
from site_builder.report import BuildFailed
from site_builder.serve.live import LiveChannel
from site_builder.serve.locks import ReadWriteLock
from site_builder.serve.rebuild import Rebuilder
from site_builder.serve.server import DevServer
from site_builder.serve.watch import start_watching
from site_builder.session import Session
from site_builder.site import Site, load_site


def run_serve(
    content: Path, out: Path, host: str, port: int, out_stream: TextIO, err: TextIO
) -> int:
    """Serve the site until interrupted; exit 0 after a clean stop."""
    with terminate_as_interrupt():
        return _serve(content, out, host, port, out_stream, err)


def _serve(content: Path, out: Path, host: str, port: int, out_stream: TextIO, err: TextIO) -> int:
    """The first build, then serving while the watchers and the rebuilder work."""

    def make_site() -> Site:
        return dataclasses.replace(load_site(content, out), keep_asset_names=True)

    refuse_unsafe_output(make_site())
    lock, channel = ReadWriteLock(), LiveChannel()
    session = Session(lock=lock.writing)
    rebuilder = Rebuilder(make_site, session, channel, out_stream, err)
    _first_build(rebuilder, out_stream, err)
    out.mkdir(parents=True, exist_ok=True)
    server = DevServer(host, port, rebuilder.site, lock, channel)
    said = f"serving {out} at {server.url} (watching for changes; Ctrl-C stops)"
    announce(server, said, out_stream, err)
    stop = threading.Event()
    start_watching(rebuilder.site, rebuilder.receive, stop)
    builder = threading.Thread(target=rebuilder.run, args=(stop,), name="rebuild", daemon=True)
    builder.start()
    serve_until_interrupted(
        server,
        functools.partial(_stop, stop, session, builder, channel, server, rebuilder),
        out_stream,
    )
    return EXIT_OK


def _first_build(rebuilder: Rebuilder, out_stream: TextIO, err: TextIO) -> None:
    """Build the whole site; a failure is shown, and served, until an edit fixes it."""
    try:
        report = build(rebuilder.site, Progress.for_stream(err), rebuilder.session)
    except BuildFailed as failure:
        print_problems(failure.report, err)
        err.write(f"site-builder: error: {failure}\n")
        errors = [p for p in failure.report.problems if p.severity is Severity.ERROR]
        rebuilder.channel.broken([str(p) for p in errors] or [str(failure)])
        return
    print_problems(report, err)
    out_stream.write(report.summary() + "\n")
    rebuilder.start(report)


def _stop(
    stop: threading.Event,
    session: Session,
    builder: threading.Thread,
    channel: LiveChannel,
    server: DevServer,
    rebuilder: Rebuilder,
) -> None:
    stop.set()
    session.cancel.set()
    builder.join()  # a build moving files in finishes first: nothing is left half-written
    channel.close()
    server.server_close()
    rebuilder.save()
