"""Every precedence chain returns a Decision naming the step that won; one test per adjacent
pair of each chain's steps, generated from the chain's step table (highest first): with the
inputs of both steps present, the higher one wins; with only its own inputs, each step wins.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any, get_args

import pytest

from claude_models import AgentDef, Flags, SessionState, Snapshot, resolve
from claude_models.decision import (
    EffortStep,
    MainStep,
    ProviderStep,
    SideStep,
    SubagentStep,
    TierStep,
)
from claude_models.resolvers.fastmode import FastStep
from claude_models.resolvers.subscription import subscription_decision
from claude_models.result import Resolution

Inputs = dict[str, Any]  # env, flags, session, user, project, managed, agent, agents, ...


def merge(low: Inputs, high: Inputs) -> Inputs:
    """``high``'s inputs on top of ``low``'s (dicts merged key by key, ``high`` winning)."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in low.items()}
    for key, value in high.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        elif isinstance(value, list) and isinstance(out.get(key), list):
            out[key] = [*out[key], *value]
        else:
            out[key] = value
    return out


def snapshot(inputs: Inputs) -> Snapshot:
    kw = dict(inputs)
    flags = Flags(**kw.pop("flags", {}))
    session = SessionState(**kw.pop("session", {}))
    agents = [AgentDef(**a) for a in kw.pop("agents", [])]
    return Snapshot.of(flags=flags, session=session, agents=agents, **kw)


def _res(inputs: Inputs) -> Resolution:
    return resolve(snapshot(inputs))


def _decisions(res: Resolution) -> Any:
    assert res.decisions is not None
    return res.decisions


# chain -> (base inputs, step -> the inputs that make it win, how to read the winning step)
Chain = tuple[Inputs, list[tuple[str, Inputs]], Callable[[Inputs], str]]
AGENT = {"agent": {"subagent_type": "general-purpose"}}

CHAINS: dict[str, Chain] = {
    "main": (
        {"flags": {"print_mode": True}},
        [
            ("session", {"session": {"model": "haiku"}}),
            ("flag", {"flags": {"model": "sonnet"}}),
            ("env", {"env": {"ANTHROPIC_MODEL": "claude-opus-4-5"}}),
            ("settings", {"user": {"model": "claude-sonnet-4-5"}}),
            ("default_env", {"env": {"ANTHROPIC_DEFAULT_MODEL": "claude-haiku-4-5"}}),
            ("default", {}),
        ],
        lambda i: _decisions(_res(i)).main.step,
    ),
    "side": (
        {"flags": {"print_mode": True}},
        [
            ("small_fast_env", {"env": {"ANTHROPIC_SMALL_FAST_MODEL": "claude-haiku-4-5"}}),
            ("haiku_env", {"env": {"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-3-5-haiku"}}),
            (
                "haiku_slot",
                {"env": {"CLAUDE_CODE_USE_BEDROCK": "0", "CLAUDE_CODE_USE_FOUNDRY": "0"}},
            ),
            ("provider_sonnet", {"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}}),
            ("main_loop", {"env": {"CLAUDE_CODE_USE_FOUNDRY": "1"}}),
        ],
        lambda i: _decisions(_res(i)).side.step,
    ),
    "subagent": (
        {"flags": {"print_mode": True}, **AGENT},
        [
            ("fork", {"agent": {"subagent_type": "fork"}}),
            (
                "forced_env",
                {
                    "env": {
                        "CLAUDE_CODE_SUBAGENT_MODEL": "claude-haiku-4-5",
                        "CLAUDE_CODE_SUBAGENT_MODEL_FORCE": "1",
                    }
                },
            ),
            ("agent_input", {"agent": {"model": "sonnet"}}),
            (
                "frontmatter",
                {
                    "agent": {"subagent_type": "custom"},
                    "agents": [
                        {
                            "name": "custom",
                            "model": "claude-opus-4-5",
                            "effort": None,
                            "path": "custom.md",
                            "scope": "project",
                        }
                    ],
                },
            ),
            ("env", {"env": {"CLAUDE_CODE_SUBAGENT_MODEL": "claude-sonnet-4-5"}}),
            ("inherit", {}),
        ],
        lambda i: _decisions(_res(i)).subagent.step,
    ),
    "effort": (
        {"flags": {"print_mode": True}},
        [
            ("env", {"env": {"CLAUDE_CODE_EFFORT_LEVEL": "low"}}),
            ("session", {"session": {"effort": "medium"}}),
            ("flag", {"flags": {"effort": "high"}}),
            ("settings", {"project": {"effortLevel": "low"}}),
            ("model_settings", {"user": {"modelSettings": {"opus": {"effortLevel": "high"}}}}),
            ("model_default", {}),
        ],
        lambda i: _decisions(_res(i)).effort.step,
    ),
    "provider": (
        {},
        [(var, {"env": {var: "1"}}) for var in get_args(ProviderStep)[:-1]] + [("default", {})],
        lambda i: _decisions(_res(i)).provider.step,
    ),
    "tier": (
        {},
        [
            ("given", {"flag": "max"}),
            (
                "oauth_env",
                {"env": {"CLAUDE_CODE_OAUTH_TOKEN": "t", "CLAUDE_CODE_SUBSCRIPTION_TYPE": "pro"}},
            ),
            ("login", {"stored": "team_premium"}),
            ("api", {}),
        ],
        lambda i: subscription_decision(i.get("env", {}), i.get("flag"), i.get("stored")).step,
    ),
    "fast": (
        {"flags": {"print_mode": False}},
        [
            ("disabled_by_env", {"env": {"CLAUDE_CODE_DISABLE_FAST_MODE": "1"}}),
            ("provider", {"env": {"CLAUDE_CODE_USE_BEDROCK": "1"}}),
            ("vertex_location", {"env": {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "x"}}),
            ("model_not_allowed", {"managed": {"deniedModels": ["claude-opus-5-5"]}}),
            ("tier_unknown", {"subscription": "unknown"}),
            ("opt_in", {"session": {"fast_mode": False}}),
            ("cooldown", {"session": {"fast_mode": True, "fast_cooldown_until": 2.0}, "now": 1.0}),
            ("model_supports", {"session": {"fast_mode": True}}),
        ],
        lambda i: _decisions(_res(i)).fast.step,
    ),
}
# each chain's steps, in docstring order (the post-chain outcomes have their own cases below)
ORDER: dict[str, tuple[str, ...]] = {
    "main": get_args(MainStep),
    "side": get_args(SideStep),
    "subagent": tuple(s for s in get_args(SubagentStep) if s != "frontmatter_inherit"),
    "effort": tuple(
        s for s in get_args(EffortStep) if s not in ("agent_input", "frontmatter", "subagent_env")
    ),
    "provider": get_args(ProviderStep),
    "tier": get_args(TierStep),
    "fast": tuple(
        s for s in get_args(FastStep) if s not in ("extra_usage", "org_disabled", "model_lacks")
    ),
}

SINGLE = [(name, step, inputs) for name, (_, table, _) in CHAINS.items() for step, inputs in table]
PAIRS = [
    (name, hi, lo, hi_in, lo_in)
    for name, (_, table, _) in CHAINS.items()
    for (hi, hi_in), (lo, lo_in) in pairwise(table)
]


@pytest.mark.parametrize("name", CHAINS)
def test_step_table_follows_the_literal_order(name: str) -> None:
    steps = [step for step, _ in CHAINS[name][1]]
    order = ORDER[name]
    assert steps == [s for s in order if s in steps]
    assert set(order) - set(steps) <= set(POST_CHAIN.get(name, {}))


@pytest.mark.parametrize(("name", "step", "inputs"), SINGLE, ids=[f"{n}-{s}" for n, s, _ in SINGLE])
def test_each_step_wins_alone(name: str, step: str, inputs: Inputs) -> None:
    base, _, read = CHAINS[name]
    assert read(merge(base, inputs)) == step


@pytest.mark.parametrize(
    ("name", "hi", "lo", "hi_in", "lo_in"), PAIRS, ids=[f"{p[0]}-{p[1]}-over-{p[2]}" for p in PAIRS]
)
def test_higher_step_beats_the_next(
    name: str, hi: str, lo: str, hi_in: Inputs, lo_in: Inputs
) -> None:
    base, _, read = CHAINS[name]
    assert read(merge(merge(base, lo_in), hi_in)) == hi


# Outcomes after the chain: named steps too.
POST_CHAIN: dict[str, dict[str, Inputs]] = {
    "main": {
        "replaced_not_allowed": {
            "flags": {"model": "sonnet"},
            "managed": {"availableModels": ["opus"]},
        },
        "replaced_denied": {"flags": {"model": "sonnet"}, "managed": {"deniedModels": ["sonnet"]}},
        "enforced_default": {
            "managed": {"availableModels": ["sonnet"], "enforceAvailableModels": True}
        },
        "denied_default": {"managed": {"deniedModels": ["opus"]}},
    },
    "side": {"denied": {"managed": {"deniedModels": ["haiku"]}}},
    "subagent": {
        "parent_kept": {"agent": {"model": "opus"}},
        "replaced_not_allowed": {
            "agent": {"model": "haiku"},
            "managed": {"deniedModels": ["haiku"]},
        },
    },
    "fast": {},
}
POST = [(n, s, i) for n, steps in POST_CHAIN.items() for s, i in steps.items()]


@pytest.mark.parametrize(("name", "step", "inputs"), POST, ids=[f"{n}-{s}" for n, s, _ in POST])
def test_post_chain_outcomes_are_named_steps(name: str, step: str, inputs: Inputs) -> None:
    base, _, read = CHAINS[name]
    assert read(merge(base, inputs)) == step


def test_source_strings_derive_from_the_decision() -> None:
    """The ``resolve --json`` contract strings stay as they were, whatever the step."""
    res = _res({"flags": {"model": "sonnet"}, "user": {"model": "haiku"}})
    assert (res.main.source, _decisions(res).main.step) == ("--model", "flag")
    res = _res({"user": {"model": "haiku"}})
    d = _decisions(res).main
    assert (res.main.source, d.step, d.origin.scope, d.origin.name) == (
        "user",
        "settings",
        "user",
        "model",
    )


def test_fallbacks_are_requests_shaped_like_the_main_loop() -> None:
    res = _res(
        {
            "flags": {"print_mode": True, "fallback_model": "haiku,claude-opus-4-5"},
            "env": {"CLAUDE_CODE_EFFORT_LEVEL": "max", "MAX_THINKING_TOKENS": "5000"},
        }
    )
    assert tuple(f.model for f in res.fallbacks) == res.fallback_models
    for f in res.fallbacks:
        alone = _res(
            {
                "flags": {"print_mode": True, "model": f.setting},
                "env": {"CLAUDE_CODE_EFFORT_LEVEL": "max", "MAX_THINKING_TOKENS": "5000"},
            }
        ).main
        assert (f.effort, f.thinking, f.max_tokens, f.context_window, f.betas) == (
            alone.effort,
            alone.thinking,
            alone.max_tokens,
            alone.context_window,
            alone.betas,
        )
        assert (f.source, f.origin) == ("fallback", "--fallback-model")
