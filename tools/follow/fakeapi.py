"""A standalone fake Anthropic API speaking every provider's wire format, on loopback only.

Stdlib only (``http.server`` + ``ThreadingHTTPServer``), so the harness, the project's tests and
any script can use it without pytest. It answers:

- first party, Foundry, gateway, Anthropic on AWS / Google Cloud, Mantle: ``POST .../v1/messages``
  (JSON, or SSE when the body says ``"stream": true``) and ``.../v1/messages/count_tokens``;
- Bedrock: ``POST /model/<id>/invoke`` (JSON) and ``/model/<id>/invoke-with-response-stream``
  (AWS event-stream binary framing: CRC32 prelude and message checksums, ``chunk`` events whose
  ``bytes`` are base64 JSON stream events), ``/model/<id>/count-tokens``, and
  ``GET /inference-profiles?type=SYSTEM_DEFINED`` (paginated with ``nextToken``);
- Vertex: ``POST .../publishers/anthropic/models/<id>:rawPredict`` (JSON) and
  ``:streamRawPredict`` (SSE), and ``.../models/count-tokens:rawPredict``;
- any other ``GET``: a small HTML page (a target for ``WebFetch``); anything else: 404.

Scripted replies (``script``/``refuse``/``reply_tool_use``), evaluated in the order added, refuse
models by id substring (404, 403, 529 or any status, in each provider's own error format) or
answer with a ``tool_use`` block (to make Claude Code's main loop call ``Agent`` or ``WebFetch``).
Every request is logged as one JSON object (``requests()``, and one line each in ``log_path``):
model (from the body, or from the URL path on Bedrock and Vertex), max_tokens, thinking,
``output_config.effort``, betas (header and body), speed, stream flag, non-secret headers
(``x-claude-code-agent-id`` included; credentials are dropped, only their header names kept),
the tools offered and what was replied.

Use::

    with FakeAPI() as api:                      # binds 127.0.0.1 on a free port, in a thread
        api.refuse("opus-5-5", 404)
        api.reply_tool_use("Agent", {"description": "d", "prompt": "p",
                                     "subagent_type": "general-purpose"})
        env = {"ANTHROPIC_BASE_URL": api.url, ...}
        ...                                     # run the client
        models = [r["model"] for r in api.requests()]

Run alone: ``python -m tools.follow.fakeapi [--port N] [--log FILE]``.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import contextlib
import json
import os
import re
import shutil
import socket
import ssl
import struct
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Final

__all__ = [
    "LOOPBACK",
    "FakeAPI",
    "Rule",
    "decode_event_stream",
    "encode_event",
    "self_signed_cert",
]

LOOPBACK: Final = ("127.0.0.1", "::1")

# Headers whose values are credentials: never logged (only their names, under "auth").
SECRET_HEADERS: Final = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "x-api-key",
        "api-key",
        "x-goog-api-key",
        "x-amz-security-token",
        "cookie",
        "set-cookie",
    }
)

_BEDROCK = re.compile(
    r"^(?:.*?)/model/(?P<model>[^/]+)/(?P<op>invoke|invoke-with-response-stream|count-tokens)$"
)
_VERTEX = re.compile(
    r"^(?P<prefix>.*?)/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
    r"/publishers/anthropic/models/(?P<model>[^/:]+):(?P<op>rawPredict|streamRawPredict)$"
)
_PROFILES_ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile"

_ERROR_TYPES: Final = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    500: "api_error",
    529: "overloaded_error",
}
_AWS_ERROR_TYPES: Final = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    429: "ThrottlingException",
    503: "ServiceUnavailableException",
    529: "ServiceUnavailableException",
}
# What the API sends with ``stop_reason: "refusal"`` (a scripted refusal's ``stop_details``).
REFUSAL_DETAILS: Final = {"type": "refusal", "category": "cyber"}
_DEFAULT_MESSAGES: Final = {
    404: "model not found",
    403: "You don't have access to the model with the specified model ID.",
    529: "Overloaded",
}


@dataclass
class Rule:
    """One scripted reply. A request matches when every given condition holds and the rule has
    uses left; the first matching rule (in the order added) decides the reply.

    Conditions: ``model_contains`` (substring of the model id; ``None``: any Messages request),
    ``offered_tool`` (the request's ``tools`` include this name), ``main_only`` (no
    ``x-claude-code-agent-id`` header), ``stream`` (only streaming / only non-streaming).
    Reply: ``status`` (an error in the provider's format, or ``body`` verbatim), else a
    ``tool_use`` block calling ``tool`` with ``tool_input``, else a text reply ``text``.
    ``stop_reason`` replaces the reply's ``end_turn``/``tool_use`` (``"refusal"``: the safety
    classifier stopped the answer, with ``stop_details`` ``{"type": "refusal", "category":
    "cyber"}``, what the API sends; ``category`` another category). ``text=""``: no content
    block at all (a refusal before any text).
    """

    model_contains: str | None = None
    status: int | None = None
    message: str | None = None
    body: str | None = None
    tool: str | None = None
    tool_input: Mapping[str, Any] | None = None
    text: str | None = None
    times: int | None = None  # None: always
    offered_tool: str | None = None
    main_only: bool = False
    stream: bool | None = None
    stop_reason: str | None = None
    category: str | None = None
    used: int = 0

    def matches(
        self, model: str | None, tools: list[str], agent_id: str | None, stream: bool
    ) -> bool:
        if self.times is not None and self.used >= self.times:
            return False
        if self.model_contains is not None and (not model or self.model_contains not in model):
            return False
        if self.offered_tool is not None and self.offered_tool not in tools:
            return False
        if self.main_only and agent_id:
            return False
        return self.stream is None or self.stream is stream

    def to_json(self) -> dict[str, Any]:
        return {
            k: v
            for k, v in {
                "model_contains": self.model_contains,
                "status": self.status,
                "tool": self.tool,
                "times": self.times,
                "offered_tool": self.offered_tool,
                "main_only": self.main_only or None,
                "stop_reason": self.stop_reason,
                "category": self.category,
            }.items()
            if v is not None
        }


@dataclass
class _Reply:
    status: int = 200
    tool: str | None = None
    tool_input: Mapping[str, Any] | None = None
    text: str = "Hello from the fake API"
    error: str | None = None
    body: str | None = None
    rule: int | None = None
    stop_reason: str | None = None
    category: str | None = None


# -- AWS event-stream framing --------------------------------------------------------------


def encode_event(headers: Mapping[str, str], payload: bytes) -> bytes:
    """One AWS event-stream message: prelude (total length, headers length, CRC32 of those 8
    bytes), string headers (type 7), payload, CRC32 of everything before it."""
    hbytes = b""
    for name, value in headers.items():
        n, v = name.encode(), value.encode()
        hbytes += struct.pack(">B", len(n)) + n + b"\x07" + struct.pack(">H", len(v)) + v
    total = 12 + len(hbytes) + len(payload) + 4
    prelude = struct.pack(">II", total, len(hbytes))
    prelude += struct.pack(">I", binascii.crc32(prelude) & 0xFFFFFFFF)
    message = prelude + hbytes + payload
    return message + struct.pack(">I", binascii.crc32(message) & 0xFFFFFFFF)


def decode_event_stream(data: bytes) -> list[tuple[dict[str, str], bytes]]:
    """Split an AWS event stream into (string headers, payload), checking both checksums."""
    out: list[tuple[dict[str, str], bytes]] = []
    pos = 0
    while pos < len(data):
        total, hlen, pcrc = struct.unpack(">III", data[pos : pos + 12])
        if binascii.crc32(data[pos : pos + 8]) & 0xFFFFFFFF != pcrc:
            raise ValueError("event stream: prelude checksum mismatch")
        end = pos + total
        (mcrc,) = struct.unpack(">I", data[end - 4 : end])
        if binascii.crc32(data[pos : end - 4]) & 0xFFFFFFFF != mcrc:
            raise ValueError("event stream: message checksum mismatch")
        headers: dict[str, str] = {}
        h = pos + 12
        while h < pos + 12 + hlen:
            nlen = data[h]
            name = data[h + 1 : h + 1 + nlen].decode()
            h += 1 + nlen
            if data[h] != 7:
                raise ValueError(f"event stream: header {name!r} is not a string")
            (vlen,) = struct.unpack(">H", data[h + 1 : h + 3])
            headers[name] = data[h + 3 : h + 3 + vlen].decode()
            h += 3 + vlen
        out.append((headers, data[pos + 12 + hlen : end - 4]))
        pos = end
    return out


def _bedrock_chunk(event: Mapping[str, Any]) -> bytes:
    payload = json.dumps(
        {"bytes": base64.b64encode(json.dumps(event).encode()).decode(), "p": "abcdefgh"}
    ).encode()
    return encode_event(
        {":event-type": "chunk", ":content-type": "application/json", ":message-type": "event"},
        payload,
    )


# -- message bodies ------------------------------------------------------------------------


def _content(reply: _Reply, seq: int) -> list[dict[str, Any]]:
    if reply.tool is not None:
        return [
            {
                "type": "tool_use",
                "id": f"toolu_fake{seq:04d}",
                "name": reply.tool,
                "input": dict(reply.tool_input or {}),
            }
        ]
    return [{"type": "text", "text": reply.text}] if reply.text else []


def _message(model: str | None, reply: _Reply, seq: int) -> dict[str, Any]:
    stop = reply.stop_reason or ("tool_use" if reply.tool is not None else "end_turn")
    msg: dict[str, Any] = {
        "id": f"msg_fake{seq:04d}",
        "type": "message",
        "role": "assistant",
        "model": model or "unknown",
        "content": _content(reply, seq),
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {
            "input_tokens": 10,
            "output_tokens": 5,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 0,
        },
    }
    if stop == "refusal":
        msg["stop_details"] = dict(REFUSAL_DETAILS)
        if reply.category is not None:
            msg["stop_details"]["category"] = reply.category
    return msg


def _stream_events(model: str | None, reply: _Reply, seq: int) -> Iterator[dict[str, Any]]:
    msg = _message(model, reply, seq)
    content = msg["content"]
    start = dict(msg, content=[], stop_reason=None)
    start["usage"] = dict(msg["usage"], output_tokens=1)
    yield {"type": "message_start", "message": start}
    for i, block in enumerate(content):
        if block["type"] == "tool_use":
            yield {
                "type": "content_block_start",
                "index": i,
                "content_block": dict(block, input={}),
            }
            delta = {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}
        else:
            yield {"type": "content_block_start", "index": i, "content_block": dict(block, text="")}
            delta = {"type": "text_delta", "text": block["text"]}
        yield {"type": "content_block_delta", "index": i, "delta": delta}
        yield {"type": "content_block_stop", "index": i}
    end: dict[str, Any] = {"stop_reason": msg["stop_reason"], "stop_sequence": None}
    if "stop_details" in msg:
        end["stop_details"] = msg["stop_details"]
    yield {"type": "message_delta", "delta": end, "usage": {"output_tokens": 5}}
    yield {"type": "message_stop"}


def _beta_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [b.strip() for b in value.split(",") if b.strip()]
    if isinstance(value, list):
        return [str(b) for b in value]
    return []


def _text_head(value: Any, limit: int = 200) -> str | None:
    """The first ``limit`` characters of a system prompt or message content."""
    if isinstance(value, str):
        return value[:limit]
    if isinstance(value, list):
        parts = [
            str(p.get("text", "")) if isinstance(p, dict) else str(p)
            for p in value
            if not isinstance(p, dict) or p.get("type") in (None, "text")
        ]
        return " ".join(parts)[:limit]
    return None


def _tool_result_head(messages: Any) -> str | None:
    """The text of the last message's first ``tool_result`` (what a tool call returned)."""
    if not isinstance(messages, list) or not messages or not isinstance(messages[-1], dict):
        return None
    content = messages[-1].get("content")
    for part in content if isinstance(content, list) else []:
        if isinstance(part, dict) and part.get("type") == "tool_result":
            return _text_head(part.get("content"))
    return None


