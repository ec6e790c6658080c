"""Faults: connection refused, timeouts, DNS failure, 5xx, malformed replies and missing
credentials each give one line naming provider, model and fix; no traceback, no secret."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from claude_models.live.clients import Call, _connection_reply, send
from claude_models.live.probe import validate_model
from claude_models.snapshot import Snapshot
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI
from tests.live_helpers import KEY, env_for


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port certain to refuse connections for the whole test: bound but never
    listening, and held, so no other process can take it (closing it first was a race)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port: int = s.getsockname()[1]
    yield port
    s.close()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    yield f"http://127.0.0.1:{s.getsockname()[1]}"
    s.close()


def _assert_clean(text: str) -> None:
    assert "Traceback" not in text
    assert KEY not in text
    assert "fakesecretfakesecret" not in text
    assert "foundry-secret-key" not in text


def test_connection_refused_via_cli(sandbox: Sandbox, refused_port: int) -> None:
    url = f"http://127.0.0.1:{refused_port}"
    env = base_env(sandbox.home, {**env_for("firstParty", url), "CLAUDE_CODE_MAX_RETRIES": "0"})
    run = run_cli(["ask", "hi", "--json", "-p"], env=env, cwd=sandbox.cwd)
    assert run.code == 1
    err = run.json()["error"]
    assert err.startswith("firstParty: claude-opus-5-5: cannot connect to")
    assert "connection refused" in err and "ANTHROPIC_BASE_URL" in err
    _assert_clean(run.stdout + run.stderr)


def test_timeout_every_probe_has_one(silent_server: str) -> None:
    env = {**env_for("firstParty", silent_server), "CLAUDE_MODELS_PROBE_TIMEOUT": "0.5"}
    result = validate_model(Snapshot.of(env=env), "claude-opus-5-5")
    assert result.verdict == "other" and result.status is None
    assert "no reply within 0.5s" in result.message
    # the variable validate reads, not ask's API_TIMEOUT_MS (issue 12 item 21)
    assert "raise CLAUDE_MODELS_PROBE_TIMEOUT" in result.message
    assert "API_TIMEOUT_MS" not in result.message


def test_ask_timeout_uses_api_timeout_ms(sandbox: Sandbox, silent_server: str) -> None:
    extra = {
        **env_for("bedrock", silent_server),
        "API_TIMEOUT_MS": "500",
        "CLAUDE_CODE_MAX_RETRIES": "0",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    run = run_cli(["ask", "hi", "--json"], env=base_env(sandbox.home, extra), cwd=sandbox.cwd)
    assert run.code == 1
    err = run.json()["error"]
    assert err.startswith("bedrock: us.anthropic.claude-opus-5-5: no reply within 0.5s")
    assert "ANTHROPIC_BEDROCK_BASE_URL" in err
    _assert_clean(run.stdout + run.stderr)


def test_dns_failure_is_named() -> None:
    class ConnectError(Exception):
        pass

    inner = ConnectError("[Errno -2] Name or service not known")
    outer = RuntimeError("Connection error.")
    outer.__cause__ = inner
    reply = _connection_reply(outer)
    assert reply.kind == "dns" and reply.status is None


def test_5xx_is_one_line(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 500, "internal server error")
    env = {**env_for("foundry", api.url)}
    result = validate_model(Snapshot.of(env=env), "opus")
    assert result.verdict == "other" and result.status == 500
    # Foundry's opus: opus-5-5 since 2.1.332 (opus-4-6 before)
    assert result.message.startswith("foundry: claude-opus-5-5: API Error: 500 internal server")
    assert "ANTHROPIC_FOUNDRY_BASE_URL" in result.message
    assert len(api.messages()) == 1  # the probe never retries


@pytest.mark.parametrize("body", ["<html>gateway</html>", json.dumps({"hello": "world"})])
def test_malformed_reply(httpserver: HTTPServer, body: str) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 200, "", body=body)
    reply = send("firstParty", env_for("firstParty", api.url), Call("claude-opus-5-5", 1), "hi")
    assert reply.kind == "malformed" and not reply.ok


def test_malformed_reply_via_cli(httpserver: HTTPServer, sandbox: Sandbox) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 200, "", body="not json at all")
    env = base_env(sandbox.home, env_for("firstParty", api.url))
    run = run_cli(["ask", "hi"], env=env, cwd=sandbox.cwd)
    assert run.code == 1
    assert run.stderr.count("\n") == 1
    assert "malformed reply" in run.stderr and "ANTHROPIC_BASE_URL" in run.stderr
    _assert_clean(run.stdout + run.stderr)


def test_missing_aws_credentials_via_cli(sandbox: Sandbox, refused_port: int) -> None:
    extra = {
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "ANTHROPIC_BEDROCK_BASE_URL": f"http://127.0.0.1:{refused_port}",
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    run = run_cli(["ask", "hi", "--json"], env=base_env(sandbox.home, extra), cwd=sandbox.cwd)
    assert run.code == 1
    err = run.json()["error"]
    assert err.startswith("bedrock: no credentials to call us.anthropic.claude-opus-5-5")
    assert "AWS_PROFILE" in err and "CLAUDE_CODE_SKIP_BEDROCK_AUTH" in err
    _assert_clean(run.stdout + run.stderr)


def test_missing_key_via_validate(sandbox: Sandbox) -> None:
    env = base_env(sandbox.home, {"ANTHROPIC_BASE_URL": "http://127.0.0.1:9"})
    run = run_cli(["validate", "sonnet"], env=env, cwd=sandbox.cwd)
    assert run.code == 1
    assert "ANTHROPIC_API_KEY" in run.stderr
    _assert_clean(run.stderr)


def test_url_changing_model_is_an_error_line(sandbox: Sandbox) -> None:
    extra = {**env_for("bedrock", "http://127.0.0.1:9"), "AWS_EC2_METADATA_DISABLED": "true"}
    run = run_cli(["validate", "../../x"], env=base_env(sandbox.home, extra), cwd=sandbox.cwd)
    assert run.code == 2
    assert run.stderr.startswith("claude-models: error: bedrock: refusing model '../../x'")
    _assert_clean(run.stderr)


def test_without_the_sdk_the_error_names_the_extra(sandbox: Sandbox) -> None:
    code = (
        "import sys\n"
        "sys.modules['anthropic'] = None\n"
        "from claude_models.errors import LiveError\n"
        "from claude_models.live.clients import Call, send\n"
        "try:\n"
        "    send('firstParty', {'ANTHROPIC_API_KEY': 'k'}, Call('m', 1), 'hi')\n"
        "except LiveError as exc:\n"
        "    print(exc)\n"
    )
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=base_env(sandbox.home),
        capture_output=True,
        text=True,
        check=True,
    )
    assert "pip install 'claude-models[live]'" in proc.stdout


def test_a_server_echoing_the_key_never_gets_it_printed(
    httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 400, f"invalid x-api-key {KEY}")
    env = base_env(sandbox.home, {**env_for("firstParty", api.url), "CLAUDE_CODE_MAX_RETRIES": "0"})
    run = run_cli(["ask", "hi", "--json"], env=env, cwd=sandbox.cwd)
    assert run.code == 1
    assert "sk-ant-…(masked)" in run.json()["error"]
    _assert_clean(run.stdout + run.stderr)
    probe = run_cli(["validate", "opus"], env=env, cwd=sandbox.cwd)
    assert "sk-ant-…(masked)" in probe.stderr
    _assert_clean(probe.stdout + probe.stderr)
