"""`site-builder serve`: build, then serve the output folder over HTTP on loopback."""

from __future__ import annotations

import errno
import functools
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TextIO

from site_builder.commands.build import run_build
from site_builder.errors import EXIT_OK, UsageError


def run_serve(
    content: Path, out: Path, host: str, port: int, out_stream: TextIO, err: TextIO
) -> int:
    """Build the site, then serve it until interrupted."""
    code = run_build(content, out, out_stream, err)
    if code != EXIT_OK:
        return code
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(out))
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on {host} is busy: stop what uses it, or try --port {port + 1}"
            ) from error
        raise
    out_stream.write(f"serving {out} at http://{host}:{port}/ (Ctrl-C stops)\n")
    out_stream.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        out_stream.write("stopped\n")
    finally:
        server.server_close()
    return EXIT_OK
