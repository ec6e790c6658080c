"""``claude-models explain``: every value with its origin, the warnings below, colour rules,
and ``--json`` equal to ``resolve --json``."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.commands.explain import (
    format_explain,
    format_plain,
    origin_of,
    print_explain,
)
from tests.clirun import base_env, run_cli

ANSI = re.compile(r"\x1b\[")
NO_MANAGED = "/nonexistent/managed-settings.json"


def rows(snap: Snapshot) -> dict[tuple[str, str], tuple[str, str]]:
    """(section, name) -> (value, origin)."""
    return {
        (s.title, r.name): (r.value, r.origin)
        for s in format_explain(resolve(snap), snap)
        for r in s.rows
    }


# -- origins ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "origin", "want"),
    [
        ("user", "/h/.claude/settings.json", "user settings: /h/.claude/settings.json"),
        ("managed", "/etc/m.json", "managed settings: /etc/m.json"),
        ("ANTHROPIC_MODEL", "ANTHROPIC_MODEL", "ANTHROPIC_MODEL"),
        ("ANTHROPIC_MODEL", "project (/p/s.json)", "ANTHROPIC_MODEL (project (/p/s.json))"),
        ("--model", "--model", "--model"),
        ("default", None, "built-in default"),
        (None, None, "-"),
    ],
)
def test_origin_of(source: str | None, origin: str | None, want: str) -> None:
    assert origin_of(source, origin) == want


@pytest.mark.parametrize(
    ("kw", "want"),
    [
        ({"flags": Flags(model="sonnet", print_mode=True)}, "--model"),
        ({"env": {"ANTHROPIC_MODEL": "sonnet"}}, "ANTHROPIC_MODEL"),
        ({"local": {"model": "sonnet"}}, "local settings: <local>"),
        ({"managed": {"model": "sonnet"}}, "managed settings: <managed>"),
        ({"user": {"env": {"ANTHROPIC_MODEL": "sonnet"}}}, "ANTHROPIC_MODEL (user (<user>))"),
    ],
    ids=["flag", "env", "local", "managed", "env-block"],
)
def test_main_model_origin(kw: dict[str, Any], want: str) -> None:
    kw.setdefault("flags", Flags(print_mode=True))
    value, origin = rows(Snapshot.of(**kw))[("main loop", "model")]
    assert value == "claude-sonnet-5-5"
    assert origin == f"{want}; setting 'sonnet'"


def test_effort_origin_names_scope_and_file() -> None:
    snap = Snapshot.of(flags=Flags(print_mode=True), project={"effortLevel": "low"})
    assert rows(snap)[("main loop", "effort")] == ("low", "project effortLevel (<project>)")


def test_policy_rows() -> None:
    snap = Snapshot.of(
        user={"deniedModels": ["opus"]},
        managed={"availableModels": ["sonnet"], "enforceAvailableModels": True},
    )
    r = rows(snap)
    assert r[("settings and policy", "availableModels")] == ("sonnet", "managed (<managed>)")
    assert r[("settings and policy", "enforceAvailableModels")] == ("true", "managed (<managed>)")
    value, origin = r[("settings and policy", "deniedModels")]
    assert value == "-" and "ignored outside managed policy" in origin and "<user>" in origin


def test_side_fallback_mode_shown() -> None:
    r = rows(Snapshot.of(claude_version="2.1.329"))
    value, origin = r[("side queries (haiku slot)", "runtime fallback")]
    assert value == "off" and "as in Claude Code" in origin
    # from 2.1.330 Claude Code retries a refused hook side query on the main-loop model itself
    r = rows(Snapshot.of(claude_version="2.1.330"))
    value, origin = r[("side queries (haiku slot)", "runtime fallback")]
    assert value == "off" and "nothing added to Claude Code's own retry" in origin
    assert r[("side queries (haiku slot)", "on refusal (hooks)")][0] == "claude-opus-5-5"
    r = rows(Snapshot.of(env={"CLAUDE_MODELS_SIDE_QUERY_FALLBACK": "main-model"}))
    assert r[("side queries (haiku slot)", "runtime fallback")][0] == "main-model"


def test_subagent_skill_and_fast_sections() -> None:
    snap = Snapshot.of(
        flags=Flags(print_mode=True, skill_model="haiku"),
        agent={"subagent_type": "Explore", "model": "sonnet"},
        flag={"fastMode": True},
    )
    r = rows(snap)
    assert r[("subagent (Explore)", "model")] == (
        "claude-sonnet-5-5",
        "Agent model; setting 'sonnet'",
    )
    assert r[("skill (--skill-model)", "model")][0] == "claude-haiku-5-5"
    state, why = r[("fast mode", "state")]
    assert state == "on" and "flag (<flag>)" in why


def test_plain_text_fallback_has_every_row_and_warning() -> None:
    snap = Snapshot.of(flags=Flags(model="claude-sonet-5-5", print_mode=True))
    res = resolve(snap)
    text = format_plain(format_explain(res, snap), res)
    assert "MAIN LOOP" in text and "claude-sonet-5-5" in text
    assert "[model_id_typo]" in text and "did you mean claude-sonnet-5-5" in text


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("environ", "colour"),
    [
        ({}, True),
        ({"NO_COLOR": "1"}, False),
        ({"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    ],
    ids=["tty-colours", "no-color", "no-color-beats-force"],
)
def test_print_explain_colour_on_a_terminal(environ: dict[str, str], colour: bool) -> None:
    out = _Tty()
    print_explain(resolve(Snapshot.of()), None, out, environ)
    assert bool(ANSI.search(out.getvalue())) is colour


# -- the CLI, run as a user would ------------------------------------------------------------


def _policy_sandbox(sandbox: Any) -> tuple[dict[str, Path], list[str]]:
    files = {
        "user": sandbox.home / ".claude" / "settings.json",
        "project": sandbox.cwd / ".claude" / "settings.json",
        "local": sandbox.cwd / ".claude" / "settings.local.json",
        "managed": sandbox.tmp / "managed-settings.json",
    }
    content = {
        "user": {"model": "opus", "effortLevel": "high", "deniedModels": ["haiku"]},
        "project": {"model": "sonnet", "fallbackModel": ["haiku"]},
        "local": {"effortLevel": "low"},
        "managed": {"availableModels": ["sonnet", "haiku"], "deniedModels": ["fable"]},
    }
    for scope, path in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content[scope]), encoding="utf-8")
    return files, ["--managed-settings", str(files["managed"]), "-p"]


def test_explain_end_to_end(sandbox: Any) -> None:
    files, args = _policy_sandbox(sandbox)
    env = base_env(sandbox.home, {"NO_COLOR": "1", "ANTHROPIC_API_KEY": "sk-ant-api03-SECRET"})
    run = run_cli(["explain", *args, "--agent", '{"model": "fable"}'], env=env, cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    out = run.stdout
    assert not ANSI.search(out)
    lines = out.splitlines()

    def line(*needles: str) -> str:
        hits = [ln for ln in lines if all(n in ln for n in needles)]
        assert hits, f"no line with {needles}:\n{out}"
        return hits[0]

    # every settings file is listed with its scope
    for scope, path in files.items():
        line(f"{scope} settings", str(path))
    # the main model from project settings (local has no model, user's is lower)
    line("claude-sonnet-5-5", f"project settings: {files['project']}")
    # effort from local settings; the user's is ignored in print mode
    line("low", f"local effortLevel ({files['local']})")
    # policy with its file
    line("availableModels", "sonnet, haiku", str(files["managed"]))
    line("deniedModels", "fable", str(files["managed"]))
    # fallbacks with their file, side queries and their fallback mode, the subagent
    line("claude-haiku-5-5", str(files["project"]))
    line("runtime fallback", "off")
    line("replaced", "fable")
    line("state", "off", "not allowed")
    # the warnings that apply
    assert "\nWARNINGS\n" in out  # piped: the plain layout
    codes = set(re.findall(r"\[([a-z_]+)\]", out))
    assert {"setting_ignored_in_scope", "subagent_model_replaced"} <= codes, codes
    assert f"{files['user']}: deniedModels is honoured only from managed policy" in out
    assert f"{files['user']}: user effortLevel is ignored in print mode" in out
    assert "SECRET" not in out


def test_explain_force_color_colours_a_pipe(sandbox: Any) -> None:
    env = base_env(sandbox.home, {"FORCE_COLOR": "1"})
    run = run_cli(["explain", "-p", "--managed-settings", NO_MANAGED], env=env, cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    assert ANSI.search(run.stdout)
    env = base_env(sandbox.home, {"FORCE_COLOR": "1", "NO_COLOR": "1"})
    run = run_cli(["explain", "-p", "--managed-settings", NO_MANAGED], env=env, cwd=sandbox.cwd)
    assert not ANSI.search(run.stdout)


@pytest.mark.parametrize(
    "extra",
    [
        [],
        ["--model", "opus", "--effort", "xhigh", "--fallback-model", "sonnet,haiku"],
        ["--agent", '{"subagent_type": "Plan", "model": "haiku"}', "--skill-model", "sonnet"],
        ["--settings", '{"fastMode": true}'],
    ],
    ids=["default", "flags", "agent-and-skill", "fast"],
)
def test_explain_json_equals_resolve_json(sandbox: Any, extra: list[str]) -> None:
    _, args = _policy_sandbox(sandbox)
    env = base_env(sandbox.home)
    explain = run_cli(["explain", "--json", *args, *extra], env=env, cwd=sandbox.cwd)
    resolved = run_cli(["resolve", "--json", *args, *extra], env=env, cwd=sandbox.cwd)
    assert explain.code == resolved.code == 0, explain.stderr + resolved.stderr
    assert explain.json() == resolved.json()
    assert explain.stdout == resolved.stdout


@pytest.mark.parametrize(
    ("content", "state"),
    [
        (None, "missing: not in force"),
        ("{bad", "unusable"),
        ('{"deniedModels": ["haiku"]}', "read"),
    ],
    ids=["missing", "unparseable", "present"],
)
def test_the_managed_policy_row_says_whether_a_policy_is_in_force(
    sandbox: Any, content: str | None, state: str
) -> None:
    """A named managed policy that does not exist was listed as ``managed settings  read``:
    the admin reads that a policy is in force (issue 16 item 3), while the warning below says
    the opposite."""
    managed = sandbox.tmp / "managed-settings.json"
    if content is not None:
        managed.write_text(content, encoding="utf-8")
    env = base_env(sandbox.home, {"NO_COLOR": "1"})
    run = run_cli(["explain", "--managed-settings", str(managed)], env=env, cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    row = next(ln for ln in run.stdout.splitlines() if ln.lstrip().startswith("managed settings"))
    assert row.split()[2:-1] == state.split() and row.split()[-1] == str(managed)
