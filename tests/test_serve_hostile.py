"""The dev server against hostile clients: paths that try to climb out of the output
folder in every encoding, a 100 KB URL, hundreds of connections at once, clients that
send their request a byte at a time and never finish, pages that vanish from the event
stream. The server stays up, keeps its threads bounded, and keeps serving the others.

`site-builder serve` runs as a real process over a small site; the clients are raw
sockets, so that nothing normalises what they send.
"""

from __future__ import annotations

import contextlib
import http.client
import re
import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from site_builder.serve.connections import CONNECTIONS, HEAD_SECONDS
from site_builder.serve.server import STREAMS
from tests.serve_fixtures import (
    SEED_FILE,
    SEED_PAGE,
    SEED_SUBJECT,
    Events,
    Served,
    edited,
    make_site,
    serving,
    wait_until,
)

SECRET = "a secret beside the output folder"
PROMPT_SECONDS = 3.0  # how soon an ordinary request must be answered, whatever else goes on
IDLE, SLOW, AT_ONCE = 200, 20, 200


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A small site served by `site-builder serve`, with a secret file beside its output."""
    folder = make_site(tmp_path_factory.mktemp("hostile"), corpus=False)
    (folder / "secret.txt").write_text(SECRET)
    with serving(folder) as server:
        yield server


def _address(served: Served) -> tuple[str, int]:
    address = urlsplit(served.url)
    return address.hostname or "", address.port or 80


def _connect(served: Served) -> socket.socket:
    return socket.create_connection(_address(served), timeout=30)


def _status(answer: bytes) -> int:
    found = re.match(rb"HTTP/1\.[01] (\d{3}) ", answer)
    assert found, f"not an HTTP answer: {answer[:80]!r}"
    return int(found.group(1))


def _read_all(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _ask(served: Served, request: bytes) -> bytes:
    """Send `request` as it is, and read the whole answer."""
    with _connect(served) as connection:
        connection.sendall(request)
        return _read_all(connection)


def _prompt_page(served: Served, path: str = SEED_PAGE) -> None:
    """An ordinary client gets a page, and soon."""
    started = time.monotonic()
    status, _, body = served.get(path)
    took = time.monotonic() - started
    assert status == 200 and b"</html>" in body
    assert took < PROMPT_SECONDS, f"{path} took {took:.1f} s"


@pytest.mark.parametrize(
    "path",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e./secret.txt",
        "/%252e%252e/secret.txt",
        "/cable/..%2f..%2fsecret.txt",
        "/cable/%2e%2e%2f%2e%2e%2fsecret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%c0%2e%c0%2e/secret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/cable\\..\\..\\secret.txt",
        "//secret.txt",
        "//../secret.txt",
        "/%2f..%2fsecret.txt",
        "/static//..//..//secret.txt",
        "http://127.0.0.1/../secret.txt",
        "http://evil.example/%2e%2e/secret.txt",
        "/%00/../secret.txt",
        "/index.html%00/../../secret.txt",
        "../secret.txt",
        "/tag%0d%0aLocation:%20/../secret.txt",
        "/static/%2e%2e/%2e%2e/content/cables/" + SEED_FILE,
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    ],
)
def test_nothing_beside_the_output_folder_is_served(served: Served, path: str) -> None:
    answer = _ask(served, f"GET {path} HTTP/1.0\r\n\r\n".encode())
    assert _status(answer) in (400, 403, 404), answer[:200]
    for leaked in (SECRET.encode(), b"VZCZC", b"root:"):
        assert leaked not in answer


def test_a_100_kb_url_is_refused_and_the_server_stays_up(served: Served) -> None:
    answer = _ask(served, b"GET /" + b"a" * 100_000 + b" HTTP/1.0\r\n\r\n")
    assert _status(answer) == 414
    answer = _ask(served, b"GET / HTTP/1.0\r\n" + b"X-Long: " + b"b" * 100_000 + b"\r\n\r\n")
    assert _status(answer) == 431
    _prompt_page(served)


def _threads(served: Served) -> int:
    status = Path(f"/proc/{served.process.pid}/status").read_text()
    found = re.search(r"^Threads:\s+(\d+)$", status, re.MULTILINE)
    assert found
    return int(found.group(1))


@contextmanager
def _slow_clients(served: Served, count: int) -> Iterator[list[socket.socket]]:
    """`count` clients that send a request's head one byte at a time and never finish."""
    clients = [_connect(served) for _ in range(count)]
    head = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Wait: " + b"z" * 10_000
    stop = threading.Event()

    def trickle() -> None:
        for at in range(len(head)):
            for client in clients:
                with contextlib.suppress(OSError):  # closed by the server, as it should be
                    client.send(head[at : at + 1])
            if stop.wait(0.1):
                return

    sender = threading.Thread(target=trickle, daemon=True)
    sender.start()
    try:
        yield clients
    finally:
        stop.set()
        sender.join()


