"""Issue 5, faults: a server that resets the connection or closes mid-reply gives one clear
line in bounded time, and a refused model still walks the fallback chain before the fault.

Raw loopback sockets play the broken server, so the failure is real TCP, not a mock."""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.live_helpers import env_for
from tests.loopback import read_request

Behaviour = Callable[[socket.socket, bytes], None]


def _reset(conn: socket.socket, _request: bytes) -> None:
    """Abort the connection: SO_LINGER 0 makes close() send an RST."""
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def _cut_mid_body(conn: socket.socket, _request: bytes) -> None:
    """Promise 400 bytes of JSON, send 20, hang up."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        b"Content-Length: 400\r\n\r\n" + b'{"id": "msg_1", "typ'
    )
    conn.close()


def _not_found_for_opus_else_cut(conn: socket.socket, request: bytes) -> None:
    if b"claude-opus" in request:
        body = (
            b'{"type":"error","error":{"type":"not_found_error",'
            b'"message":"model: claude-opus-5-5"}}'
        )
        conn.sendall(
            b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        conn.close()
    else:
        _cut_mid_body(conn, request)


@pytest.fixture
def broken_server(request: pytest.FixtureRequest) -> Iterator[str]:
    behaviour: Behaviour = request.param
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                behaviour(conn, read_request(conn))
            except OSError:
                conn.close()

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}"
    stop.set()
    t.join(2)
    srv.close()


def _ask(sandbox: Sandbox, url: str, *args: str) -> tuple[dict[str, object], float, str]:
    env = base_env(
        sandbox.home,
        {**env_for("firstParty", url), "CLAUDE_CODE_MAX_RETRIES": "1", "API_TIMEOUT_MS": "5000"},
    )
    started = time.monotonic()
    run = run_cli(["ask", "hi", "--json", "-p", *args], env=env, cwd=sandbox.cwd, timeout=60)
    elapsed = time.monotonic() - started
    assert run.code == 1, run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    out: dict[str, object] = run.json()
    return out, elapsed, run.stderr


@pytest.mark.parametrize(
    "broken_server",
    [_reset, _cut_mid_body],
    indirect=True,
    ids=["connection-reset", "closed-mid-reply"],
)
def test_broken_connection_is_one_clear_line_in_bounded_time(
    sandbox: Sandbox, broken_server: str
) -> None:
    out, elapsed, _ = _ask(sandbox, broken_server)
    error = str(out["error"])
    assert out["ok"] is False and out["text"] is None
    assert error.startswith("firstParty: claude-opus-5-5:"), error
    assert "\n" not in error
    assert elapsed < 30


@pytest.mark.parametrize("broken_server", [_not_found_for_opus_else_cut], indirect=True)
def test_fallback_still_walks_before_a_fault(sandbox: Sandbox, broken_server: str) -> None:
    out, _, _ = _ask(sandbox, broken_server, "--fallback-model", "sonnet")
    assert out["models_tried"] == ["claude-opus-5-5", "claude-sonnet-5-5"]
    assert str(out["error"]).startswith("firstParty: claude-sonnet-5-5:")
