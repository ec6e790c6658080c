"""One test per adjacent pair of every precedence order (pydantic-settings style): the higher
source beats the one just below it, and with the higher one absent the lower one shows."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from claude_models import Flags, SessionState, Snapshot, resolve

KEY = {"ANTHROPIC_API_KEY": "sk-ant-api03-test"}

# -- main-loop model (BEHAVIOUR.md 1): each step sets a distinct model ------------------------
# step name -> (Snapshot.of keyword arguments that set it, the model that wins, source)
MODEL_STEPS: list[tuple[str, dict[str, Any], str, str]] = [
    ("session", {"session": SessionState(model="fable")}, "claude-fable-5-2", "session"),
    ("--model", {"flags": {"model": "haiku"}}, "claude-haiku-5-5", "--model"),
    (
        "ANTHROPIC_MODEL",
        {"env": {"ANTHROPIC_MODEL": "claude-opus-4-6"}},
        "claude-opus-4-6",
        "ANTHROPIC_MODEL",
    ),
    ("managed", {"managed": {"model": "claude-opus-4-7"}}, "claude-opus-4-7", "managed"),
    ("flag", {"flag": {"model": "claude-opus-4-8"}}, "claude-opus-4-8", "flag"),
    ("local", {"local": {"model": "claude-sonnet-4-6"}}, "claude-sonnet-4-6", "local"),
    ("project", {"project": {"model": "claude-sonnet-5"}}, "claude-sonnet-5", "project"),
    ("user", {"user": {"model": "sonnet"}}, "claude-sonnet-5-5", "user"),
    (
        "ANTHROPIC_DEFAULT_MODEL",
        {"env": {"ANTHROPIC_DEFAULT_MODEL": "claude-opus-5"}},
        "claude-opus-5",
        "ANTHROPIC_DEFAULT_MODEL",
    ),
]


def _merge(*parts: dict[str, Any]) -> dict[str, Any]:
    """Combine Snapshot.of kwargs; env dicts and flags dicts are merged, not replaced."""
    out: dict[str, Any] = {"env": dict(KEY), "flags": {"print_mode": True}}
    for p in parts:
        for k, v in p.items():
            if k in ("env", "flags"):
                out[k] = {**out[k], **v}
            else:
                out[k] = v
    return out


def _snap(kw: dict[str, Any]) -> Snapshot:
    kw = dict(kw)
    kw["flags"] = Flags(**kw["flags"])
    return Snapshot.of(**kw)


@pytest.mark.parametrize(
    ("higher", "lower"),
    list(itertools.pairwise(MODEL_STEPS)),
    ids=[f"{a[0]}>{b[0]}" for a, b in itertools.pairwise(MODEL_STEPS)],
)
def test_main_model_adjacent_pair(higher: tuple[Any, ...], lower: tuple[Any, ...]) -> None:
    both = resolve(_snap(_merge(lower[1], higher[1]))).main
    assert (both.model, both.source) == (higher[2], higher[3])
    alone = resolve(_snap(_merge(lower[1]))).main
    assert (alone.model, alone.source) == (lower[2], lower[3])


def test_built_in_default_is_last() -> None:
    main = resolve(_snap(_merge())).main
    assert (main.model, main.source, main.setting) == ("claude-opus-5-5", "default", None)


# -- main-loop effort (BEHAVIOUR.md 6), on opus-5-5 which takes every level ----------------
EFFORT_STEPS: list[tuple[str, dict[str, Any], str]] = [
    ("CLAUDE_CODE_EFFORT_LEVEL", {"env": {"CLAUDE_CODE_EFFORT_LEVEL": "low"}}, "low"),
    ("session /effort", {"session": SessionState(effort="max")}, "max"),
    ("--effort", {"flags": {"effort": "xhigh"}}, "xhigh"),
    ("managed effortLevel", {"managed": {"effortLevel": "high"}}, "high"),
    ("flag effortLevel", {"flag": {"effortLevel": "low"}}, "low"),
    ("local effortLevel", {"local": {"effortLevel": "xhigh"}}, "xhigh"),
    # not max: settings cannot carry max (dropped; tests/resolvers/test_effort.py)
    ("project effortLevel", {"project": {"effortLevel": "low"}}, "low"),
    (
        "modelSettings",
        {"user": {"modelSettings": {"claude-opus-5-5": {"effortLevel": "high"}}}},
        "high",
    ),
]


@pytest.mark.parametrize(
    ("higher", "lower"),
    list(itertools.pairwise(EFFORT_STEPS)),
    ids=[f"{a[0]}>{b[0]}" for a, b in itertools.pairwise(EFFORT_STEPS)],
)
def test_effort_adjacent_pair(higher: tuple[Any, ...], lower: tuple[Any, ...]) -> None:
    assert resolve(_snap(_merge(lower[1], higher[1]))).main.effort == higher[2]
    assert resolve(_snap(_merge(lower[1]))).main.effort == lower[2]


def test_effort_model_default_is_last() -> None:
    assert resolve(_snap(_merge())).main.effort == "medium"


def test_user_effort_level_is_ignored_in_print_but_not_interactive() -> None:
    kw = _merge({"user": {"effortLevel": "low"}})
    assert resolve(_snap(kw)).main.effort == "medium"
    kw["flags"] = {"print_mode": False}
    assert resolve(_snap(kw)).main.effort == "low"


# -- settings layers for any key: managed > flag > local > project > user --------------------
LAYERS = ["managed", "flag", "local", "project", "user"]


@pytest.mark.parametrize(("higher", "lower"), list(itertools.pairwise(LAYERS)))
def test_settings_layer_pair_for_fallback_models(higher: str, lower: str) -> None:
    kw = _merge({lower: {"fallbackModel": ["haiku"]}, higher: {"fallbackModel": ["sonnet"]}})
    assert resolve(_snap(kw)).fallback_models == ("claude-sonnet-5-5",)
    kw = _merge({lower: {"fallbackModel": ["haiku"]}})
    assert resolve(_snap(kw)).fallback_models == ("claude-haiku-5-5",)


def test_fallback_flag_beats_settings() -> None:
    kw = _merge({"flags": {"fallback_model": "haiku"}, "managed": {"fallbackModel": ["sonnet"]}})
    assert resolve(_snap(kw)).fallback_models == ("claude-haiku-5-5",)


def test_settings_env_beats_shell_env() -> None:
    kw = _merge(
        {"env": {"ANTHROPIC_MODEL": "haiku"}, "user": {"env": {"ANTHROPIC_MODEL": "sonnet"}}}
    )
    main = resolve(_snap(kw)).main
    assert (main.model, main.source) == ("claude-sonnet-5-5", "ANTHROPIC_MODEL")
    assert main.origin is not None and "user" in main.origin
