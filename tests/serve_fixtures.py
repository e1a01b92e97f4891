"""The dev server as maintainers run it: `site-builder serve` in its own process, over a
copy of the corpus, watched for real, with a Server-Sent Events client to listen to it;
and `site-builder preview` of the built corpus, as a deploy is tested.

conftest.py loads this module as a plugin, for the servers' HTTP and browser tests.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.site_fixtures import CORPUS_CABLES, NETLIFY_TOML, ROOT, SEED, BuiltSite

SEED_FILE = "000_55eda599993d17d9.txt"  # the seed cable, 07GUATEMALA1906
SEED_PAGE = "/cable/2007/09/07GUATEMALA1906.html"
SEED_SUBJECT = "SUBJECT: DEMARCHE ON TIP TIER 2 WATCH ACTION PLAN (2007-08)"
STARTUP_SECONDS = 180
EVENT_SECONDS = 30


@dataclass
class Served:
    """A running `site-builder serve`: its site folder, its URL, and what it printed."""

    folder: Path
    url: str
    process: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)

    @property
    def content(self) -> Path:
        return self.folder / "content"

    def get(self, path: str, raw: bool = False) -> tuple[int, dict[str, str], bytes]:
        """GET a path as sent (`raw`: not normalised by any client): status, headers, body."""
        address = urlsplit(self.url)
        connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
        try:
            connection.putrequest("GET", path, skip_accept_encoding=True)
            connection.endheaders()
            response = connection.getresponse()
            headers = {k.lower(): v for k, v in response.getheaders()}
            return response.status, headers, response.read()
        finally:
            connection.close()

    def page(self, path: str) -> str:
        status, _, body = self.get(path)
        assert status == 200, f"{path}: HTTP {status}"
        return body.decode()

    def printed(self) -> str:
        return "\n".join(self.lines)

    def stop(self) -> int:
        """Ctrl-C, as a terminal sends it (to the whole process group); the exit code."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            last = "\n".join(self.lines[-40:])
            message = f"serve did not stop within 60 s of Ctrl-C; it said:\n{last}"
            raise AssertionError(message) from None