def _last_user_kinds(messages: Any) -> list[str]:
    if not isinstance(messages, list) or not messages:
        return []
    last = messages[-1]
    content = last.get("content") if isinstance(last, dict) else None
    if isinstance(content, str):
        return ["text"]
    if isinstance(content, list):
        return [str(p.get("type")) for p in content if isinstance(p, dict)]
    return []


# -- the server ----------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    api: FakeAPI

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.open_connections: set[socket.socket] = set()
        self.conn_lock = threading.Lock()

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        with self.conn_lock:
            self.open_connections.add(conn)
        return conn, addr

    def shutdown_request(self, request: Any) -> None:
        with self.conn_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Quiet: a client hanging up (or failing the TLS handshake) is not the server's news."""

    def close_connections(self) -> None:
        """End kept-alive client connections, so no handler thread or socket outlives stop()."""
        with self.conn_lock:
            conns = list(self.open_connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request log is the record."""

    def do_GET(self) -> None:
        self.server.api._handle(self, "GET")

    def do_POST(self) -> None:
        self.server.api._handle(self, "POST")

    def do_PUT(self) -> None:
        self.server.api._handle(self, "PUT")

    def do_DELETE(self) -> None:
        self.server.api._handle(self, "DELETE")

    def do_HEAD(self) -> None:
        self.server.api._handle(self, "HEAD")


@dataclass
class FakeAPI:
    """The fake API. ``start()``/``stop()``, or use it as a context manager."""

    host: str = "127.0.0.1"
    port: int = 0
    log_path: Path | None = None
    profiles: list[str] | None = None
    profile_page_size: int = 50
    # (certificate, key) PEM files: serve HTTPS (e.g. a page for WebFetch, which upgrades
    # http:// to https://); ``self_signed_cert`` makes a pair for 127.0.0.1
    tls: tuple[Path, Path] | None = None
    # GetInferenceProfile answers: profile id or ARN -> the foundation model id it routes to
    application_profiles: dict[str, str] = field(default_factory=dict)
    reply_text: str = "Hello from the fake API"
    page_html: str = "<html><head><title>Fake page</title></head><body><p>Hello.</p></body></html>"
    rules: list[Rule] = field(default_factory=list)
    _log: list[dict[str, Any]] = field(default_factory=list, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)
    _server: _Server | None = field(default=None, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.host not in LOOPBACK:
            raise ValueError(
                f"fakeapi: refusing to bind {self.host!r}: only 127.0.0.1 or ::1 (loopback)"
            )

    # -- life cycle --------------------------------------------------------------------------

    def start(self) -> FakeAPI:
        if self._server is not None:
            return self
        cls = _Server6 if ":" in self.host else _Server
        server = cls((self.host, self.port), _Handler)
        server.api = self
        if self.tls is not None:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(str(self.tls[0]), str(self.tls[1]))
            server.socket = ctx.wrap_socket(server.socket, server_side=True)
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"fakeapi:{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.close_connections()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT`` (``https`` with ``tls``; no trailing slash)."""
        if self._server is None:
            raise RuntimeError("fakeapi: not started")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    # -- scripting ---------------------------------------------------------------------------

    def script(
        self,
        model_contains: str | None = None,
        *,
        status: int | None = None,
        message: str | None = None,
        body: str | None = None,
        tool: str | None = None,
        tool_input: Mapping[str, Any] | None = None,
        text: str | None = None,
        times: int | None = None,
        offered_tool: str | None = None,
        main_only: bool = False,
        stream: bool | None = None,
        stop_reason: str | None = None,
        category: str | None = None,
    ) -> Rule:
        """Add a scripted reply (see ``Rule``) and return it (its ``used`` counts matches)."""
        rule = Rule(
            model_contains=model_contains,
            status=status,
            message=message,
            body=body,
            tool=tool,
            tool_input=tool_input,
            text=text,
            times=times,
            offered_tool=offered_tool,
            main_only=main_only,
            stream=stream,
            stop_reason=stop_reason,
            category=category,
        )
        with self._lock:
            self.rules.append(rule)
        return rule

    def refuse(
        self,
        model_contains: str,
        status: int = 404,
        message: str | None = None,
        times: int | None = None,
    ) -> Rule:
        """Refuse every request whose model contains ``model_contains`` (404, 403, 529, ...)."""
        return self.script(model_contains, status=status, message=message, times=times)

    def reply_refusal(
        self,
        model_contains: str | None = None,
        *,
        times: int | None = None,
        text: str = "I can't help with that.",
        category: str | None = None,
    ) -> Rule:
        """Answer requests whose model contains ``model_contains`` with a 200 whose
        ``stop_reason`` is ``"refusal"`` (the safety classifier stopped the answer);
        ``category``: its ``stop_details.category`` (default ``cyber``); ``text=""``: no
        content block (refused before any text)."""
        return self.script(
            model_contains, text=text, times=times, stop_reason="refusal", category=category
        )

    def reply_tool_use(
        self,
        tool: str,
        tool_input: Mapping[str, Any],
        *,
        model_contains: str | None = None,
        times: int | None = 1,
    ) -> Rule:
        """Answer the main loop's next request that offers ``tool`` with a call to it (once by
        default, so the turn after the tool result gets a text reply)."""
        return self.script(
            model_contains,
            tool=tool,
            tool_input=tool_input,
            times=times,
            offered_tool=tool,
            main_only=True,
        )

    def requests(self) -> list[dict[str, Any]]:
        """A copy of the request log, in arrival order."""
        with self._lock:
            return [dict(r) for r in self._log]

    def models(self, kind: str | None = None) -> list[str]:
        """The model of every Messages request (``kind``: only that endpoint kind)."""
        return [
            r["model"] or ""
            for r in self.requests()
            if r["kind"] in _MESSAGE_KINDS and (kind is None or r["kind"] == kind)
        ]

    def clear(self) -> None:
        """Forget the log and the rules (between cases sharing one server)."""
        with self._lock:
            self._log.clear()
            self.rules.clear()

    # -- request handling --------------------------------------------------------------------

    def _handle(self, h: _Handler, method: str) -> None:
        split = urllib.parse.urlsplit(h.path)
        path, query = split.path, split.query
        headers = {k.lower(): v for k, v in h.headers.items()}
        length = int(headers.get("content-length") or 0)
        raw = h.rfile.read(length) if length > 0 else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {}

        kind, model, location = self._route(method, path)
        if kind == "bedrock-count-tokens":
            body = _unwrap_bedrock_count(body)
        if model is None and kind in _MESSAGE_KINDS | {"count_tokens"}:
            m = body.get("model")
            model = m if isinstance(m, str) else None
        stream = kind in ("bedrock-stream", "vertex-stream") or (
            kind in ("messages", "vertex") and body.get("stream") is True
        )
        tools = [
            str(t.get("name"))
            for t in body.get("tools") or []
            if isinstance(t, dict) and t.get("name") is not None
        ]
        agent_id = headers.get("x-claude-code-agent-id")

        reply = _Reply(text=self.reply_text)
        with self._lock:
            seq = len(self._log) + 1
            if kind in _MESSAGE_KINDS:
                for i, rule in enumerate(self.rules):
                    if rule.matches(model, tools, agent_id, stream):
                        rule.used += 1
                        reply = _Reply(
                            status=rule.status or 200,
                            tool=rule.tool,
                            tool_input=rule.tool_input,
                            text=self.reply_text if rule.text is None else rule.text,
                            error=None
                            if rule.status is None
                            else rule.message or _DEFAULT_MESSAGES.get(rule.status, "error"),
                            body=rule.body,
                            rule=i,
                            stop_reason=rule.stop_reason,
                            category=rule.category,
                        )
                        break
            record = self._record(
                seq=seq,
                method=method,
                path=path,
                query=query,
                kind=kind,
                model=model,
                location=location,
                body=body,
                headers=headers,
                tools=tools,
                stream=stream,
                reply=reply,
            )
            self._log.append(record)
            if self.log_path is not None:
                with self.log_path.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(record, sort_keys=True) + "\n")

        if kind == "profiles":
            self._send_json(h, 200, self._profiles_page(query))
        elif kind == "profile":
            self._send_profile(h, model or "")
        elif kind == "page":
            self._send(h, 200, self.page_html.encode(), "text/html; charset=utf-8")
        elif kind == "unknown":
            self._send_json(
                h,
                404,
                {
                    "type": "error",
                    "error": {"type": "not_found_error", "message": f"no route {path}"},
                },
            )
        elif reply.status != 200:
            self._send_error(h, kind, reply)
        elif kind in ("count_tokens", "vertex-count-tokens"):
            self._send_json(h, 200, {"input_tokens": 10})
        elif kind == "bedrock-count-tokens":
            self._send_json(h, 200, {"inputTokens": 10})
        elif kind == "bedrock-stream":
            frames = b"".join(_bedrock_chunk(e) for e in _stream_events(model, reply, seq))
            self._send(h, 200, frames, "application/vnd.amazon.eventstream")
        elif stream:
            sse = "".join(
                f"event: {e['type']}\ndata: {json.dumps(e)}\n\n"
                for e in _stream_events(model, reply, seq)
            )
            self._send(h, 200, sse.encode(), "text/event-stream; charset=utf-8")
        else:
            self._send_json(h, 200, _message(model, reply, seq))

    @staticmethod
    def _route(method: str, path: str) -> tuple[str, str | None, str | None]:
        """(kind, model from the URL path, Vertex location)."""
        if method == "GET" and path.rstrip("/").endswith("/inference-profiles"):
            return "profiles", None, None
        if method == "GET" and "/inference-profiles/" in path:
            return "profile", urllib.parse.unquote(path.rsplit("/inference-profiles/", 1)[1]), None
        if method != "POST":
            return ("page" if method in ("GET", "HEAD") else "unknown"), None, None
        b = _BEDROCK.match(path)
        if b:
            model = urllib.parse.unquote(b["model"])
            op = {"invoke": "bedrock", "invoke-with-response-stream": "bedrock-stream"}
            return op.get(b["op"], "bedrock-count-tokens"), model, None
        v = _VERTEX.match(path)
        if v:
            model = urllib.parse.unquote(v["model"])
            if model == "count-tokens":
                return "vertex-count-tokens", None, v["location"]
            kind = "vertex-stream" if v["op"] == "streamRawPredict" else "vertex"
            return kind, model, v["location"]
        if path.rstrip("/").endswith("/v1/messages/count_tokens"):
            return "count_tokens", None, None
        if path.rstrip("/").endswith("/v1/messages"):
            return "messages", None, None
        return "unknown", None, None

    @staticmethod
    def _record(
        *,
        seq: int,
        method: str,
        path: str,
        query: str,
        kind: str,
        model: str | None,
        location: str | None,
        body: dict[str, Any],
        headers: dict[str, str],
        tools: list[str],
        stream: bool,
        reply: _Reply,
    ) -> dict[str, Any]:
        output_config = body.get("output_config")
        effort = output_config.get("effort") if isinstance(output_config, dict) else None
        betas_header = _beta_list(headers.get("anthropic-beta"))
        betas_body = _beta_list(body.get("anthropic_beta"))
        messages = body.get("messages")
        user_head = None
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            user_head = _text_head(messages[0].get("content"))
        return {
            "seq": seq,
            "method": method,
            "path": path,
            "query": query,
            "kind": kind,
            "model": model,
            "location": location,
            "stream": stream,
            "max_tokens": body.get("max_tokens"),
            "thinking": body.get("thinking"),
            "effort": effort,
            "output_config": output_config,
            "betas": sorted(set(betas_header) | set(betas_body)),
            "betas_header": betas_header,
            "betas_body": betas_body,
            "speed": body.get("speed"),
            "agent_id": headers.get("x-claude-code-agent-id"),
            "tools": tools,
            "system_head": _text_head(body.get("system")),
            "user_head": user_head,
            "n_messages": len(messages) if isinstance(messages, list) else None,
            "last_user": _last_user_kinds(messages),
            "tool_result": _tool_result_head(messages),
            "headers": {k: v for k, v in headers.items() if k not in SECRET_HEADERS},
            "auth": sorted(k for k in headers if k in SECRET_HEADERS),
            "reply": {
                "status": reply.status if kind in _MESSAGE_KINDS else None,
                "tool": reply.tool,
                "rule": reply.rule,
                "stop_reason": reply.stop_reason,
            },
        }

    def _profiles_page(self, query: str) -> dict[str, Any]:
        params = urllib.parse.parse_qs(query)
        items = list(self.profiles or [])
        try:
            start = int((params.get("nextToken") or ["0"])[0])
            size = int((params.get("maxResults") or [str(self.profile_page_size)])[0])
        except ValueError:
            start, size = 0, self.profile_page_size
        size = max(1, min(size, self.profile_page_size))
        page = items[start : start + size]
        out: dict[str, Any] = {
            "inferenceProfileSummaries": [
                {
                    "inferenceProfileName": p,
                    "inferenceProfileId": p,
                    "inferenceProfileArn": f"{_PROFILES_ARN}/{p}",
                    "description": p,
                    "models": [],
                    "status": "ACTIVE",
                    "type": "SYSTEM_DEFINED",
                }
                for p in page
            ]
        }
        if start + size < len(items):
            out["nextToken"] = str(start + size)
        return out

    def _send_profile(self, h: _Handler, ident: str) -> None:
        """``GetInferenceProfile``: an application profile of ``application_profiles``, else
        404 ``ResourceNotFoundException`` as Bedrock answers."""
        target = self.application_profiles.get(ident)
        if target is None:
            self._send(
                h,
                404,
                json.dumps({"message": f"Inference profile {ident} not found"}).encode(),
                "application/json",
                {"x-amzn-ErrorType": "ResourceNotFoundException"},
            )
            return
        arn = ident if ident.startswith("arn:") else f"{_PROFILES_ARN}/{ident}"
        self._send_json(
            h,
            200,
            {
                "inferenceProfileName": ident.rsplit("/", 1)[-1],
                "inferenceProfileArn": arn,
                "inferenceProfileId": ident.rsplit("/", 1)[-1],
                "models": [{"modelArn": f"arn:aws:bedrock:us-east-1::foundation-model/{target}"}],
                "status": "ACTIVE",
                "type": "APPLICATION",
            },
        )

    def _send_error(self, h: _Handler, kind: str, reply: _Reply) -> None:
        extra = {"retry-after": "0", "request-id": "req_fake"}
        if reply.body is not None:
            self._send(h, reply.status, reply.body.encode(), "application/json", extra)
            return
        message = reply.error or "error"
        if kind.startswith("bedrock"):
            extra["x-amzn-ErrorType"] = _AWS_ERROR_TYPES.get(reply.status, "ServiceException")
            payload: dict[str, Any] = {"message": message}
        else:
            err_type = _ERROR_TYPES.get(reply.status, "api_error")
            payload = {"type": "error", "error": {"type": err_type, "message": message}}
        self._send(h, reply.status, json.dumps(payload).encode(), "application/json", extra)

    def _send_json(self, h: _Handler, status: int, payload: Any) -> None:
        self._send(h, status, json.dumps(payload).encode(), "application/json")

    @staticmethod
    def _send(
        h: _Handler,
        status: int,
        data: bytes,
        content_type: str,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", content_type)
            h.send_header("Content-Length", str(len(data)))
            for k, v in (extra or {}).items():
                h.send_header(k, v)
            h.end_headers()
            if h.command != "HEAD":
                h.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass


_MESSAGE_KINDS: Final = frozenset(
    {"messages", "bedrock", "bedrock-stream", "vertex", "vertex-stream"}
)


def self_signed_cert(folder: Path) -> tuple[Path, Path]:
    """A certificate and key for ``127.0.0.1`` and ``localhost`` (two days), made with the
    ``openssl`` command; give the certificate to the client (``NODE_EXTRA_CA_CERTS`` for
    Claude Code)."""
    system = os.pathsep.join(["/usr/bin", "/bin", "/usr/local/bin"])
    openssl = shutil.which("openssl", path=system) or shutil.which("openssl")
    if openssl is None:
        raise RuntimeError("fakeapi: the openssl command is needed to make a TLS certificate")
    cert, key = folder / "fakeapi-cert.pem", folder / "fakeapi-key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True,
        capture_output=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder)},
    )  # fmt: skip
    return cert, key


def _unwrap_bedrock_count(body: dict[str, Any]) -> dict[str, Any]:
    """Bedrock CountTokens wraps the InvokeModel body: ``{"input": {"invokeModel": {"body":
    base64}}}``. Log the inner body's fields."""
    try:
        inner = body["input"]["invokeModel"]["body"]
        decoded = json.loads(base64.b64decode(inner) if isinstance(inner, str) else b"{}")
    except (KeyError, TypeError, ValueError):
        return body
    return decoded if isinstance(decoded, dict) else body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.follow.fakeapi",
        description="Serve the fake multi-provider API on loopback until interrupted.",
    )
    parser.add_argument("--host", default="127.0.0.1", choices=LOOPBACK)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", type=Path, help="append one JSON line per request to FILE")
    parser.add_argument("--refuse", action="append", default=[], metavar="SUBSTRING:STATUS")
    args = parser.parse_args(argv)
    api = FakeAPI(host=args.host, port=args.port, log_path=args.log)
    for spec in args.refuse:
        sub, _, status = spec.rpartition(":")
        if not sub or not status.isdigit():
            parser.error(f"--refuse {spec!r}: expected SUBSTRING:STATUS, e.g. opus-5-5:404")
        api.refuse(sub, int(status))
    with api:
        print(api.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
