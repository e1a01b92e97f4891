"""`site-builder preview`: serve a built site as the host serves it, to test a deploy.

Nothing is built and nothing is watched: the output folder is served as it is, with the
headers netlify.toml gives each path (matched by Netlify's rules, `deploy/netlify.py`),
the `_redirects` file of the output folder applied, folders answered by their
`index.html` (and `/x` sent to `/x/`), and the site's `404.html`, with status 404, for
whatever is missing. Paths are checked as the dev server checks them (the same handler
underneath, `serve/handler.py`): nothing outside the output folder is ever served.
"""

from __future__ import annotations

import os
from http import HTTPStatus
from pathlib import Path
from typing import TextIO
from urllib.parse import unquote, urlsplit

from site_builder.commands.serving import (
    announce,
    serve_until_interrupted,
    terminate_as_interrupt,
)
from site_builder.deploy import redirects
from site_builder.deploy.netlify import HostHeaders, load_headers
from site_builder.errors import EXIT_CONTENT, EXIT_OK, UsageError
from site_builder.model import Problem, Severity
from site_builder.serve.handler import Refused, StaticHandler
from site_builder.serve.locks import ReadWriteLock
from site_builder.serve.server import SiteServer

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
KNOWN_STATUSES = frozenset(status.value for status in HTTPStatus)


class PreviewServer(SiteServer):
    """The output folder at the root of the address, with the host's headers and
    redirects."""

    def __init__(
        self,
        host: str,
        port: int,
        root: Path,
        headers: HostHeaders,
        rules: list[redirects.Rule],
    ) -> None:
        self.headers = headers
        self.rules = rules
        # Nothing rebuilds the folder while it is served: the lock is never taken to write.
        super().__init__(host, port, root, "/", PreviewHandler, ReadWriteLock())


class PreviewHandler(StaticHandler):
    """The dev server's file answers, with the host's headers in place of its own, after
    the site's `_redirects` rules."""

    server: PreviewServer

    def _answer(self, send_body: bool) -> None:
        path = urlsplit(self.path).path
        found = redirects.resolve(self.server.rules, path, self._taken)
        if found is None:
            self._answer_file(path, send_body)
            return
        target, status = found
        if status in REDIRECT_STATUSES:
            self._redirect(target, HTTPStatus(status))
        elif target.startswith("/") and status in KNOWN_STATUSES:
            self._answer_file(urlsplit(target).path, send_body, HTTPStatus(status))
        else:
            message = f"{path}: only the host can answer {status} from {target}\n"
            self._send(HTTPStatus.NOT_IMPLEMENTED, ".txt", message.encode(), send_body)

    def _taken(self, path: str) -> bool:
        """Whether the file answer has this path (a file, a folder, or a refusal of a path
        outside the site): a rule that is not forced gives way to it."""
        try:
            relative = self._site_path(path)
            file = self._file_for(relative) if relative is not None else None
        except Refused:
            return True
        return file is None or os.path.isfile(file)

    def _headers(self) -> list[tuple[str, str]]:
        return self.server.headers.for_path(unquote(urlsplit(self.path).path))


def run_preview(
    out: Path, host: str, port: int, config: Path, out_stream: TextIO, err: TextIO
) -> int:
    """Serve `out` with `config`'s headers until interrupted; exit 0 after a clean stop,
    1 when the config does not parse (the host would refuse it too)."""
    if not (out / "index.html").is_file():
        raise UsageError(f"{out}: no built site here (run `site-builder build`, or give --out)")
    if not config.is_file():
        raise UsageError(f"{config}: no such file (give the host's settings with --config)")
    headers, problems = load_headers(config)
    rules = _redirect_rules(out, problems)
    for problem in problems:
        err.write(f"{problem}\n")
    if any(problem.severity is Severity.ERROR for problem in problems):
        return EXIT_CONTENT
    server = PreviewServer(host, port, out, headers, rules)
    said = f"previewing {out} at {server.url} with the headers of {config} (Ctrl-C stops)"
    with terminate_as_interrupt():
        announce(server, said, out_stream, err)
        serve_until_interrupted(server, server.server_close, out_stream)
    return EXIT_OK


def _redirect_rules(out: Path, problems: list[Problem]) -> list[redirects.Rule]:
    """The rules of the site's `_redirects` (none without one); a line the preview cannot
    apply is a warning in `problems`."""
    file = out / redirects.FILE
    if not file.is_file():
        return []
    text = file.read_text(encoding="utf-8", errors="replace")
    return redirects.read_rules(text, problems, source=str(file))
