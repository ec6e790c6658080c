"""Managed policy against the other knobs, through the real CLI (issue 12 items 1-3): what
``resolve``, ``ask``, ``doctor --live``, ``validate`` and ``fast on`` send or refuse when
managed policy rules out a fallback model or a modelOverrides target. Against the loopback
fake server: a model policy rules out is never sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.clirun import Run, base_env, run_cli
from tests.conftest import Sandbox
from tests.contract import contract_errors
from tests.fakeapi import FakeAPI
from tests.live_helpers import env_for


def managed(sb: Sandbox, data: dict[str, Any]) -> list[str]:
    path = sb.tmp / "managed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return ["--managed-settings", str(path)]


def project(sb: Sandbox, data: dict[str, Any]) -> Path:
    path = sb.cwd / ".claude" / "settings.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def cli(sb: Sandbox, args: list[str], env: dict[str, str] | None = None) -> Run:
    return run_cli(args, env=base_env(sb.home, env), cwd=sb.cwd)


DENY_HAIKU = {"deniedModels": ["haiku"]}
ENFORCED = {"availableModels": ["opus", "sonnet"], "enforceAvailableModels": True}


@pytest.mark.parametrize("policy", [DENY_HAIKU, ENFORCED], ids=["denied", "enforced"])
def test_ask_never_sends_a_fallback_policy_rules_out(
    httpserver: HTTPServer, sandbox: Sandbox, policy: dict[str, Any]
) -> None:
    """opus refused, fallbacks haiku,sonnet: the chain goes opus -> sonnet, never haiku."""
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 404)
    env = env_for("firstParty", api.url)
    args = ["ask", "hi", "--json", "-p", "--fallback-model", "haiku,sonnet"]
    run = cli(sandbox, [*args, *managed(sandbox, policy)], env)
    assert run.code == 0, run.stderr
    assert api.models() == ["claude-opus-5-5", "claude-sonnet-5-5"]


def test_ask_with_every_fallback_denied_takes_the_no_fallback_path(
    httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    """No fallback left: a 404 gets its one retry on the main model, then exit 1
    (BEHAVIOUR.md 7); the denied fallback is never sent."""
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 404)
    project(sandbox, {"fallbackModel": ["claude-haiku-5-5"]})
    env = env_for("firstParty", api.url)
    run = cli(sandbox, ["ask", "hi", "-p", *managed(sandbox, DENY_HAIKU)], env)
    assert run.code == 1
    assert set(api.models()) == {"claude-opus-5-5"}
    assert "haiku" not in " ".join(api.models())


def test_ask_sends_the_original_model_when_its_override_is_denied(
    httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    api = FakeAPI(httpserver)
    project(sandbox, {"modelOverrides": {"claude-opus-5-5": "claude-haiku-5-5"}})
    env = env_for("firstParty", api.url)
    args = ["ask", "hi", "-p", *managed(sandbox, DENY_HAIKU)]
    assert cli(sandbox, args, env).code == 0
    assert cli(sandbox, [*args, "--side"], env).code == 0
    assert api.models() == ["claude-opus-5-5", "claude-opus-5-5"]


def test_doctor_live_never_probes_a_denied_fallback(
    httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    api = FakeAPI(httpserver)
    env = env_for("firstParty", api.url)
    args = ["doctor", "--live", "--json", "-p", "--fallback-model", "haiku,sonnet"]
    run = cli(sandbox, [*args, *managed(sandbox, DENY_HAIKU)], env)
    out = run.json()
    roles = {r for m in out["models"] for r in m["roles"]}
    assert "fallback 1" in roles and "fallback 2" not in roles
    by_model = {m["model"]: m for m in out["models"]}
    assert by_model["claude-sonnet-5-5"]["roles"][0] == "fallback 1"
    assert "claude-haiku-5-5" not in api.models()
    assert any(w["code"] == "fallback_model_dropped" for w in out["warnings"])


def test_resolve_json_lists_only_allowed_fallbacks(sandbox: Sandbox) -> None:
    args = ["resolve", "--json", "-p", "--fallback-model", "haiku,sonnet"]
    out = cli(sandbox, [*args, *managed(sandbox, DENY_HAIKU)]).json()
    assert out["fallback_models"] == ["claude-sonnet-5-5"]


@pytest.mark.parametrize(
    ("policy", "model", "entry"),
    [
        (DENY_HAIKU, "haiku", "deniedModels entry 'haiku'"),
        (DENY_HAIKU, "claude-haiku-5-5", "deniedModels entry 'haiku'"),
        (ENFORCED, "haiku", "enforced availableModels [opus, sonnet]"),
    ],
)
def test_validate_refuses_a_model_policy_rules_out_without_sending(
    httpserver: HTTPServer, sandbox: Sandbox, policy: dict[str, Any], model: str, entry: str
) -> None:
    api = FakeAPI(httpserver)
    env = env_for("firstParty", api.url)
    flags = managed(sandbox, policy)
    run = cli(sandbox, ["validate", model, *flags], env)
    assert run.code == 1
    assert run.stdout == ""
    (line,) = run.stderr.splitlines()
    assert line.startswith("claude-models: error: validate: ")
    assert entry in line and str(sandbox.tmp / "managed.json") in line
    as_json = cli(sandbox, ["validate", model, "--json", *flags], env)
    assert as_json.code == 1 and as_json.json()["verdict"] == "ruled_out_by_policy"
    assert api.seen == []
    allowed = cli(sandbox, ["validate", "sonnet", *flags], env)
    assert allowed.code == 0 and api.models() == ["claude-sonnet-5-5"]


def test_fast_on_is_refused_under_managed_fast_mode_false(sandbox: Sandbox) -> None:
    flags = managed(sandbox, {"fastMode": False})
    run = cli(sandbox, ["fast", "on", *flags])
    assert run.code == 1
    assert "managed settings" in run.stdout + run.stderr
    assert not (sandbox.home / ".claude" / "settings.json").exists()
    out = cli(
        sandbox, ["resolve", "--json", "-p", "--settings", '{"fastMode": true}', *flags]
    ).json()
    assert (out["fast_mode"]["state"], out["fast_mode"]["reason"]) == ("off", "preference")
    assert contract_errors(out) == []  # "preference" is a reason the contract knows
