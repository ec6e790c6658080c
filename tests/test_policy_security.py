"""Policy security (issue 5, item 4), through the real CLI, files and environment.

- user, project, local and flag settings cannot loosen managed policy;
- a project settings file cannot reach outside the project through symlinks;
- ``--settings`` given a directory, a FIFO or a file over the size cap fails cleanly: one
  line, exit 2, no traceback, no hang;
- no secret ever appears in anything the CLI prints.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from claude_models.settings.load import MAX_SETTINGS_BYTES
from tests.clirun import Run, base_env, run_cli
from tests.conftest import Sandbox
from tests.contract import contract_errors

LOWER_SCOPES = ("user", "project", "local", "flag")


def scope_path(sb: Sandbox, scope: str) -> Path:
    return {
        "user": sb.home / ".claude" / "settings.json",
        "project": sb.cwd / ".claude" / "settings.json",
        "local": sb.cwd / ".claude" / "settings.local.json",
        "flag": sb.tmp / "flag.json",
        "managed": sb.tmp / "managed.json",
    }[scope]


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def resolve(sb: Sandbox, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    argv = ["resolve", "--json", "-p", "--managed-settings", str(scope_path(sb, "managed"))]
    if scope_path(sb, "flag").exists():
        argv += ["--settings", str(scope_path(sb, "flag"))]
    run = run_cli([*argv, *args], env=base_env(sb.home, env), cwd=sb.cwd)
    assert run.code == 0, run.stderr
    out: dict[str, Any] = run.json()
    assert contract_errors(out) == []
    return out


def failed_cleanly(run: Run) -> None:
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("claude-models: error: ")
    assert "Traceback" not in run.stderr


# ---------------------------------------------------------------- loosening managed policy


@pytest.mark.parametrize("scope", LOWER_SCOPES)
def test_a_lower_scope_cannot_widen_or_unenforce_the_managed_allowlist(
    sandbox: Sandbox, scope: str
) -> None:
    """Managed ["sonnet"] + enforce: a lower layer's own availableModels, enforce=false,
    model and env ANTHROPIC_MODEL all ask for opus; the session still runs sonnet."""
    write(
        scope_path(sandbox, "managed"),
        {"availableModels": ["sonnet"], "enforceAvailableModels": True},
    )
    write(
        scope_path(sandbox, scope),
        {
            "availableModels": ["opus", "sonnet", "haiku"],
            "enforceAvailableModels": False,
            "model": "opus",
            "env": {"ANTHROPIC_MODEL": "opus"},
        },
    )
    out = resolve(sandbox)
    assert out["main"]["model"] == "claude-sonnet-5-5"
    assert resolve(sandbox, "--model", "opus")["main"]["model"] == "claude-sonnet-5-5"


@pytest.mark.parametrize("scope", LOWER_SCOPES)
def test_a_lower_scope_cannot_undeny_a_managed_denied_model(sandbox: Sandbox, scope: str) -> None:
    """Managed deniedModels ["opus"]: a lower layer's empty deniedModels, an allowlist of opus
    and a model of opus change nothing: opus never runs, main loop or side query."""
    write(scope_path(sandbox, "managed"), {"deniedModels": ["opus"]})
    write(
        scope_path(sandbox, scope),
        {"deniedModels": [], "availableModels": ["opus"], "model": "opus"},
    )
    for args in ((), ("--model", "opus"), ("--model", "claude-opus-5-5")):
        out = resolve(sandbox, *args)
        assert "opus" not in out["main"]["model"], (args, out["main"])
        assert "opus" not in out["side"]["model"]


@pytest.mark.parametrize("scope", LOWER_SCOPES)
def test_a_lower_scope_model_does_not_beat_the_managed_model(sandbox: Sandbox, scope: str) -> None:
    """Managed ``model`` is the highest settings layer: a lower layer's model loses to it."""
    write(scope_path(sandbox, "managed"), {"model": "haiku"})
    write(scope_path(sandbox, scope), {"model": "opus"})
    out = resolve(sandbox)
    assert (out["main"]["model"], out["main"]["source"]) == ("claude-haiku-5-5", "managed")


