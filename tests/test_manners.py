"""Issue 16.8, manners: model ids and paths never split across lines (80-column terminal,
pipe), flags that accept only real values, ``effort set`` naming the model it saved for."""

from __future__ import annotations

import io
import json
import re

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.cli import PERMISSION_MODES, SUBSCRIPTIONS
from claude_models.commands.explain import format_explain, print_explain
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

LONG = "/very/long/path/" + "nested-directory/" * 6 + "settings.json"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _snap() -> Snapshot:
    from claude_models._record import replace
    from claude_models.settings.layers import Layer, Settings
    from claude_models.settings.scopes import Scope

    layer = Layer.parse(Scope.USER, LONG, {"model": "us.anthropic.claude-opus-4-6-v1"})
    base = Snapshot.of(env={"CLAUDE_CODE_USE_BEDROCK": "1"}, flags=Flags(print_mode=True))
    return replace(base, settings=Settings((layer,), session="print"))


@pytest.mark.parametrize(
    ("out", "environ"),
    [(_Tty(), {"COLUMNS": "80", "NO_COLOR": "1"}), (io.StringIO(), {"NO_COLOR": "1"})],
    ids=["terminal-80-columns", "pipe"],
)
def test_no_model_id_or_path_is_split(out: io.StringIO, environ: dict[str, str]) -> None:
    snap = _snap()
    res = resolve(snap)
    print_explain(res, snap, out, environ)
    text = out.getvalue()
    tokens = {LONG, res.main.model}
    tokens |= {t for s in format_explain(res, snap) for r in s.rows for t in r.value.split(", ")}
    tokens |= set(re.findall(r"/[\w./-]+", " ".join(w.message for w in res.warnings)))
    for token in sorted(t for t in tokens if len(t) > 8):
        assert any(token in line for line in text.splitlines()), token


def test_a_wide_terminal_still_gets_the_table() -> None:
    snap = Snapshot.of(flags=Flags(print_mode=True))
    out = _Tty()
    print_explain(resolve(snap), snap, out, {"COLUMNS": "300", "NO_COLOR": "1"})
    assert "┃" in out.getvalue() or "│" in out.getvalue()


@pytest.mark.parametrize("argv", [["explain"], ["explain", "--all"]], ids=["explain", "all"])
def test_piped_explain_is_plain_and_the_same_at_any_width(
    sandbox: Sandbox, argv: list[str]
) -> None:
    """Piped, explain drew a box table padded to its widest row (552 columns on Bedrock, every
    line ending in spaces). Now: plain lines, no box drawing, no trailing blanks, the same text
    whatever the terminal width (a stable layout for grep and diff)."""
    env = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}
    args = [*argv, "--managed-settings", str(sandbox.tmp / "m.json")]
    outs = [
        run_cli(args, env=base_env(sandbox.home, {**env, "COLUMNS": c}), cwd=sandbox.cwd)
        for c in ("80", "300")
    ]
    assert [r.code for r in outs] == [0, 0], outs[0].stderr
    assert outs[0].stdout == outs[1].stdout
    lines = outs[0].stdout.splitlines()
    assert not [ln for ln in lines if re.search("[\u2500-\u257f]", ln)]  # box drawing
    assert not [ln for ln in lines if ln != ln.rstrip()]
    assert any(
        ln.split() == ["model", "us.anthropic.claude-opus-5-5", "built-in", "default"]
        for ln in lines
    )


@pytest.mark.parametrize(
    ("flag", "bad", "values"),
    [("--permission-mode", "bogus", PERMISSION_MODES), ("--subscription", "gold", SUBSCRIPTIONS)],
)
def test_flags_accept_only_real_values(
    flag: str, bad: str, values: tuple[str, ...], sandbox: Sandbox
) -> None:
    env = base_env(sandbox.home)
    run = run_cli(["resolve", flag, bad], env=env, cwd=sandbox.cwd)
    assert run.code == 2 and len(run.stderr.splitlines()) == 1, run.stderr
    assert flag in run.stderr and ", ".join(values) in run.stderr
    ok = run_cli(
        ["resolve", flag, values[-1], "--managed-settings", str(sandbox.tmp / "m.json")],
        env=env,
        cwd=sandbox.cwd,
    )
    assert ok.code == 0, ok.stderr


def test_effort_set_says_which_model_it_saved_for(sandbox: Sandbox) -> None:
    env = base_env(sandbox.home)
    args = ["--managed-settings", str(sandbox.tmp / "m.json"), "--model", "sonnet"]
    run = run_cli(["effort", "set", "high", *args], env=env, cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    settings = sandbox.home / ".claude" / "settings.json"
    assert run.stdout.startswith("Set effort level to high (saved as your default")
    key = "claude-sonnet-5-5"
    assert f"saved for {key} as modelSettings.{key}.effortLevel" in run.stderr
    assert str(settings) in run.stderr
    saved = json.loads(settings.read_text())
    assert saved["modelSettings"]["claude-sonnet-5-5"]["effortLevel"] == "high"
    run = run_cli(["effort", "set", "max", *args], env=env, cwd=sandbox.cwd)
    assert "this session only: nothing saved" in run.stderr


@pytest.mark.parametrize(
    ("policy", "current"),
    [
        ({"availableModels": ["sonnet"], "enforceAvailableModels": True}, "Sonnet 5.5"),
        ({"deniedModels": ["opus"]}, "Sonnet 5.5"),
        ({"availableModels": ["sonnet"]}, "Opus 5.5"),  # not enforced: the default still runs
    ],
    ids=["enforced-allowlist", "denied-opus", "plain-allowlist"],
)
def test_models_names_the_default_that_policy_leaves(
    policy: dict[str, object], current: str
) -> None:
    from claude_models.actions.picker import options

    snap = Snapshot.of(managed=policy, flags=Flags(print_mode=True))
    default = options(snap)[0]
    assert f"(currently {current})" in default.description
    assert resolve(snap).main.catalog_id == (
        "claude-opus-5-5" if current == "Opus 5.5" else "claude-sonnet-5-5"
    )


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"CLAUDE_CODE_DISABLE_FAST_MODE": "1"},
        {"CLAUDE_CODE_USE_BEDROCK": "1"},
    ],
    ids=["org-status", "disabled-by-env", "provider"],
)
def test_fast_on_and_explain_give_the_same_reason(env: dict[str, str], sandbox: Sandbox) -> None:
    environ = base_env(sandbox.home, {**env, "ANTHROPIC_API_KEY": "sk-ant-api03-abcdefghijkl"})
    common = ["--managed-settings", str(sandbox.tmp / "m.json"), "--cwd", str(sandbox.cwd)]
    fast = run_cli(["fast", "on", *common], env=environ, cwd=sandbox.cwd)
    refusal = (fast.stdout + fast.stderr).strip().splitlines()[-1]
    explain = run_cli(["explain", *common], env={**environ, "NO_COLOR": "1"}, cwd=sandbox.cwd)
    line = next(ln for ln in explain.stdout.splitlines() if "fast on" in ln)
    assert f"refused: {refusal}" in line
