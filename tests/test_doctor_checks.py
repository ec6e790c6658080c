"""``claude-models doctor`` run as a new admin would, on a deliberately broken setup: it names
each problem with its fix and exits 1; ``--strict`` also fails on warnings."""

from __future__ import annotations

import json
from pathlib import Path

from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

HAIKU_TYPO = "claude-haiku-4-5-2025100"
BEDROCK_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


def broken_setup(sandbox: Sandbox) -> list[str]:
    """A managed allowlist with a typo, a Bedrock id in user settings, and an agent pinned to
    a first-party id. Returns the doctor arguments."""
    managed = sandbox.tmp / "managed-settings.json"
    managed.write_text(json.dumps({"availableModels": ["sonet", "opus", "haiku"]}))
    user = sandbox.home / ".claude" / "settings.json"
    user.parent.mkdir(parents=True)
    user.write_text(json.dumps({"model": BEDROCK_ID}))
    agent = sandbox.cwd / ".claude" / "agents" / "reviewer.md"
    agent.parent.mkdir(parents=True)
    agent.write_text("---\nname: reviewer\nmodel: claude-sonnet-4-5-20250929\n---\nReview.\n")
    return ["doctor", "--cwd", str(sandbox.cwd), "--managed-settings", str(managed)]


def test_doctor_names_every_problem_and_exits_1(sandbox: Sandbox) -> None:
    args = broken_setup(sandbox)
    first_party = base_env(sandbox.home, {"ANTHROPIC_DEFAULT_HAIKU_MODEL": HAIKU_TYPO})
    run = run_cli(args, env=first_party, cwd=sandbox.cwd)
    assert run.code == 1, run.stdout + run.stderr
    out = run.stdout
    assert "error [model_id_typo] availableModels" in out and "'sonet'" in out
    assert "did you mean sonnet?" in out
    assert f"ANTHROPIC_DEFAULT_HAIKU_MODEL (environment) is '{HAIKU_TYPO}'" in out
    assert "did you mean claude-haiku-4-5-20251001?" in out
    assert "error [model_id_wrong_provider] settings model" in out
    assert str(sandbox.home / ".claude" / "settings.json") in out
    assert "use claude-sonnet-4-5-20250929 or an alias" in out

    vertex = base_env(
        sandbox.home,
        {
            "ANTHROPIC_DEFAULT_HAIKU_MODEL": HAIKU_TYPO,
            "CLAUDE_CODE_USE_VERTEX": "1",
            "CLOUD_ML_REGION": "us-east5",
        },
    )
    run = run_cli([*args, "--json"], env=vertex, cwd=sandbox.cwd)
    assert run.code == 1
    report = run.json()
    by_code = {w["code"]: w for w in report["warnings"]}
    agent = by_code["agent_first_party_id"]
    assert "reviewer.md" in agent["message"] and "model: sonnet" in agent["message"]
    assert by_code["vertex_project_missing"]["severity"] == "error"
    assert "ANTHROPIC_VERTEX_PROJECT_ID=" in by_code["vertex_project_missing"]["message"]
    assert report["severities"]["error"] >= 3


def test_doctor_exit_status_follows_severity(sandbox: Sandbox, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-policy.json")
    clean = ["doctor", "--cwd", str(sandbox.cwd)]
    env = base_env(sandbox.home)
    policy = sandbox.tmp / "managed.json"
    policy.write_text("{}")
    # nothing to say: 0, strict or not
    assert run_cli([*clean, "--managed-settings", str(policy)], env=env, cwd=sandbox.cwd).code == 0
    # a warning only (side queries priced above the haiku slot): 0, and 1 with --strict
    costly = base_env(sandbox.home, {"ANTHROPIC_SMALL_FAST_MODEL": "claude-opus-4-6"})
    argv = [*clean, "--managed-settings", str(policy)]
    assert run_cli(argv, env=costly, cwd=sandbox.cwd).code == 0
    assert run_cli([*argv, "--strict"], env=costly, cwd=sandbox.cwd).code == 1
    # a named policy file that does not exist: a warning (the contract reads it as "no
    # policy"); one that cannot be parsed: an error (the admin thinks a policy is in force)
    run = run_cli([*clean, "--managed-settings", missing], env=env, cwd=sandbox.cwd)
    assert run.code == 0 and "warning [managed_policy_missing]" in run.stdout
    assert missing in run.stdout
    strict = [*clean, "--managed-settings", missing, "--strict"]
    assert run_cli(strict, env=env, cwd=sandbox.cwd).code == 1
    broken = sandbox.tmp / "broken.json"
    broken.write_text('{"availableModels": ["sonnet"],')
    run = run_cli([*clean, "--managed-settings", str(broken)], env=env, cwd=sandbox.cwd)
    assert run.code == 1 and "error [settings_unusable]" in run.stdout


def test_doctor_help_documents_exit_status(sandbox: Sandbox) -> None:
    run = run_cli(["doctor", "--help"], env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert "--strict" in run.stdout and "exit status" in run.stdout