def test_many_connections_and_slow_clients_leave_pages_prompt(served: Served) -> None:
    threads_before = _threads(served)
    idle = [_connect(served) for _ in range(IDLE)]
    try:
        with _slow_clients(served, SLOW) as slow:
            time.sleep(0.5)
            for _ in range(5):
                _prompt_page(served)
                _prompt_page(served, "/")
            eager = [_connect(served) for _ in range(AT_ONCE)]
            for connection in eager:
                connection.sendall(f"GET {SEED_PAGE} HTTP/1.0\r\n\r\n".encode())
            assert _threads(served) < threads_before + 20, "threads stay bounded"
            for connection in eager:
                assert _status(_read_all(connection)) == 200
                connection.close()
            _given_up_on(slow + idle, HEAD_SECONDS + 5)
        _prompt_page(served)
    finally:
        for connection in idle:
            connection.close()


def _given_up_on(clients: list[socket.socket], seconds: float) -> None:
    """The server answers each client 408 and closes it, within `seconds`."""
    deadline = time.monotonic() + seconds
    for client in clients:
        client.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            answer = _read_all(client)
        except TimeoutError as error:
            raise AssertionError("a client that never finished its request is open") from error
        assert _status(answer) == 408
        client.close()


def test_past_the_connection_limit_new_connections_are_turned_away_at_once(
    served: Served,
) -> None:
    extra = 20
    held = [_connect(served) for _ in range(CONNECTIONS + extra)]
    try:
        time.sleep(1)
        refused = []
        for connection in held:
            connection.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                refused.append(_status(connection.recv(4096)))
        assert len(refused) >= extra and set(refused) == {503}, refused
    finally:
        for connection in held:
            connection.close()
    wait_until(lambda: served.get("/")[0] == 200, 10)
    _prompt_page(served)


def _vanish(connection: socket.socket) -> None:
    """Close with a reset, as a crashed browser's connection does."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


def _listening(served: Served) -> socket.socket:
    """A raw event stream, its `hello` read."""
    connection = _connect(served)
    connection.sendall(b"GET /__live/events HTTP/1.0\r\n\r\n")
    received = b""
    while b"event: hello" not in received:
        chunk = connection.recv(4096)
        assert chunk, "the event stream closed"
        received += chunk
    assert _status(received) == 200
    return connection


def _stream_status(served: Served) -> int:
    connection = http.client.HTTPConnection(*_address(served), timeout=30)
    try:
        connection.request("GET", "/__live/events")
        return connection.getresponse().status
    finally:
        connection.close()


def test_pages_that_vanish_from_the_event_stream_leave_the_others_their_events(
    served: Served,
) -> None:
    staying = [Events(served.url) for _ in range(2)]
    try:
        for events in staying:
            events.wait_for("hello")
        vanishing = [_listening(served) for _ in range(STREAMS - len(staying))]
        assert _stream_status(served) == 503, "event streams are bounded"
        for connection in vanishing:
            _vanish(connection)
        _prompt_page(served)
        cable = served.content / "cables" / SEED_FILE
        with edited(cable, SEED_SUBJECT, "SUBJECT: A REWRITTEN DEMARCHE"):
            for events in staying:
                _, data = events.wait_for("reload")
                assert SEED_PAGE in str(data["paths"])
            assert "A REWRITTEN DEMARCHE" in served.page(SEED_PAGE)
            late = Events(served.url)  # the vanished pages' places are free again
            late.wait_for("hello")
            late.close()
        for events in staying:
            events.wait_for("reload")
    finally:
        for events in staying:
            events.close()