def test_user_denied_models_are_not_honoured_so_cannot_replace_managed_ones(
    sandbox: Sandbox,
) -> None:
    """deniedModels is read from managed policy only: a user list neither adds nor removes."""
    write(scope_path(sandbox, "managed"), {"deniedModels": ["haiku"]})
    write(scope_path(sandbox, "user"), {"deniedModels": ["sonnet"]})
    out = resolve(sandbox, "--model", "sonnet")
    assert out["main"]["model"] == "claude-sonnet-5-5"
    assert resolve(sandbox, "--model", "haiku")["main"]["model"] != "claude-haiku-5-5"


# ---------------------------------------------------------------- symlinks out of the project


@pytest.mark.parametrize("name", ["settings.json", "settings.local.json"])
def test_a_project_settings_symlink_to_a_file_outside_is_not_read(
    sandbox: Sandbox, name: str
) -> None:
    outside = write(sandbox.tmp / "elsewhere" / "settings.json", {"model": "haiku"})
    link = sandbox.cwd / ".claude" / name
    link.parent.mkdir(parents=True)
    link.symlink_to(outside)
    out = resolve(sandbox)
    assert out["main"]["source"] == "default"
    assert any(str(outside) in w["message"] and "outside" in w["message"] for w in out["warnings"])


def test_a_symlinked_claude_folder_outside_the_project_is_not_read(sandbox: Sandbox) -> None:
    write(sandbox.tmp / "shared" / "settings.json", {"model": "haiku"})
    (sandbox.cwd / ".claude").symlink_to(sandbox.tmp / "shared", target_is_directory=True)
    assert resolve(sandbox)["main"]["source"] == "default"


def test_a_symlink_that_stays_inside_the_project_is_read(sandbox: Sandbox) -> None:
    """The check is about escaping the tree, not about symlinks as such."""
    real = write(sandbox.cwd / "config" / "claude.json", {"model": "haiku"})
    link = sandbox.cwd / ".claude" / "settings.json"
    link.parent.mkdir(parents=True)
    link.symlink_to(real)
    out = resolve(sandbox)
    assert (out["main"]["model"], out["main"]["source"]) == ("claude-haiku-5-5", "project")


def test_a_project_agent_file_symlinked_outside_is_not_read(sandbox: Sandbox) -> None:
    outside = sandbox.tmp / "spy.md"
    outside.write_text("---\nname: spy\nmodel: haiku\n---\n", encoding="utf-8")
    folder = sandbox.cwd / ".claude" / "agents"
    folder.mkdir(parents=True)
    (folder / "spy.md").symlink_to(outside)
    out = resolve(sandbox, "--agent", json.dumps({"subagent_type": "spy"}))
    assert out["subagent"]["model"] != "claude-haiku-5-5"


# ---------------------------------------------------------------- --settings that cannot be read


def test_settings_given_a_directory_fails_cleanly(sandbox: Sandbox) -> None:
    run = run_cli(
        ["resolve", "--json", "--settings", str(sandbox.tmp)],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
    )
    failed_cleanly(run)
    assert "not a regular file" in run.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_settings_given_a_fifo_fails_without_blocking(sandbox: Sandbox) -> None:
    """Nobody writes to the FIFO: opening it would block forever; it must not be opened."""
    fifo = sandbox.tmp / "settings.fifo"
    os.mkfifo(fifo)
    run = run_cli(
        ["resolve", "--json", "--settings", str(fifo)],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
        timeout=20,
    )
    failed_cleanly(run)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_project_or_managed_settings_is_skipped_without_blocking(
    sandbox: Sandbox,
) -> None:
    (sandbox.cwd / ".claude").mkdir()
    os.mkfifo(sandbox.cwd / ".claude" / "settings.json")
    os.mkfifo(scope_path(sandbox, "managed"))
    argv = ["resolve", "--json", "--managed-settings", str(scope_path(sandbox, "managed"))]
    run = run_cli(argv, env=base_env(sandbox.home), cwd=sandbox.cwd, timeout=20)
    assert run.code == 0, run.stderr
    problems = [w["message"] for w in run.json()["warnings"] if "regular file" in w["message"]]
    assert len(problems) == 2


