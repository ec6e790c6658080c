"""``validate_model`` and ``claude-models validate``: the max_tokens=1 probe of /model."""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from claude_models.live.probe import ProbeResult, validate_model
from claude_models.snapshot import Snapshot
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI
from tests.live_helpers import env_for


def test_probe_body_is_one_token_hi(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    result = validate_model(Snapshot.of(env=env_for("firstParty", api.url)), "claude-bar-7")
    assert result == ProbeResult(
        "claude-bar-7", "available", 200, "Model 'claude-bar-7' is available", None
    )
    [seen] = api.seen
    assert seen.body == {
        "model": "claude-bar-7",
        "max_tokens": 1,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
    }


def test_not_found_first_party_has_no_suggestion(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("claude-foo-9", 404)
    result = validate_model(Snapshot.of(env=env_for("firstParty", api.url)), "claude-foo-9")
    assert (result.verdict, result.status, result.message, result.suggestion) == (
        "not_found",
        404,
        "Model 'claude-foo-9' not found",
        None,
    )
    assert len(api.seen) == 1  # no retries


@pytest.mark.parametrize(
    ("provider", "typed", "wire", "suggestion"),
    [
        ("bedrock", "opus", "us.anthropic.claude-opus-5-5", "us.anthropic.claude-opus-5"),
        ("vertex", "claude-opus-5-5", "claude-opus-5-5", "claude-opus-5"),
        # Foundry's sonnet: sonnet-5-5 since 2.1.332 (sonnet-4-5, suggesting sonnet-4, before)
        ("foundry", "sonnet", "claude-sonnet-5-5", "claude-sonnet-5"),
    ],
)
def test_3p_not_found_suggests_fallback_3p(
    httpserver: HTTPServer, provider: str, typed: str, wire: str, suggestion: str
) -> None:
    api = FakeAPI(httpserver)
    api.refuse(wire, 404)
    result = validate_model(Snapshot.of(env=env_for(provider, api.url)), typed)
    assert (result.model, result.verdict, result.suggestion) == (wire, "not_found", suggestion)


def test_access_denied(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 403)
    result = validate_model(Snapshot.of(env=env_for("bedrock", api.url)), "opus")
    assert result.verdict == "access_denied" and result.status == 403
    assert "You don't have access" in result.message
    assert result.suggestion == "us.anthropic.claude-opus-5"


@pytest.mark.parametrize(
    ("version", "advice"),
    [
        ("2.1.331", "Try --model to switch to us.anthropic.claude-opus-5"),
        (
            "2.1.332",
            "As the main loop, Claude Code 2.1.332 steps down to us.anthropic.claude-opus-5 "
            "by itself",
        ),
    ],
)
def test_validate_cli(httpserver: HTTPServer, sandbox: Sandbox, version: str, advice: str) -> None:
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 404)
    env = base_env(
        sandbox.home,
        {
            **env_for("bedrock", api.url),
            "AWS_EC2_METADATA_DISABLED": "true",
            "CLAUDE_MODELS_CLAUDE_VERSION": version,
        },
    )
    bad = run_cli(["validate", "opus"], env=env, cwd=sandbox.cwd)
    assert bad.code == 1
    assert bad.stderr.strip() == (
        f"not found: Model 'us.anthropic.claude-opus-5-5' not found. {advice}"
    )
    good = run_cli(["validate", "sonnet", "--json"], env=env, cwd=sandbox.cwd)
    assert good.code == 0
    assert good.json() == {
        "model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "verdict": "available",
        "status": 200,
        "message": "Model 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' is available",
        "suggestion": None,
        "fallback": None,
    }
