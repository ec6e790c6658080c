"""``model set``, ``effort set`` and ``fast on|off`` (BEHAVIOUR.md 8d messages), and the
library's :class:`Session` with the fast-mode cooldown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claude_models.account import Account
from claude_models.actions.effort import set_effort
from claude_models.actions.fast import cooldown_message, set_fast
from claude_models.actions.model import set_model
from claude_models.actions.session import Session
from claude_models.resolver import resolve
from claude_models.settings.scopes import Scope
from claude_models.snapshot import Flags, SessionState, Snapshot
from tests.clirun import Run, base_env, run_cli
from tests.conftest import Sandbox

OPTIONS = "low, medium, high, xhigh, max, auto, ultracode [on|off]"
BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}


def _cli(sandbox: Sandbox, *args: str, env: dict[str, str] | None = None) -> Run:
    return run_cli(list(args), env=base_env(sandbox.home, env), cwd=sandbox.cwd)


def _user(sandbox: Sandbox) -> dict[str, Any]:
    p = sandbox.home / ".claude" / "settings.json"
    return json.loads(p.read_text()) if p.exists() else {}


def _seed(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


# -- model set ----------------------------------------------------------------------------------

MODEL_MESSAGES = [
    ("haiku", "Set model to Haiku 5.5 and saved as your default for new sessions"),
    ("claude-sonnet-5-5", "Set model to Sonnet 5.5 and saved as your default for new sessions"),
    ("opus[1m]", "Set model to Opus 5.5 and saved as your default for new sessions"),
    (
        "opusplan",
        "Set model to Opus in plan mode, else Sonnet and saved as your default for new sessions",
    ),
    (
        "claude-sonnet-4-5[1m]",
        "Set model to Sonnet 4.5 (1M context) and saved as your default for new sessions",
    ),
]


@pytest.mark.parametrize(("value", "message"), MODEL_MESSAGES)
def test_model_set_saves_as_typed(sandbox: Sandbox, value: str, message: str) -> None:
    _seed(sandbox.home / ".claude" / "settings.json", {"keep": 1})
    r = _cli(sandbox, "model", "set", value)
    assert (r.code, r.stdout, r.stderr) == (0, message + "\n", "")
    assert _user(sandbox) == {"keep": 1, "model": value}


def test_model_set_default_removes_the_key(sandbox: Sandbox) -> None:
    _seed(sandbox.home / ".claude" / "settings.json", {"model": "haiku", "keep": 1})
    r = _cli(sandbox, "model", "set", "default")
    assert (
        r.stdout == "Set model to Opus 5.5 (default) and saved as your default for new sessions\n"
    )
    assert _user(sandbox) == {"keep": 1}


def test_model_set_refused_by_the_allowlist_saves_nothing(sandbox: Sandbox) -> None:
    _seed(sandbox.home / ".claude" / "settings.json", {"availableModels": ["sonnet", "haiku"]})
    r = _cli(sandbox, "model", "set", "opus")
    assert r.code == 1
    assert (
        r.stderr == "Model 'opus' is not available. Your organization restricts model selection.\n"
    )
    assert r.stdout == ""
    assert _user(sandbox) == {"availableModels": ["sonnet", "haiku"]}


def test_model_set_refused_by_managed_policy(sandbox: Sandbox) -> None:
    managed = sandbox.tmp / "managed.json"
    _seed(managed, {"availableModels": ["haiku"]})
    r = _cli(sandbox, "model", "set", "sonnet", "--managed-settings", str(managed))
    assert r.code == 1
    assert "Model 'sonnet' is not available." in r.stderr
    assert not (sandbox.home / ".claude" / "settings.json").exists()


@pytest.mark.parametrize(
    ("scope", "rel", "saved"),
    [
        (
            "project",
            ".claude/settings.json",
            "saved as this project's default for new sessions (.claude/settings.json)",
        ),
        (
            "local",
            ".claude/settings.local.json",
            "saved as your default in this project (.claude/settings.local.json)",
        ),
    ],
)
def test_model_set_scope(sandbox: Sandbox, scope: str, rel: str, saved: str) -> None:
    r = _cli(sandbox, "model", "set", "sonnet", "--scope", scope)
    assert r.stdout == f"Set model to Sonnet 5.5 and {saved}\n"
    assert json.loads((sandbox.cwd / rel).read_text()) == {"model": "sonnet"}
    assert not (sandbox.home / ".claude" / "settings.json").exists()


def test_model_set_on_bedrock_saves_the_picker_value(sandbox: Sandbox) -> None:
    r = _cli(sandbox, "model", "set", "us.anthropic.claude-opus-4-6-v1[1m]", env=BEDROCK)
    assert r.code == 0, r.stderr
    assert (
        r.stdout
        == "Set model to Opus 4.6 (1M context) and saved as your default for new sessions\n"
    )
    assert _user(sandbox) == {"model": "us.anthropic.claude-opus-4-6-v1[1m]"}


def test_model_set_custom_option_needs_no_probe(sandbox: Sandbox) -> None:
    r = _cli(sandbox, "model", "set", "my-model", env={"ANTHROPIC_CUSTOM_MODEL_OPTION": "my-model"})
    assert r.code == 0, r.stderr
    assert _user(sandbox) == {"model": "my-model"}


def test_set_model_unknown_id_uses_the_validator() -> None:
    class Result:
        def __init__(self, verdict: str) -> None:
            self.verdict, self.message = verdict, ""

    snap = Snapshot.of()
    refused = set_model(snap, "claude-foo-9", validate=lambda s, m: Result("not_found"))
    assert (refused.ok, refused.message, refused.edits) == (
        False,
        "Model 'claude-foo-9' not found",
        (),
    )
    ok = set_model(snap, "claude-bar-7", validate=lambda s, m: Result("available"))
    assert ok.ok
    assert ok.notices[0].startswith(
        'Claude Code doesn\'t recognize the model "claude-bar-7", so it assumes a context '
        "window of 1m tokens."
    )
    assert ok.edits[0].value == "claude-bar-7"
    calls: list[str] = []
    set_model(snap, "sonnet", validate=lambda s, m: calls.append(m) or Result("available"))  # type: ignore[func-returns-value]
    assert calls == []  # known aliases are never probed


# -- effort set ---------------------------------------------------------------------------------

EFFORT_MESSAGES = {
    "high": "Set effort level to high (saved as your default for new sessions): "
    "Comprehensive implementation with extensive testing and documentation",
    "xhigh": "Set effort level to xhigh (saved as your default for new sessions): "
    "Deeper reasoning than high, just below maximum (on supported models)",
}


@pytest.mark.parametrize("level", ["high", "xhigh"])
def test_effort_set_saves_per_model(sandbox: Sandbox, level: str) -> None:
    r = _cli(sandbox, "effort", "set", level)
    assert (r.code, r.stdout) == (0, EFFORT_MESSAGES[level] + "\n")
    assert _user(sandbox) == {"modelSettings": {"claude-opus-5-5": {"effortLevel": level}}}


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("sonnet", "claude-sonnet-5-5"),
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),  # the catalog id, not the dated one
        ("claude-foo-9", "claude-foo-9"),
    ],
)
def test_effort_key_is_the_catalog_id_of_the_running_model(
    sandbox: Sandbox, model: str, key: str
) -> None:
    _seed(sandbox.home / ".claude" / "settings.json", {"model": model})
    assert _cli(sandbox, "effort", "set", "low").code == 0
    assert _user(sandbox)["modelSettings"] == {key: {"effortLevel": "low"}}


def test_effort_max_is_this_session_only(sandbox: Sandbox) -> None:
    r = _cli(sandbox, "effort", "set", "max")
    assert r.stdout == (
        "Set effort level to max (this session only): Maximum capability with deepest reasoning. "
        "May use excessive tokens resulting in long response times or overthinking. Use "
        "sparingly for the hardest tasks.\n"
    )
    assert not (sandbox.home / ".claude" / "settings.json").exists()


def test_effort_auto_clears_and_leaves_an_empty_object(sandbox: Sandbox) -> None:
    _seed(
        sandbox.home / ".claude" / "settings.json",
        {
            "modelSettings": {
                "claude-opus-5-5": {"effortLevel": "high"},
                "claude-sonnet-5-5": {"effortLevel": "low"},
            }
        },
    )
    r = _cli(sandbox, "effort", "set", "auto")
    assert r.stdout == "Effort level set to auto\n"
    assert _user(sandbox) == {
        "modelSettings": {"claude-opus-5-5": {}, "claude-sonnet-5-5": {"effortLevel": "low"}}
    }


@pytest.mark.parametrize("bad", ["42", "extreme", "high please"])
def test_effort_unknown_option_is_refused(sandbox: Sandbox, bad: str) -> None:
    r = _cli(sandbox, "effort", "set", *bad.split())
    assert r.code == 1
    assert r.stderr == f"Unknown option: {bad}. Options: {OPTIONS}\n"
    assert not (sandbox.home / ".claude" / "settings.json").exists()


def test_effort_env_override_still_saves_and_says_so(sandbox: Sandbox) -> None:
    r = _cli(sandbox, "effort", "set", "low", env={"CLAUDE_CODE_EFFORT_LEVEL": "max"})
    assert (
        r.stdout
        == "CLAUDE_CODE_EFFORT_LEVEL=max overrides this session — clear it and low takes over\n"
    )
    assert _user(sandbox) == {"modelSettings": {"claude-opus-5-5": {"effortLevel": "low"}}}


def test_saved_effort_is_what_the_next_session_sends(sandbox: Sandbox) -> None:
    assert _cli(sandbox, "effort", "set", "low").code == 0
    res = _cli(sandbox, "resolve", "-p").json()
    assert res["main"]["effort"] == "low"


# -- fast ---------------------------------------------------------------------------------------

HEADER = (
    "High-speed mode for Opus 5.5. Draws from usage credits at a higher rate. "
    "Separate rate limits apply."
)


def test_fast_on_first_party_fresh_install_is_unavailable(sandbox: Sandbox) -> None:
    r = _cli(sandbox, "fast", "on")
    assert (r.code, r.stderr) == (1, f"{HEADER}\nFast mode is currently unavailable\n")
    assert not (sandbox.home / ".claude" / "settings.json").exists()


def test_fast_on_bedrock(sandbox: Sandbox) -> None:
    r = _cli(sandbox, "fast", "on", env=BEDROCK)
    assert (r.code, r.stderr) == (1, "Fast mode is not available on this provider\n")


def test_fast_on_max_without_extra_usage(sandbox: Sandbox) -> None:
    (sandbox.home / ".claude.json").write_text('{"penguinModeOrgEnabled": true}')
    env = {"CLAUDE_CODE_OAUTH_TOKEN": "t", "CLAUDE_CODE_SUBSCRIPTION_TYPE": "max"}
    r = _cli(sandbox, "fast", "on", env=env)
    assert (r.code, r.stderr) == (1, f"{HEADER}\nFast mode requires extra usage billing\n")


def test_fast_on_when_the_org_has_it_keeps_a_fast_model(sandbox: Sandbox) -> None:
    (sandbox.home / ".claude.json").write_text('{"penguinModeOrgEnabled": true}')
    r = _cli(sandbox, "fast", "on")
    assert (r.code, r.stdout) == (0, "Fast mode ON\n")
    assert _user(sandbox) == {"fastMode": True}
    fast = _cli(sandbox, "resolve").json()["fast_mode"]
    assert (fast["state"], fast["reason"]) == ("on", None)


def test_fast_on_switches_a_model_without_fast_mode(sandbox: Sandbox) -> None:
    (sandbox.home / ".claude.json").write_text('{"penguinModeOrgEnabled": true}')
    _seed(sandbox.home / ".claude" / "settings.json", {"model": "sonnet"})
    r = _cli(sandbox, "fast", "on")
    assert r.stdout == "Fast mode ON · model set to Opus 5.5\n"
    assert _user(sandbox) == {"model": "opus", "fastMode": True}


def test_fast_off_always_saves(sandbox: Sandbox) -> None:
    r = _cli(sandbox, "fast", "off", env=BEDROCK)
    assert (r.code, r.stdout) == (0, "Fast mode OFF\n")
    assert _user(sandbox) == {"fastMode": False}


# -- the library session ------------------------------------------------------------------------


def _session(tmp: Path, **kw: Any) -> Session:
    snap = Snapshot.of(env={"HOME": str(tmp)}, account=Account(None, False, True), now=1000.0, **kw)
    return Session(snap)


def test_session_model_is_layer_one_and_persists(tmp_path: Path) -> None:
    s = _session(tmp_path, flags=Flags(model="haiku"))
    out = s.model("sonnet")
    assert out.ok and s.snapshot.session.model == "sonnet"
    res = resolve(s.snapshot)
    assert (res.main.model, res.main.source) == ("claude-sonnet-5-5", "session")
    assert json.loads((tmp_path / ".claude" / "settings.json").read_text()) == {"model": "sonnet"}


def test_session_effort_max_applies_without_saving(tmp_path: Path) -> None:
    s = _session(tmp_path)
    s.effort("max")
    assert resolve(s.snapshot).main.effort == "max"
    assert not (tmp_path / ".claude" / "settings.json").exists()


def test_session_fast_cooldown_reset_time_and_clearing(tmp_path: Path) -> None:
    s = _session(tmp_path)
    assert s.fast(True).ok
    assert resolve(s.snapshot).fast_mode.state == "on"
    s.cooldown(1000.0 + 12 * 60)
    fm = resolve(s.snapshot).fast_mode
    assert (fm.state, fm.reason) == ("cooldown", "cooldown")
    assert (
        cooldown_message(s.snapshot.session, 1000.0)
        == "fast mode cooling down · resets in 12 minutes"
    )
    assert cooldown_message(s.snapshot.session, 1000.0 + 12 * 60) is None
    s.clear_cooldown()
    assert resolve(s.snapshot).fast_mode.state == "on"


def test_session_without_save_writes_nothing(tmp_path: Path) -> None:
    s = Session(Snapshot.of(env={"HOME": str(tmp_path)}), save=False)
    s.model("haiku")
    s.effort("low")
    assert resolve(s.snapshot).main.model == "claude-haiku-5-5"
    assert not (tmp_path / ".claude").exists()


def test_pure_planners_do_not_touch_disk(tmp_path: Path) -> None:
    snap = Snapshot.of(env={"HOME": str(tmp_path)}, session=SessionState(model="opus"))
    for out in (
        set_model(snap, "haiku", scope=Scope.LOCAL),
        set_effort(snap, "low"),
        set_fast(snap, False),
    ):
        assert out.edits
    assert list(tmp_path.iterdir()) == []
