"""Reading settings as a user would meet them: bad files resolve on, with a warning naming the
file and the problem; only unusable command-line input stops with one line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.contract import contract_errors

NO_MANAGED = ["--managed-settings", "/nonexistent/managed.json"]


def _resolve(sb: Sandbox, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    run = run_cli(
        ["resolve", "--json", "-p", *NO_MANAGED, *args], env=base_env(sb.home, env), cwd=sb.cwd
    )
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    out: dict[str, Any] = run.json()
    return out


def _codes(out: dict[str, Any]) -> dict[str, str]:
    return {w["code"]: w["message"] for w in out["warnings"]}


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_user_settings_not_json_resolves_on_with_warning(sandbox: Sandbox) -> None:
    path = _write(sandbox.home / ".claude" / "settings.json", '{"model": "sonnet",')
    out = _resolve(sandbox)
    assert out["main"]["model"] == "claude-opus-5-5"
    msg = _codes(out)["settings_unusable"]
    assert str(path) in msg and "not valid JSON" in msg
    assert path.read_text(encoding="utf-8") == '{"model": "sonnet",'  # never rewritten


def test_wrong_type_is_ignored_where_it_stands(sandbox: Sandbox) -> None:
    _write(sandbox.cwd / ".claude" / "settings.json", json.dumps({"model": 5}))
    _write(sandbox.home / ".claude" / "settings.json", json.dumps({"model": "haiku"}))
    out = _resolve(sandbox)
    assert (out["main"]["model"], out["main"]["source"]) == ("claude-haiku-5-5", "user")
    assert "'model' must be a string" in _codes(out)["settings_wrong_type"]


def test_unknown_key_is_kept_and_reported(sandbox: Sandbox) -> None:
    _write(sandbox.cwd / ".claude" / "settings.local.json", json.dumps({"modle": "haiku"}))
    out = _resolve(sandbox)
    assert "'modle'" in _codes(out)["settings_unknown_key"]


def test_settings_not_an_object(sandbox: Sandbox) -> None:
    _write(sandbox.home / ".claude" / "settings.json", "[1, 2]")
    assert "JSON object" in _codes(_resolve(sandbox))["settings_unusable"]


def test_claude_config_dir_moves_user_settings(sandbox: Sandbox) -> None:
    cfg = sandbox.tmp / "cfg"
    _write(cfg / "settings.json", json.dumps({"model": "haiku"}))
    out = _resolve(sandbox, env={"CLAUDE_CONFIG_DIR": str(cfg)})
    assert out["main"]["model"] == "claude-haiku-5-5"
    assert str(cfg) in out["main"]["origin"]


def test_settings_json_string_and_file(sandbox: Sandbox) -> None:
    out = _resolve(sandbox, "--settings", '{"model": "sonnet"}')
    assert (out["main"]["model"], out["main"]["source"]) == ("claude-sonnet-5-5", "flag")
    f = _write(sandbox.tmp / "s.json", json.dumps({"model": "haiku"}))
    assert _resolve(sandbox, "--settings", str(f))["main"]["model"] == "claude-haiku-5-5"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--settings", "{not json"], "--settings"),
        (["--settings", "/nonexistent/settings.json"], "does not exist"),
        (["--agent", "{oops"], "--agent"),
        (["--agent", "[1]"], "--agent"),
        (["--cwd", "/nonexistent/dir"], "--cwd"),
        (["--today", "yesterday"], "--today"),
    ],
)
def test_unusable_command_line_input_is_one_line_exit_2(
    sandbox: Sandbox, args: list[str], needle: str
) -> None:
    run = run_cli(
        ["resolve", "--json", *NO_MANAGED, *args], env=base_env(sandbox.home), cwd=sandbox.cwd
    )
    assert run.code == 2
    assert run.stdout == ""
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in run.stderr


@pytest.mark.parametrize(
    ("env", "code"),
    [
        ({"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "lots"}, "env_invalid_value"),
        ({"CLAUDE_CODE_EFFORT_LEVEL": "turbo"}, "effort_invalid"),
    ],
)
def test_garbage_env_values_are_ignored_with_a_warning(
    sandbox: Sandbox, env: dict[str, str], code: str
) -> None:
    out = _resolve(sandbox, env=env)
    assert (out["main"]["max_tokens"], out["main"]["effort"]) == (128000, "medium")
    assert next(iter(env)) in _codes(out)[code]


def test_empty_env_values_count_as_unset(sandbox: Sandbox) -> None:
    out = _resolve(sandbox, env={"ANTHROPIC_MODEL": "", "CLAUDE_CODE_USE_BEDROCK": ""})
    assert (out["provider"], out["main"]["model"]) == ("firstParty", "claude-opus-5-5")


def test_unknown_model_id_is_sent_verbatim_with_did_you_mean(sandbox: Sandbox) -> None:
    out = _resolve(sandbox, "--model", "claude-opus-5-6")
    assert out["main"]["model"] == "claude-opus-5-6"
    assert "claude-opus-5-5" in _codes(out)["model_id_typo"]  # a near miss is a typo (issue 16)


def test_every_contract_field_is_present(sandbox: Sandbox) -> None:
    """spec/CLI.md: unset values are null, never missing (checked by tests/contract.py)."""
    assert contract_errors(_resolve(sandbox)) == []
