"""``explain --all`` and ``resolve --json``'s ``layers``: every layer's value of each model
key with its file, the winner marked and shadowed values kept."""

from __future__ import annotations

import json

from claude_models import Flags, Snapshot, resolve
from claude_models.checks.layers import format_layers, layers
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox


def test_every_layer_is_kept_and_the_winner_marked() -> None:
    snap = Snapshot.of(
        env={"ANTHROPIC_MODEL": "opus"},
        user={"model": "haiku", "deniedModels": ["claude-opus-4-1"]},
        project={"model": "sonnet", "effortLevel": "high"},
        flags=Flags(effort="low", print_mode=True),
    )
    found = layers(snap, resolve(snap))
    model = found["model"]
    assert [(r["source"], r["value"], r["wins"]) for r in model] == [
        ("ANTHROPIC_MODEL", "opus", True),
        ("project", "sonnet", False),
        ("user", "haiku", False),
    ]
    effort = {r["source"]: r for r in found["effortLevel"]}
    assert effort["--effort"]["wins"] and not effort["project"]["wins"]
    denied = found["deniedModels"][0]
    assert denied["source"] == "user" and not denied["honoured"] and not denied["wins"]


def test_the_built_in_default_wins_when_nothing_is_set() -> None:
    snap = Snapshot.of(flags=Flags(print_mode=True))
    model = layers(snap, resolve(snap))["model"]
    assert model == [
        {
            "source": "default",
            "where": "built-in",
            "value": "claude-opus-5-5",
            "wins": True,
            "honoured": True,
            "valid": True,
        }
    ]


def test_a_settings_env_block_beats_the_shell_and_names_its_file() -> None:
    snap = Snapshot.of(
        env={"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-haiku-4-5"},
        project={"env": {"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-3-5-haiku-20241022"}},
        flags=Flags(print_mode=True),
    )
    rows = layers(snap, resolve(snap))["ANTHROPIC_DEFAULT_HAIKU_MODEL"]
    assert rows[0]["source"] == "project env" and rows[0]["wins"]


def test_text_marks_the_winner_and_says_shadowed() -> None:
    snap = Snapshot.of(
        user={"model": "haiku"}, project={"model": "sonnet"}, flags=Flags(print_mode=True)
    )
    text = format_layers(layers(snap, resolve(snap)))
    assert "  * project: sonnet  [<project>]" in text
    assert "    user: haiku  [<user>]  (shadowed)" in text


def test_cli_resolve_json_has_layers_and_explain_all_prints_them(sandbox: Sandbox) -> None:
    settings = sandbox.cwd / ".claude" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"model": "sonnet"}))
    env = base_env(sandbox.home, {"ANTHROPIC_MODEL": "haiku"})
    common = ["--managed-settings", str(sandbox.tmp / "m.json"), "--cwd", str(sandbox.cwd)]
    out = run_cli(["resolve", "--json", *common], env=env, cwd=sandbox.cwd).json()
    model = out["layers"]["model"]
    assert model[0]["source"] == "ANTHROPIC_MODEL" and model[0]["wins"]
    assert model[1] == {
        "source": "project",
        "where": str(settings),
        "value": "sonnet",
        "wins": False,
        "honoured": True,
        "valid": True,
    }
    text = run_cli(["explain", "--all", *common], env=env, cwd=sandbox.cwd).stdout
    assert f"    project: sonnet  [{settings}]  (shadowed)" in text
    plain = run_cli(["explain", *common], env=env, cwd=sandbox.cwd).stdout
    assert "EVERY LAYER" not in plain
