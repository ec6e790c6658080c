"""Skills: a SKILL.md ``model`` override carries the session's ``[1m]`` only where the target
supports 1M (seed lesson section 4, ``resolveSkillModelOverride``)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve, resolve_skill
from claude_models.result import Request
from tests.clirun import base_env, run_cli

BETA_1M = "context-1m-2025-08-07"
BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}


def skill(
    session_model: str | None, skill_model: str, env: dict[str, str] | None = None, **kw: Any
) -> Request:
    snap = Snapshot.of(env=env, flags=Flags(model=session_model, print_mode=True), **kw)
    return resolve_skill(snap, skill_model)


# (id, env, session --model, skill model, wire id, context window, 1M beta sent)
CASES = [
    (
        "carry-onto-beta-1m",
        {},
        "sonnet[1m]",
        "claude-sonnet-4-5",
        "claude-sonnet-4-5",
        1_000_000,
        True,
    ),
    (
        "no-carry-without-session-1m",
        {},
        "claude-opus-4-6",
        "claude-sonnet-4-5",
        "claude-sonnet-4-5",
        200_000,
        False,
    ),
    (
        "carry-onto-native-1m-sends-no-beta",
        {},
        "opus[1m]",
        "haiku",
        "claude-haiku-5-5",
        1_000_000,
        False,
    ),
    (
        "haiku-without-1m-drops-it",
        BEDROCK,
        "sonnet[1m]",
        "haiku",
        "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        200_000,
        False,
    ),
    (
        "bedrock-carry-onto-opus-4-6",
        BEDROCK,
        "sonnet[1m]",
        "claude-opus-4-6",
        "us.anthropic.claude-opus-4-6-v1",
        1_000_000,
        True,
    ),
    (
        "skill-own-1m-kept",
        {},
        "claude-opus-4-6",
        "claude-sonnet-4-5[1m]",
        "claude-sonnet-4-5",
        1_000_000,
        True,
    ),
    ("unknown-target-no-carry", {}, "sonnet[1m]", "my-model", "my-model", 1_000_000, False),
    (
        "inherit-is-the-session",
        {},
        "claude-sonnet-4-5[1m]",
        "inherit",
        "claude-sonnet-4-5",
        1_000_000,
        True,
    ),
    (
        "disable-1m-no-carry",
        {"CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"},
        "sonnet[1m]",
        "claude-sonnet-4-5",
        "claude-sonnet-4-5",
        200_000,
        False,
    ),
]


@pytest.mark.parametrize(
    ("env", "session", "target", "want"),
    [(*c[1:4], c[4:]) for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_skill_model(env: dict[str, str], session: str, target: str, want: tuple[Any, ...]) -> None:
    wire, window, beta = want
    req = skill(session, target, env)
    assert req.model == wire
    assert req.context_window == window
    assert (BETA_1M in req.betas) is beta


def test_carry_is_named_in_the_source() -> None:
    assert "[1m] carried" in skill("sonnet[1m]", "claude-sonnet-4-5").source
    assert "[1m] carried" not in skill("claude-opus-4-6", "claude-sonnet-4-5").source


def test_skill_shaped_like_its_own_model() -> None:
    req = skill("opus", "claude-sonnet-4-5")
    assert (req.max_tokens, req.effort) == (32000, None)
    assert req.thinking is not None and req.thinking.type == "enabled"


def test_skill_not_allowed_runs_session_model_with_warning() -> None:
    snap = Snapshot.of(
        flags=Flags(model="opus", skill_model="haiku", print_mode=True),
        managed={"deniedModels": ["haiku"]},
    )
    res = resolve(snap)
    assert res.skill is not None and res.skill.model == res.main.model == "claude-opus-5-5"
    assert "skill_model_replaced" in [w.code for w in res.warnings]


def test_skill_effort_and_env_precedence() -> None:
    snap = Snapshot.of(flags=Flags(print_mode=True, effort="low"))
    assert resolve_skill(snap, "sonnet").effort == "low"  # the session's --effort
    assert resolve_skill(snap, "sonnet", "high").effort == "high"  # skill effort beats it
    snap = Snapshot.of(env={"CLAUDE_CODE_EFFORT_LEVEL": "medium"}, flags=Flags(print_mode=True))
    assert resolve_skill(snap, "sonnet", "high").effort == "medium"  # env beats both


def test_no_skill_without_flag() -> None:
    assert resolve(Snapshot.of()).skill is None
    assert resolve(Snapshot.of()).to_json()["skill"] is None


def test_cli_skill_model_field(sandbox: Any) -> None:
    run = run_cli(
        [
            "resolve",
            "-p",
            "--managed-settings",
            "/nonexistent",
            "--model",
            "sonnet[1m]",
            "--skill-model",
            "claude-sonnet-4-5",
        ],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
    )
    assert run.code == 0, run.stderr
    out = run.json()["skill"]
    assert out["model"] == "claude-sonnet-4-5"
    assert out["setting"] == "claude-sonnet-4-5"
    assert BETA_1M in out["betas"] and out["context_window"] == 1_000_000