class Events:
    """Server-Sent Events from `/__live/events`, read by a thread into a queue."""

    def __init__(self, url: str) -> None:
        address = urlsplit(url)
        self.connection = http.client.HTTPConnection(
            address.hostname or "", address.port, timeout=EVENT_SECONDS * 4
        )
        self.connection.request("GET", "/__live/events")
        self.response = self.connection.getresponse()
        assert self.response.status == 200
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.received: queue.Queue[tuple[str, dict[str, object]]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        name = ""
        try:
            for raw in self.response:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    name = line[len("event: ") :]
                elif line.startswith("data: "):
                    self.received.put((name, json.loads(line[len("data: ") :])))
        except (OSError, ValueError):
            return

    def wait_for(
        self, *names: str, timeout: float = EVENT_SECONDS
    ) -> tuple[str, dict[str, object]]:
        """The next event named one of `names` (others are passed over)."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                name, data = self.received.get(timeout=left)
            except queue.Empty:
                break
            if name in names:
                return name, data
        raise AssertionError(f"no {' or '.join(names)} event within {timeout} s")

    def close(self) -> None:
        self.connection.close()


def make_site(folder: Path, corpus: bool) -> Path:
    """A site folder: the seed (and the corpus), the seed's notes and people, and the
    site's own copies of the cable template and stylesheet (for the tests to break)."""
    content = folder / "content"
    cables = content / "cables"
    cables.mkdir(parents=True)
    for path in sorted((SEED / "cables").glob("*.txt")):
        shutil.copyfile(path, cables / path.name)
    if corpus:
        for path in sorted(CORPUS_CABLES.glob("*.txt")):
            shutil.copyfile(path, cables / path.name)
    for part in ("annotations", "people", "pages"):
        if (SEED / part).is_dir():
            shutil.copytree(SEED / part, content / part)
    (folder / "templates").mkdir()
    shutil.copyfile(ROOT / "templates" / "cable.html", folder / "templates" / "cable.html")
    (folder / "static").mkdir()
    shutil.copyfile(ROOT / "static" / "site.css", folder / "static" / "site.css")
    return folder


def _interruptible() -> None:
    """Ctrl-C at its default, as in a terminal: a shell's background job (a benchmark run
    with `&`) passes it on ignored, and Python then leaves it ignored."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_server(folder: Path, *options: str, startup: float = STARTUP_SECONDS) -> Served:
    """Run `site-builder serve` in `folder` on a free port; wait (up to `startup`
    seconds) until it serves."""
    command = [sys.executable, "-m", "site_builder.cli", "serve", "--port", "0", *options]
    environment = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        command,
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=environment,
        start_new_session=True,  # a process group of its own, as a terminal's job
        preexec_fn=_interruptible,
    )
    served = Served(folder, "", process)
    ready = threading.Event()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            served.lines.append(line.rstrip("\n"))
            found = re.search(r"serving .* at (http://\S+)", line)
            if found:
                served.url = found.group(1).rstrip("/")
                ready.set()
        ready.set()

    threading.Thread(target=read, daemon=True).start()
    if not ready.wait(startup) or not served.url:
        process.kill()
        pytest.fail(f"serve did not start:\n{served.printed()}")
    return served


@contextmanager
def serving(folder: Path, *options: str, startup: float = STARTUP_SECONDS) -> Iterator[Served]:
    served = start_server(folder, *options, startup=startup)
    try:
        yield served
    finally:
        served.stop()


def start_preview(out: Path) -> Served:
    """`site-builder preview` of a built folder, with netlify.toml, on a free port."""
    command = [sys.executable, "-m", "site_builder.cli", "preview", "--out", str(out)]
    process = subprocess.Popen(
        [*command, "--port", "0", "--config", str(NETLIFY_TOML)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
        start_new_session=True,
        preexec_fn=_interruptible,
    )
    assert process.stdout is not None
    said: list[str] = []
    for line in process.stdout:  # its warnings, then where it serves
        said.append(line.rstrip("\n"))
        found = re.search(r"previewing .* at (http://\S+)", line)
        if found is not None:
            return Served(out.parent, found.group(1).rstrip("/"), process, said)
    process.wait()
    pytest.fail("preview did not start:\n" + "\n".join(said))


@contextmanager
def previewing(out: Path) -> Iterator[Served]:
    served = start_preview(out)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture(scope="module")
def previewed(corpus_site: BuiltSite) -> Iterator[Served]:
    """The corpus site, served by `site-builder preview` with the repository's netlify.toml."""
    with previewing(corpus_site.out) as served:
        yield served


@pytest.fixture(scope="module")
def dev_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The corpus and the seed, served by `site-builder serve` with its search index made."""
    if not list(CORPUS_CABLES.glob("*.txt")):
        pytest.fail(f"no corpus cables in {CORPUS_CABLES} (set CABLE_SHARED)")
    folder = make_site(tmp_path_factory.mktemp("dev-site"), corpus=True)
    with serving(folder) as served:
        wait_until(lambda: "search index updated" in served.printed(), STARTUP_SECONDS)
        yield served


@contextmanager
def edited(path: Path, old: str, new: str) -> Iterator[None]:
    """The file with `old` replaced by `new` for the block; as it was afterwards."""
    original = path.read_text(encoding="utf-8")
    assert old in original, f"{path}: no {old!r} to replace"
    path.write_text(original.replace(old, new, 1), encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def wait_until(condition: object, seconds: float) -> None:
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still not so after {seconds} s")
        time.sleep(0.05)


def pagefind_running(folder: Path) -> bool:
    """Whether a Pagefind process is at work in the site folder `folder`."""
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")[0]
            here = os.readlink(entry / "cwd")
        except OSError:
            continue
        if b"pagefind" in command and here == str(folder):
            return True
    return False


def climbing_paths(cable_file: str) -> list[str]:
    """Paths that try to climb out of a served output folder, in several encodings: to
    the system's password file, and to the content's cable `cable_file` beside the output."""
    return [
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E/",
        "/cable/..%2f..%2f..%2fetc/passwd",
        "/static/%2e%2e/%2e%2e/content/cables/" + cable_file,
    ]


def assert_nothing_leaks(served: Served, path: str) -> None:
    """`path`, sent as it is, is refused or not found, and no system file or cable text
    comes back."""
    status, _, body = served.get(path, raw=True)
    assert status in (403, 404)
    assert b"root:" not in body and b"VZCZC" not in body
