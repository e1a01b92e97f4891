"""What `serve` and `preview` share: SIGTERM taken as Ctrl-C from their start, and once
their server is made, the line that says where the site is (after a warning when other
machines can reach it), and serving until either, then a clean stop."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from types import FrameType
from typing import TextIO

from site_builder.serve.server import LOOPBACK, SiteServer


def announce(server: SiteServer, line: str, out_stream: TextIO, err: TextIO) -> None:
    """Say where the site is served, after a warning when its address is not loopback:
    other machines can then read it, which `--host` makes easy to do by mistake."""
    host = server.host
    if host not in LOOPBACK:
        err.write(f"warning: --host {host}: any machine that reaches this one sees the site\n")
    out_stream.write(line + "\n")
    out_stream.flush()


def serve_until_interrupted(
    server: SiteServer, stop: Callable[[], None], out_stream: TextIO
) -> None:
    """Serve until Ctrl-C (or SIGTERM, under `terminate_as_interrupt`); then `stop`
    (whatever ended the serving), and say so."""
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        stop()
    out_stream.write("stopped\n")


@contextlib.contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM stops as Ctrl-C does. A command takes it from its first step: a SIGTERM
    that came before (during the dev server's first build, say) would end the process
    at once, unannounced and with nothing stopped in order."""
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt
