"""A fake Anthropic / Bedrock / Vertex / Foundry API on a loopback pytest-httpserver.

It answers every Messages request the four providers' clients send, records each one (method,
path, model, body, headers), refuses chosen models with 404/403 in each provider's own error
format, plays a script of other replies (529 overloaded, 500, malformed), and lists Bedrock
inference profiles (``GET /inference-profiles``). Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

_BEDROCK = re.compile(r"^/model/(?P<model>[^/]+)/invoke(?P<stream>-with-response-stream)?$")
_VERTEX = re.compile(
    r"^(?P<prefix>.*)/projects/(?P<project>[^/]+)/locations/(?P<location>[^/]+)"
    r"/publishers/anthropic/models/(?P<model>[^/:]+):(?P<spec>rawPredict|streamRawPredict)$"
)


_ARN = "arn:aws:bedrock:us-east-1:123456789012:inference-profile"


@dataclass
class Seen:
    method: str
    path: str  # as sent, still percent-encoded
    model: str | None
    body: dict[str, Any]
    headers: dict[str, str]
    kind: str  # "bedrock" | "vertex" | "messages" | "profiles"
    location: str | None = None
    query: str = ""


@dataclass
class Rule:
    model_contains: str
    status: int
    message: str
    times: int | None = None  # None: always
    body: str | None = None  # a raw body instead of the provider's error format
    used: int = 0


@dataclass
class FakeAPI:
    server: HTTPServer
    seen: list[Seen] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    profiles: list[str] | None = None
    profile_page_size: int = 2
    reply_text: str = "Hello from the fake API"

    def __post_init__(self) -> None:
        self.server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("").rstrip("/")

    def refuse(self, model_contains: str, status: int, message: str | None = None) -> None:
        default = {
            404: "model not found",
            403: "You don't have access to the model with the specified model ID.",
        }
        self.rules.append(Rule(model_contains, status, message or default.get(status, "error")))

    def script(
        self,
        model_contains: str,
        status: int,
        message: str,
        times: int | None = None,
        body: str | None = None,
    ) -> None:
        self.rules.append(Rule(model_contains, status, message, times, body))

    def models(self, kind: str | None = None) -> list[str]:
        return [
            s.model or ""
            for s in self.seen
            if s.kind != "profiles" and (kind is None or s.kind == kind)
        ]

    def messages(self) -> list[Seen]:
        return [s for s in self.seen if s.kind != "profiles"]

    # -- the handler ---------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        raw_path = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
        path = (raw_path or request.path).split("?", 1)[0]
        query = request.query_string.decode()
        headers = {k.lower(): v for k, v in request.headers.items()}
        if request.method == "GET" and request.path.endswith("/inference-profiles"):
            self.seen.append(Seen("GET", path, None, {}, headers, "profiles", query=query))
            return self._profiles(request)
        try:
            body = json.loads(request.get_data(as_text=True) or "{}")
        except ValueError:
            body = {}
        m = _BEDROCK.match(path)
        v = _VERTEX.match(path)
        if m:
            kind, model, location = "bedrock", urllib.parse.unquote(_BEDROCK_SEG(path)), None
        elif v:
            kind, model, location = "vertex", urllib.parse.unquote(v["model"]), v["location"]
        else:
            kind, model, location = "messages", body.get("model"), None
        self.seen.append(Seen(request.method, path, model, body, headers, kind, location, query))
        for rule in self.rules:
            if (
                model
                and rule.model_contains in model
                and (rule.times is None or rule.used < rule.times)
            ):
                rule.used += 1
                return self._error(kind, rule)
        reply = {
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": self.reply_text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 1, "output_tokens": 1},
        }
        return Response(json.dumps(reply), status=200, content_type="application/json")

    def _error(self, kind: str, rule: Rule) -> Response:
        headers = {"retry-after": "0"}
        if rule.body is not None:
            return Response(rule.body, status=rule.status, headers=headers)
        if kind == "bedrock":
            aws_type = {404: "ResourceNotFoundException", 403: "AccessDeniedException"}
            headers["x-amzn-ErrorType"] = aws_type.get(rule.status, "ServiceException")
            payload: dict[str, Any] = {"message": rule.message}
        else:
            types = {
                404: "not_found_error",
                403: "permission_error",
                529: "overloaded_error",
                500: "api_error",
            }
            payload = {
                "type": "error",
                "error": {"type": types.get(rule.status, "api_error"), "message": rule.message},
            }
        return Response(
            json.dumps(payload),
            status=rule.status,
            content_type="application/json",
            headers=headers,
        )

    def _profiles(self, request: Request) -> Response:
        items = list(self.profiles or [])
        start = int(request.args.get("nextToken") or 0)
        page = items[start : start + self.profile_page_size]
        out: dict[str, Any] = {
            "inferenceProfileSummaries": [
                {
                    "inferenceProfileName": p,
                    "inferenceProfileId": p,
                    "inferenceProfileArn": f"{_ARN}/{p}",
                    "models": [],
                    "status": "ACTIVE",
                    "type": "SYSTEM_DEFINED",
                }
                for p in page
            ]
        }
        if start + self.profile_page_size < len(items):
            out["nextToken"] = str(start + self.profile_page_size)
        return Response(json.dumps(out), status=200, content_type="application/json")


def _BEDROCK_SEG(path: str) -> str:  # noqa: N802 - reads as the pattern it pairs with
    """The still-encoded model segment of ``/model/<seg>/invoke``."""
    return path.split("/model/", 1)[1].rsplit("/invoke", 1)[0]
