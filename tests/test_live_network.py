"""Issue 12 items 17-21: every live request has a total deadline and a body cap, values that go
into a host name are checked, bad settings are one line naming the variable, retries wait a
bounded total. Real loopback servers play the hostile endpoint."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from claude_models.errors import LiveError
from claude_models.live import clients, profiles
from claude_models.live.chain import run_main
from claude_models.live.clients import Call, Reply, fault_line, send
from claude_models.live.probe import validate_model
from claude_models.snapshot import Snapshot
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI
from tests.live_helpers import KEY, env_for, no_sleep, resolution
from tests.loopback import big_body, drip_body, drip_head, serve


def _timed(fn: Callable[[], Any], limit: float) -> tuple[Any, float]:
    """Run ``fn`` in a thread; fail (instead of hanging) when it outlasts ``limit``. The SDK
    is imported first: its import is not the request's time."""
    clients._anthropic()
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the test
            box["error"] = exc

    started = time.monotonic()
    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(limit)
    elapsed = time.monotonic() - started
    assert not t.is_alive(), f"still running after {limit}s: no total deadline"
    if "error" in box:
        raise box["error"]
    return box.get("value"), elapsed


# -- item 17: a total deadline per request -----------------------------------------------------


@pytest.mark.parametrize("behaviour", [drip_head, drip_body], ids=["head", "body"])
def test_slow_drip_hits_the_total_deadline(behaviour: Any) -> None:
    with serve(behaviour) as server:
        env = env_for("firstParty", server.url)
        reply, elapsed = _timed(lambda: send("firstParty", env, Call("m", 1), "hi", timeout=1.0), 6)
    assert isinstance(reply, Reply) and reply.kind == "timeout"
    assert elapsed < 4
    line = fault_line("firstParty", "m", reply, env)
    assert "no reply within 1s" in line and "API_TIMEOUT_MS" in line


def test_validate_slow_drip_names_the_probe_timeout(sandbox: Sandbox) -> None:
    with serve(drip_body) as server:
        extra = {**env_for("firstParty", server.url), "CLAUDE_MODELS_PROBE_TIMEOUT": "1"}
        started = time.monotonic()
        run = run_cli(
            ["validate", "opus"], env=base_env(sandbox.home, extra), cwd=sandbox.cwd, timeout=40
        )
        elapsed = time.monotonic() - started
    assert run.code == 1
    assert "no reply within 1s" in run.stderr
    assert "CLAUDE_MODELS_PROBE_TIMEOUT" in run.stderr and "API_TIMEOUT_MS" not in run.stderr
    assert elapsed < 25  # the interpreter's start-up included, on a loaded machine (was: 40 s+)


def test_ask_slow_drip_stops_at_api_timeout_ms(sandbox: Sandbox) -> None:
    with serve(drip_head) as server:
        extra = {
            **env_for("firstParty", server.url),
            "API_TIMEOUT_MS": "1000",
            "CLAUDE_CODE_MAX_RETRIES": "0",
        }
        run = run_cli(
            ["ask", "hi", "--json"], env=base_env(sandbox.home, extra), cwd=sandbox.cwd, timeout=40
        )
    assert run.code == 1
    assert "no reply within 1s" in run.json()["error"]


def test_profile_listing_has_a_total_deadline() -> None:
    import boto3  # noqa: F401 - imported before the clock starts

    with serve(drip_body) as server:
        env = env_for("bedrock", server.url)
        with pytest.raises(clients._machinery().httpx.TimeoutException):
            _timed(lambda: profiles.list_profiles(env, timeout=1.0), 6)


def test_async_client_has_the_same_deadline() -> None:
    """The hardened client the client helper's async streaming builds on."""

    async def fetch(url: str) -> None:
        async with clients.async_http_client(1.0) as http:
            await http.get(url)

    with serve(drip_body) as server:
        started = time.monotonic()
        with pytest.raises(clients._machinery().httpx.TimeoutException):
            asyncio.run(fetch(server.url))
    assert time.monotonic() - started < 4


# -- item 18: a cap on what is read of a reply -------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [{}, {"chunked": True}, {"gzipped": True}, {"chunked": True, "gzipped": True}],
    ids=["content-length", "chunked", "gzip", "gzip-chunked"],
)
def test_reply_over_the_cap_is_refused(kind: dict[str, bool]) -> None:
    with serve(big_body(1_000_000, **kind)) as server:
        env = {**env_for("firstParty", server.url), "CLAUDE_MODELS_MAX_RESPONSE_BYTES": "100000"}
        reply = send("firstParty", env, Call("m", 1), "hi", timeout=10)
    assert reply.kind == "too_large"
    line = fault_line("firstParty", "m", reply, env)
    assert "\n" not in line
    assert "longer than 100000 bytes" in line and "CLAUDE_MODELS_MAX_RESPONSE_BYTES" in line


