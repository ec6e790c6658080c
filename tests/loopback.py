"""Raw loopback servers for the network-hardening tests: each plays one hostile behaviour over
real TCP on 127.0.0.1 (a slow drip, a huge or compressed body, a redirect, a recorder)."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

Behaviour = Callable[[socket.socket, bytes, threading.Event], None]


@dataclass
class Server:
    url: str
    port: int
    requests: list[bytes] = field(default_factory=list)
    connections: int = 0


def read_request(conn: socket.socket) -> bytes:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


@contextmanager
def serve(behaviour: Behaviour | None = None) -> Iterator[Server]:
    """A loopback server running ``behaviour`` per connection (``None``: record and close)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    srv.settimeout(0.1)
    port = srv.getsockname()[1]
    server = Server(f"http://127.0.0.1:{port}", port)
    stop = threading.Event()

    def handle(conn: socket.socket) -> None:
        try:
            request = read_request(conn)
            server.requests.append(request)
            if behaviour is not None:
                behaviour(conn, request, stop)
        except OSError:
            pass
        finally:
            conn.close()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            server.connections += 1
            threading.Thread(target=handle, args=(conn,), daemon=True).start()

    t = threading.Thread(target=loop, daemon=True)
    t.start()
    try:
        yield server
    finally:
        stop.set()
        t.join(2)
        srv.close()


def drip_head(conn: socket.socket, _request: bytes, stop: threading.Event) -> None:
    """Headers, one byte every 0.2 s, never finished."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Pad: " + b"a" * 10_000:
        if stop.wait(0.2):
            return
        conn.sendall(bytes([byte]))


def drip_body(conn: socket.socket, _request: bytes, stop: threading.Event) -> None:
    """A complete head, then a JSON body one byte every 0.2 s, never finished."""
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n"
    )
    for byte in b'{"content": [' + b" " * 100_000:
        if stop.wait(0.2):
            return
        conn.sendall(bytes([byte]))


def message(text: str) -> bytes:
    return json.dumps(
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "m",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }
    ).encode()


def big_body(size: int, *, chunked: bool = False, gzipped: bool = False) -> Behaviour:
    """A valid Messages reply whose text is ``size`` bytes."""
    body = message("x" * size)
    if gzipped:
        body = gzip.compress(body)

    def behave(conn: socket.socket, _request: bytes, stop: threading.Event) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
        if gzipped:
            head += b"Content-Encoding: gzip\r\n"
        if chunked:
            conn.sendall(head + b"Transfer-Encoding: chunked\r\n\r\n")
            for i in range(0, len(body), 65536):
                part = body[i : i + 65536]
                conn.sendall(f"{len(part):x}\r\n".encode() + part + b"\r\n")
                if stop.is_set():
                    return
            conn.sendall(b"0\r\n\r\n")
        else:
            conn.sendall(head + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        time.sleep(0.05)

    return behave


def redirect_to(location: str, status: int = 307) -> Behaviour:
    def behave(conn: socket.socket, _request: bytes, _stop: threading.Event) -> None:
        conn.sendall(
            f"HTTP/1.1 {status} Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\n"
            "Connection: close\r\n\r\n".encode()
        )

    return behave


def answer(conn: socket.socket, _request: bytes, _stop: threading.Event) -> None:
    body = message("hello")
    conn.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )
