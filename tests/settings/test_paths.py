"""Settings paths are computed once, at load, from the process environment: every write goes
to the file that was read, whatever a settings ``env`` block says (issue 11 item 4, issue 12
item 11)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claude_models.loader import load_snapshot
from claude_models.settings.paths import SettingsPaths
from claude_models.snapshot import Flags
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox


def _seed(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text())
    return data


# (command, what the user file holds after it, beyond what was seeded)
COMMANDS = [
    (("model", "set", "haiku"), {"model": "haiku"}),
    (("effort", "set", "low"), {"modelSettings": {"claude-opus-5-5": {"effortLevel": "low"}}}),
    (("fast", "off"), {"fastMode": False}),
]
# The variable a project settings ``env`` block redirects.
REDIRECTS = ["CLAUDE_CONFIG_DIR", "HOME"]


@pytest.mark.parametrize("var", REDIRECTS)
@pytest.mark.parametrize(("argv", "written"), COMMANDS, ids=["model", "effort", "fast"])
def test_writes_go_to_the_user_file_that_was_read(
    sandbox: Sandbox, var: str, argv: tuple[str, ...], written: dict[str, Any]
) -> None:
    elsewhere = sandbox.tmp / "elsewhere"
    elsewhere.mkdir()
    user = sandbox.home / ".claude" / "settings.json"
    _seed(user, {"keep": 1})
    _seed(sandbox.cwd / ".claude" / "settings.json", {"env": {var: str(elsewhere)}})
    managed = sandbox.tmp / "managed.json"
    r = run_cli(
        [*argv, "--managed-settings", str(managed)],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
    )
    assert r.code == 0, r.stderr
    assert _read(user) == {"keep": 1, **written}
    assert list(elsewhere.rglob("*")) == []


@pytest.mark.parametrize("var", REDIRECTS)
def test_migrate_writes_the_files_it_read(sandbox: Sandbox, var: str) -> None:
    elsewhere = sandbox.tmp / "elsewhere"
    elsewhere.mkdir()
    user = sandbox.home / ".claude" / "settings.json"
    _seed(user, {"model": "claude-opus-4-1"})
    _seed(sandbox.cwd / ".claude" / "settings.json", {"env": {var: str(elsewhere)}})
    r = run_cli(["migrate"], env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    assert _read(user) == {"model": "opus"}
    assert _read(sandbox.home / ".claude.json")["migrationVersion"] == 15
    assert list(elsewhere.rglob("*")) == []


def test_paths_come_from_the_process_environment_not_settings_env(sandbox: Sandbox) -> None:
    _seed(sandbox.cwd / ".claude" / "settings.json", {"env": {"CLAUDE_CONFIG_DIR": "/nowhere"}})
    snap = load_snapshot(
        Flags(),
        environ={"HOME": str(sandbox.home)},
        cwd=sandbox.cwd,
        managed_path=str(sandbox.tmp / "managed.json"),
    )
    assert snap.env["CLAUDE_CONFIG_DIR"] == "/nowhere"  # the resolvers still see the variable
    assert snap.paths == SettingsPaths.of({"HOME": str(sandbox.home)}, cwd=str(sandbox.cwd))
    assert snap.paths.user == sandbox.home / ".claude" / "settings.json"
    assert snap.paths.global_config == sandbox.home / ".claude.json"
    assert snap.paths.project == sandbox.cwd / ".claude" / "settings.json"
    assert snap.paths.local == sandbox.cwd / ".claude" / "settings.local.json"


# env -> (user settings, global config, user agents dir) relative to the given home
PATH_CASES = [
    ({}, (".claude/settings.json", ".claude.json", ".claude/agents")),
    ({"CLAUDE_CONFIG_DIR": "cfg"}, ("cfg/settings.json", "cfg/.claude.json", "cfg/agents")),
]


@pytest.mark.parametrize(("extra", "expected"), PATH_CASES)
def test_settings_paths_of(
    tmp_path: Path, extra: dict[str, str], expected: tuple[str, ...]
) -> None:
    env = {"HOME": str(tmp_path), **{k: str(tmp_path / v) for k, v in extra.items()}}
    p = SettingsPaths.of(env, cwd=str(tmp_path))
    assert (p.user, p.global_config, p.agents_dir) == tuple(tmp_path / e for e in expected)