def test_reply_under_the_cap_is_read(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.reply_text = "z" * 50_000
    env = {**env_for("firstParty", api.url), "CLAUDE_MODELS_MAX_RESPONSE_BYTES": "100000"}
    assert send("firstParty", env, Call("m", 1), "hi").text == api.reply_text


def test_default_cap_refuses_a_declared_huge_body_before_reading_it() -> None:
    def huge(conn: socket.socket, _request: bytes, stop: threading.Event) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 300000000\r\n\r\n{")
        stop.wait(5)

    with serve(huge) as server:
        reply = send("firstParty", env_for("firstParty", server.url), Call("m", 1), "hi", timeout=3)
    assert reply.kind == "too_large"
    assert reply.message == f"the reply is longer than {clients.DEFAULT_MAX_BODY} bytes"


# -- item 19: values that go into a host name --------------------------------------------------


def _hostile(port: int) -> str:
    return f"x@127.0.0.1:{port}/#"


REGION_CASES: list[tuple[str, Callable[[int], dict[str, str]], str]] = [
    (
        "bedrock",
        lambda p: {
            "CLAUDE_CODE_USE_BEDROCK": "1",
            "AWS_REGION": _hostile(p),
            "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE",
            "AWS_SECRET_ACCESS_KEY": "fakesecretfakesecret",
        },
        "AWS_REGION",
    ),
    (
        "bedrock",
        lambda p: {
            "CLAUDE_CODE_USE_BEDROCK": "1",
            "AWS_DEFAULT_REGION": _hostile(p),
            "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
        },
        "AWS_DEFAULT_REGION",
    ),
    (
        "vertex",
        lambda p: {
            "CLAUDE_CODE_USE_VERTEX": "1",
            "CLOUD_ML_REGION": _hostile(p),
            "ANTHROPIC_VERTEX_PROJECT_ID": "p1",
            "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1",
        },
        "CLOUD_ML_REGION",
    ),
    (
        "vertex",
        lambda p: {
            "CLAUDE_CODE_USE_VERTEX": "1",
            "CLOUD_ML_REGION": "us-east5",
            "VERTEX_REGION_CLAUDE_5_5_OPUS": _hostile(p),
            "ANTHROPIC_VERTEX_PROJECT_ID": "p1",
            "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1",
        },
        "VERTEX_REGION_CLAUDE_5_5_OPUS",
    ),
    (
        "vertex",
        lambda p: {
            "CLAUDE_CODE_USE_VERTEX": "1",
            "CLOUD_ML_REGION": "us-east5",
            "ANTHROPIC_VERTEX_PROJECT_ID": f"p1/../../x@127.0.0.1:{p}",
            "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1",
        },
        "ANTHROPIC_VERTEX_PROJECT_ID",
    ),
    (
        "foundry",
        lambda p: {
            "CLAUDE_CODE_USE_FOUNDRY": "1",
            "ANTHROPIC_FOUNDRY_RESOURCE": f"127.0.0.1:{p}/#",
            "ANTHROPIC_FOUNDRY_API_KEY": "foundry-secret-key",
        },
        "ANTHROPIC_FOUNDRY_RESOURCE",
    ),
]


@pytest.mark.parametrize(
    ("provider", "make_env", "var"), REGION_CASES, ids=[c[2] for c in REGION_CASES]
)
def test_hostile_region_is_refused_before_any_request(
    provider: str, make_env: Callable[[int], dict[str, str]], var: str
) -> None:
    with serve() as server:
        env = {**make_env(server.port), "CLAUDE_CODE_MAX_RETRIES": "0"}
        snap, res = resolution(env)
        assert res.provider == provider
        with pytest.raises(LiveError, match=var) as err:
            run_main(res, snap.env, "hi", sleep=no_sleep)
        time.sleep(0.2)
        assert server.connections == 0
    assert "\n" not in str(err.value)


def test_mantle_region_is_refused() -> None:
    with serve() as server:
        env = {"AWS_REGION": _hostile(server.port), "CLAUDE_CODE_SKIP_MANTLE_AUTH": "1"}
        with pytest.raises(LiveError, match="AWS_REGION"):
            send("mantle", env, Call("anthropic.claude-opus-5-5", 1), "hi")
        assert server.connections == 0


def test_profile_listing_refuses_a_hostile_region() -> None:
    profiles.reset()
    with serve() as server:
        env = env_for("bedrock", "", AWS_REGION=_hostile(server.port))
        del env["ANTHROPIC_BEDROCK_BASE_URL"]
        assert profiles.wait(env, 10) == ()
        time.sleep(0.2)
        assert server.connections == 0
    assert "AWS_REGION" in (profiles.error(env) or "")
    profiles.reset()


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("aws", "us-east-1"),
        ("aws", "us-gov-west-1"),
        ("aws", "eu-central-2"),
        ("aws", "ap-southeast-4"),
        ("aws", "us-isob-east-1"),
        ("gcp", "us-east5"),
        ("gcp", "europe-west1"),
        ("gcp", "northamerica-northeast1"),
        ("gcp", "global"),
        ("azure", "my-resource-01"),
    ],
)
def test_real_regions_pass(kind: str, value: str) -> None:
    assert clients.check_value(kind, value, "VAR") == value