def test_settings_given_a_file_over_the_cap_fails_cleanly_without_reading_it(
    sandbox: Sandbox,
) -> None:
    huge = sandbox.tmp / "huge.json"
    with huge.open("wb") as f:  # sparse: costs no disk, and is never read
        f.truncate(MAX_SETTINGS_BYTES + 1)
    run = run_cli(
        ["resolve", "--json", "--settings", str(huge)],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
        timeout=20,
    )
    failed_cleanly(run)
    assert "limit" in run.stderr


# ---------------------------------------------------------------- no secret is ever printed

SECRETS = {
    "ANTHROPIC_API_KEY": "sk-ant-api03-SECRETapikey7f3a9c",
    "ANTHROPIC_AUTH_TOKEN": "SECRETauthtoken51d2e8",
    "CLAUDE_CODE_OAUTH_TOKEN": "sk-ant-oat01-SECREToauth9b44c1",
    "AWS_ACCESS_KEY_ID": "AKIASECRETACCESS7Q2Z",
    "AWS_SECRET_ACCESS_KEY": "SECRETawssecret/k3yZ0x9+abc",
    "AWS_SESSION_TOKEN": "SECRETawssession0f8e7d6c",
    "AWS_BEARER_TOKEN_BEDROCK": "SECRETbedrockbearer2a1b0c",
    "ANTHROPIC_FOUNDRY_API_KEY": "SECRETfoundrykey6e5d4c",
}
PROVIDER_ENVS: dict[str, dict[str, str]] = {
    "firstParty": {},
    "proxy": {"ANTHROPIC_BASE_URL": "https://proxy.example"},
    "bedrock": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"},
    "vertex": {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "global"},
    "foundry": {"CLAUDE_CODE_USE_FOUNDRY": "1", "ANTHROPIC_FOUNDRY_RESOURCE": "r"},
}
INVOCATIONS: list[list[str]] = [
    ["resolve", "--json"],
    ["resolve", "--json", "-p", "--model", "opus[1m]", "--effort", "xhigh"],
    ["explain"],
    ["explain", "--json", "--agent", '{"subagent_type": "general-purpose", "model": "haiku"}'],
    ["resolve", "--json", "--model", "claude-foo-9", "--fallback-model", "sonnet,nope"],
    ["resolve", "--json", "--settings", '{"model": 5, "env": {"ANTHROPIC_API_KEY": "x"'],
    ["resolve", "--json", "--agent", "{not json"],
    ["explain", "--effort", "bogus", "--permission-mode", "plan", "--today", "2030-01-01"],
    ["resolve", "--json", "--today", "yesterday"],
    ["resolve", "--json", "--cwd", "/nonexistent/project"],
    ["resolve", "--json", "--settings", "/nonexistent/settings.json"],
    ["explain", "--model"],  # argparse usage error
]


def test_no_secret_appears_in_any_output_warning_or_error(sandbox: Sandbox) -> None:
    """Distinctive secrets in the environment and in settings ``env`` (where they would be
    copied into the session's environment); every invocation, provider and bad input;
    everything printed on stdout and stderr is searched for every secret and its tail."""
    settings_secrets = {"ANTHROPIC_API_KEY": "sk-ant-api03-SETTINGSsecret88a7", **{}}
    write(sandbox.home / ".claude" / "settings.json", {"env": settings_secrets, "model": 7})
    (sandbox.cwd / ".claude").mkdir()
    # a broken project file holding a secret: the JSON error must not quote it
    (sandbox.cwd / ".claude" / "settings.json").write_text(
        '{"env": {"ANTHROPIC_AUTH_TOKEN": "SECRETinbrokenfile99"', encoding="utf-8"
    )
    needles = [*SECRETS.values(), *settings_secrets.values(), "SECRETinbrokenfile99"]
    needles += [n[-8:] for n in needles]  # a masked-but-not-enough tail counts too
    runs = 0
    for provider_env in PROVIDER_ENVS.values():
        env = base_env(sandbox.home, {**SECRETS, **provider_env, "NO_COLOR": "1"})
        for argv in INVOCATIONS:
            run = run_cli(argv, env=env, cwd=sandbox.cwd)
            runs += 1
            assert run.code in (0, 2), (argv, run.stderr)
            printed = run.stdout + run.stderr
            leaked = [n for n in needles if n in printed]
            assert not leaked, (argv, provider_env, leaked)
    assert runs == len(PROVIDER_ENVS) * len(INVOCATIONS)
