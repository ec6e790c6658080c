"""Subagents: the ``Agent`` tool's model and effort (BEHAVIOUR.md section 5, seed lesson 9)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from claude_models import AgentDef, Flags, Snapshot, resolve
from claude_models.result import Subagent

FORCE = {"CLAUDE_CODE_SUBAGENT_MODEL_FORCE": "1"}
BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}


def custom(name: str = "rev", model: str | None = None, effort: str | None = None) -> AgentDef:
    return AgentDef(name, model, effort, f"/p/.claude/agents/{name}.md", "project")


#: The release BEHAVIOUR.md describes: these cases are its observations (the 2.1.332
#: counterparts of the ones whose catalog moved are in tests/test_release_rules.py).
BEHAVIOUR_RELEASE = "2.1.328"


def sub(
    agent: dict[str, Any],
    env: dict[str, str] | None = None,
    model: str | None = None,
    agents: tuple[AgentDef, ...] = (),
    **kw: Any,
) -> Subagent:
    flags = kw.pop("flags", None) or Flags(model=model, print_mode=True)
    kw.setdefault("claude_version", BEHAVIOUR_RELEASE)
    res = resolve(Snapshot.of(env=env, flags=flags, agent=agent, agents=agents, **kw))
    assert res.subagent is not None
    return res.subagent


def model_of(s: Subagent) -> str:
    assert s.request is not None, s.error
    return s.request.model


# -- model precedence: one test per adjacent pair -------------------------------------------
# SUBAGENT_MODEL+FORCE > Agent model > frontmatter > CLAUDE_CODE_SUBAGENT_MODEL > inherit


def test_pair_forced_env_beats_agent_model() -> None:
    s = sub({"model": "haiku"}, {"CLAUDE_CODE_SUBAGENT_MODEL": "sonnet", **FORCE})
    assert model_of(s) == "claude-sonnet-5-5"
    assert s.request is not None and s.request.source.endswith("(forced)")


def test_pair_agent_model_beats_frontmatter() -> None:
    s = sub({"subagent_type": "rev", "model": "haiku"}, agents=(custom(model="sonnet"),))
    assert model_of(s) == "claude-haiku-5-5"


def test_pair_frontmatter_beats_env() -> None:
    s = sub(
        {"subagent_type": "rev"},
        {"CLAUDE_CODE_SUBAGENT_MODEL": "sonnet"},
        agents=(custom(model="haiku"),),
    )
    assert model_of(s) == "claude-haiku-5-5"
    assert s.request is not None and s.request.origin == "/p/.claude/agents/rev.md"


def test_pair_env_beats_inherit() -> None:
    assert model_of(sub({}, {"CLAUDE_CODE_SUBAGENT_MODEL": "sonnet"})) == "claude-sonnet-5-5"
    assert model_of(sub({})) == "claude-opus-5-5"


def test_agent_model_beats_env_without_force() -> None:
    s = sub({"model": "haiku"}, {"CLAUDE_CODE_SUBAGENT_MODEL": "sonnet"})
    assert model_of(s) == "claude-haiku-5-5"


def test_subagent_model_inherit_does_not_stop_agent_haiku() -> None:
    s = sub({"model": "haiku"}, {"CLAUDE_CODE_SUBAGENT_MODEL": "inherit"})
    assert model_of(s) == "claude-haiku-5-5"


def test_subagent_model_inherit_means_parent() -> None:
    s = sub({}, {"CLAUDE_CODE_SUBAGENT_MODEL": "inherit"}, model="sonnet")
    assert model_of(s) == "claude-sonnet-5-5"


def test_forced_inherit_pins_every_subagent_to_parent() -> None:
    s = sub({"model": "haiku"}, {"CLAUDE_CODE_SUBAGENT_MODEL": "inherit", **FORCE})
    assert model_of(s) == "claude-opus-5-5"


def test_force_without_model_does_nothing() -> None:
    assert model_of(sub({"model": "haiku"}, FORCE)) == "claude-haiku-5-5"


# -- the tool's enum and agent types ---------------------------------------------------------


@pytest.mark.parametrize("bad", ["inherit", "claude-opus-4-6", "OPUS", "", 3, None])
def test_model_outside_enum_is_rejected(bad: object) -> None:
    s = sub({"model": bad})
    if bad is None:
        assert s.error is None  # model omitted: inherit
        return
    assert s.request is None
    assert s.error is not None and "InputValidationError" in s.error


@pytest.mark.parametrize("ok", ["sonnet", "opus", "haiku", "fable"])
def test_enum_values_accepted(ok: str) -> None:
    assert sub({"model": ok}).error is None


def test_unknown_agent_type_is_an_error_listing_agents() -> None:
    s = sub({"subagent_type": "nope"}, agents=(custom(),))
    assert s.request is None and s.error is not None
    assert "'nope' not found" in s.error and "rev" in s.error and "Explore" in s.error


def test_fork_ignores_model() -> None:
    assert model_of(sub({"subagent_type": "fork", "model": "haiku"}, model="sonnet")) == (
        "claude-sonnet-5-5"
    )


@pytest.mark.parametrize("kind", ["Explore", "Plan", "general-purpose"])
def test_builtin_agents_inherit(kind: str) -> None:
    assert model_of(sub({"subagent_type": kind}, model="sonnet")) == "claude-sonnet-5-5"


@pytest.mark.parametrize("fm", [None, "inherit", "Inherit"])
def test_frontmatter_inherit_or_missing(fm: str | None) -> None:
    s = sub({"subagent_type": "rev"}, model="sonnet", agents=(custom(model=fm),))
    assert model_of(s) == "claude-sonnet-5-5"


def test_frontmatter_takes_any_id() -> None:
    s = sub({"subagent_type": "rev"}, agents=(custom(model="claude-opus-4-6"),))
    assert model_of(s) == "claude-opus-4-6"


# -- parent's family, [1m], providers --------------------------------------------------------


@pytest.mark.parametrize(
    ("parent", "alias"),
    [("claude-opus-4-6", "opus"), ("claude-sonnet-4-5", "sonnet"), ("claude-haiku-4-5", "haiku")],
)
def test_alias_of_parent_family_keeps_parent_id(parent: str, alias: str) -> None:
    assert model_of(sub({"model": alias}, model=parent)) == parent


def test_parent_family_keeps_1m() -> None:
    s = sub({"model": "sonnet"}, model="claude-sonnet-4-5[1m]")
    assert s.request is not None
    assert s.request.model == "claude-sonnet-4-5"
    assert "context-1m-2025-08-07" in s.request.betas


def test_other_family_resolves_alias() -> None:
    assert model_of(sub({"model": "haiku"}, model="claude-opus-4-6")) == "claude-haiku-5-5"


def test_bedrock_region_from_aws_region() -> None:
    s = sub({"model": "haiku"}, {**BEDROCK, "AWS_REGION": "eu-west-1"})
    assert model_of(s) == "eu.anthropic.claude-haiku-4-5-20251001-v1:0"


def test_bedrock_parent_prefix_beats_aws_region() -> None:
    env = {**BEDROCK, "ANTHROPIC_MODEL": "eu.anthropic.claude-opus-4-6-v1"}
    assert model_of(sub({"model": "sonnet"}, env)) == (
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"
    )


def test_bedrock_own_prefix_is_kept() -> None:
    env = {**BEDROCK, "ANTHROPIC_MODEL": "eu.anthropic.claude-opus-4-6-v1"}
    own = "us.anthropic.claude-haiku-4-5-20251001-v1:0"
    s = sub({"subagent_type": "rev"}, env, agents=(custom(model=own),))
    assert model_of(s) == own


def test_foundry_opus() -> None:
    assert model_of(sub({"model": "opus"}, {"CLAUDE_CODE_USE_FOUNDRY": "1"})) == ("claude-opus-4-6")


@pytest.mark.parametrize("alias", ["haiku", "sonnet"])
def test_mantle_haiku_and_sonnet_quirk(alias: str) -> None:
    s = sub({"model": alias}, {"CLAUDE_CODE_USE_MANTLE": "1"})
    assert model_of(s) == "anthropic.claude-haiku-4-5"


# -- not allowed or denied: silently the parent's -------------------------------------------


@pytest.mark.parametrize(
    "policy",
    [
        {"managed": {"availableModels": ["opus", "sonnet"], "enforceAvailableModels": True}},
        {"user": {"availableModels": ["opus"]}},
        {"managed": {"deniedModels": ["haiku"]}},
    ],
    ids=["managed-enforced", "user-allowlist", "managed-denied"],
)
def test_not_allowed_or_denied_inherits(policy: dict[str, Any]) -> None:
    s = sub({"model": "haiku"}, **policy)
    assert model_of(s) == "claude-opus-5-5"
    assert s.replaced == "haiku"


def test_user_denied_does_not_replace() -> None:
    s = sub({"model": "haiku"}, user={"deniedModels": ["haiku"]})
    assert model_of(s) == "claude-haiku-5-5" and s.replaced is None


def test_plan_mode_print_refuses_agent_calls() -> None:
    s = sub({"model": "haiku"}, flags=Flags(permission_mode="plan", print_mode=True))
    assert s.request is None and s.error is not None and "auto mode" in s.error


# -- effort precedence: one test per adjacent pair -------------------------------------------
# CLAUDE_CODE_EFFORT_LEVEL > Agent effort > frontmatter effort > CLAUDE_CODE_SUBAGENT_EFFORT
# > the subagent model's own default


def effort_of(s: Subagent) -> str | None:
    assert s.request is not None
    return s.request.effort


def test_effort_pair_env_level_beats_agent_effort() -> None:
    s = sub({"effort": "high"}, {"CLAUDE_CODE_EFFORT_LEVEL": "low"})
    assert effort_of(s) == "low"


def test_effort_pair_agent_effort_beats_frontmatter() -> None:
    s = sub({"subagent_type": "rev", "effort": "high"}, agents=(custom(effort="low"),))
    assert effort_of(s) == "high"


def test_effort_pair_frontmatter_beats_subagent_effort_env() -> None:
    s = sub(
        {"subagent_type": "rev"},
        {"CLAUDE_CODE_SUBAGENT_EFFORT": "high"},
        agents=(custom(effort="low"),),
    )
    assert effort_of(s) == "low"


def test_effort_pair_subagent_effort_env_beats_model_default() -> None:
    assert effort_of(sub({}, {"CLAUDE_CODE_SUBAGENT_EFFORT": "high"})) == "high"
    assert effort_of(sub({})) == "medium"


def test_effort_is_the_subagents_models_default_not_the_parents() -> None:
    s = sub({"subagent_type": "rev"}, agents=(custom(model="claude-opus-4-6"),))
    assert effort_of(s) == "high"


def test_parent_effort_flag_does_not_reach_subagent() -> None:
    s = sub({}, flags=Flags(effort="low", print_mode=True))
    assert effort_of(s) == "medium"


def test_subagent_effort_garbage_skipped() -> None:
    s = sub({"effort": "bogus"}, {"CLAUDE_CODE_SUBAGENT_EFFORT": "low"})
    assert effort_of(s) == "low"


def test_subagent_effort_dropped_on_model_without_effort() -> None:
    s = sub({"model": "haiku", "effort": "high"}, {"CLAUDE_CODE_USE_FOUNDRY": "1"})
    assert s.request is not None and s.request.model == "claude-haiku-4-5"
    assert s.request.effort is None


# -- through the CLI: custom agents from both folders ----------------------------------------


def test_cli_custom_agents_project_beats_user(sandbox: Any) -> None:
    from tests.clirun import base_env, run_cli

    user_dir = sandbox.home / ".claude" / "agents"
    proj_dir = sandbox.cwd / ".claude" / "agents"
    user_dir.mkdir(parents=True)
    proj_dir.mkdir(parents=True)
    (user_dir / "rev.md").write_text("---\nname: rev\nmodel: sonnet\n---\nuser\n")
    (proj_dir / "rev.md").write_text("---\nname: rev\nmodel: haiku\neffort: low\n---\nproj\n")
    (user_dir / "only-user.md").write_text("---\nname: only-user\nmodel: claude-opus-4-6\n---\n")
    env = base_env(sandbox.home)
    common = ["resolve", "-p", "--managed-settings", "/nonexistent", "--agent"]
    run = run_cli([*common, json.dumps({"subagent_type": "rev"})], env=env, cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    out = run.json()["subagent"]
    assert (out["model"], out["effort"]) == ("claude-haiku-5-5", "low")
    assert out["origin"] == str(proj_dir / "rev.md")
    run = run_cli([*common, '{"subagent_type": "only-user"}'], env=env, cwd=sandbox.cwd)
    out = run.json()["subagent"]
    assert (out["model"], out["effort"]) == ("claude-opus-4-6", "high")


def test_cli_rejected_call_gives_error_object(sandbox: Any) -> None:
    from tests.clirun import base_env, run_cli

    run = run_cli(
        ["resolve", "-p", "--managed-settings", "/nonexistent", "--agent", '{"model":"inherit"}'],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
    )
    assert run.code == 0, run.stderr
    out = run.json()
    assert out["subagent"]["model"] is None
    assert "InputValidationError" in out["subagent"]["error"]
    assert "subagent_call_rejected" in [w["code"] for w in out["warnings"]]