# -- item 20: both credentials, bad ports, malformed URLs --------------------------------------


def test_key_and_token_are_both_sent(httpserver: HTTPServer) -> None:
    """Claude Code sends both (``x-api-key`` and ``Authorization: Bearer``) and warns "Auth
    conflict"; the SDK refuses both in its constructor, which used to be a traceback."""
    api = FakeAPI(httpserver)
    env = {**env_for("firstParty", api.url), "ANTHROPIC_AUTH_TOKEN": "gateway-token-1234"}
    assert send("firstParty", env, Call("m", 1), "hi").ok
    headers = api.seen[0].headers
    assert headers["x-api-key"] == KEY
    assert headers["authorization"] == "Bearer gateway-token-1234"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:99999",
        "http://127.0.0.1:-1",
        "http://127.0.0.1:port",
        "http://[::1",
        "ftp://127.0.0.1:9",
        "http://",
        "http://127.0.0.1:9/ x",
        "127.0.0.1:9",
    ],
)
def test_malformed_base_url_is_one_line(url: str) -> None:
    env = {"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": KEY}
    with pytest.raises(LiveError, match="ANTHROPIC_BASE_URL") as err:
        send("firstParty", env, Call("m", 1), "hi")
    assert "\n" not in str(err.value) and "http(s)://host" in str(err.value)


@pytest.mark.parametrize(
    "extra",
    [
        {"ANTHROPIC_BASE_URL": "http://127.0.0.1:99999"},
        {"ANTHROPIC_BASE_URL": "http://[::1"},
        {"ANTHROPIC_BASE_URL": "http://127.0.0.1:9", "ANTHROPIC_AUTH_TOKEN": "tok-123456789"},
    ],
    ids=["port", "url", "key-and-token"],
)
def test_cli_never_tracebacks(sandbox: Sandbox, extra: dict[str, str]) -> None:
    env = base_env(
        sandbox.home, {"ANTHROPIC_API_KEY": KEY, "CLAUDE_CODE_MAX_RETRIES": "0", **extra}
    )
    run = run_cli(["ask", "hi"], env=env, cwd=sandbox.cwd)
    assert run.code == 1
    assert "Traceback" not in run.stderr and run.stderr.count("\n") == 1
    assert "ANTHROPIC_BASE_URL" in run.stderr


# -- item 21: timeouts that cannot be honoured, the retry wait -------------------------------


@pytest.mark.parametrize(
    "value", ["99999999999999999999999", "inf", "nan", "-5", "0", "abc", "1e400"]
)
def test_bad_api_timeout_is_refused_naming_it(httpserver: HTTPServer, value: str) -> None:
    api = FakeAPI(httpserver)
    env = {**env_for("firstParty", api.url), "API_TIMEOUT_MS": value}
    with pytest.raises(LiveError, match="API_TIMEOUT_MS") as err:
        send("firstParty", env, Call("m", 1), "hi")
    assert api.seen == []
    assert "unset it" in str(err.value)


@pytest.mark.parametrize(("value", "seconds"), [("1500", 1.5), ("2147483647", 2147483.647)])
def test_good_api_timeout_is_read(value: str, seconds: float) -> None:
    assert clients.timeout_of({"API_TIMEOUT_MS": value}) == seconds


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "1e12"])
def test_bad_probe_timeout_names_the_variable_validate_reads(
    httpserver: HTTPServer, value: str
) -> None:
    api = FakeAPI(httpserver)
    env = {**env_for("firstParty", api.url), "CLAUDE_MODELS_PROBE_TIMEOUT": value}
    result = validate_model(Snapshot.of(env=env), "opus")
    assert result.verdict == "other"
    assert "CLAUDE_MODELS_PROBE_TIMEOUT" in result.message
    assert api.seen == []


def test_retry_after_waits_are_capped_in_total(httpserver: HTTPServer) -> None:
    def busy(_request: Request) -> Response:
        return Response(
            '{"type":"error","error":{"type":"rate_limit_error","message":"slow down"}}',
            status=429,
            headers={"retry-after": "60"},
            content_type="application/json",
        )

    httpserver.expect_request("/v1/messages").respond_with_handler(busy)
    env = env_for("firstParty", httpserver.url_for("").rstrip("/"))
    snap, res = resolution(env)
    waits: list[float] = []
    out = run_main(res, snap.env, "hi", sleep=waits.append)
    assert sum(waits) <= clients.MAX_RETRY_WAIT
    assert waits == [60.0, 60.0]
    assert out.error is not None and "429 slow down" in out.error
    assert "would pass 120s of waiting in total" in out.error
