"""Managed policy against the other knobs (issue 12 items 1-4; CHANGES.md, "Managed policy
against the other knobs", measured on 2.1.328 and 2.1.332): modelOverrides, fallback models,
fast mode and list elements that are not strings never loosen managed policy."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, SessionState, Snapshot, resolve, resolve_skill
from claude_models.resolvers.context import context_of
from claude_models.resolvers.fastmode import command_refusal
from claude_models.result import Resolution
from claude_models.settings.layers import Layer
from claude_models.settings.scopes import Scope

DENY_HAIKU = {"deniedModels": ["haiku"]}
OPUS_TO_HAIKU = {"modelOverrides": {"claude-opus-5-5": "claude-haiku-5-5"}}


def snap(
    *,
    managed: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    agent: dict[str, Any] | None = None,
    fallback: str | None = None,
    **layers: Any,
) -> Snapshot:
    return Snapshot.of(
        managed=managed,
        env=env,
        agent=agent,
        flags=Flags(print_mode=True, fallback_model=fallback),
        **layers,
    )


def codes(res: Resolution, code: str) -> list[str]:
    return [w.message for w in res.warnings if w.code == code]


# ---------------------------------------------------------------- item 1: modelOverrides


@pytest.mark.parametrize("scope", ["user", "project", "local", "flag"])
def test_an_override_to_a_denied_model_is_not_applied_in_any_role(scope: str) -> None:
    """Managed deny [haiku] + override opus-5-5 -> haiku-5-5: the main loop sends opus-5-5,
    side queries (haiku denied) run on it too, and a subagent and a skill asking for opus
    get opus-5-5; the origin and a warning name the override and the policy entry."""
    layers: dict[str, Any] = {scope: OPUS_TO_HAIKU}
    s = snap(
        managed=DENY_HAIKU, agent={"subagent_type": "general-purpose", "model": "opus"}, **layers
    )
    res = resolve(s)
    assert res.main.model == "claude-opus-5-5"
    assert res.side is not None and res.side.model == "claude-opus-5-5"
    assert res.subagent is not None and res.subagent.request is not None
    assert res.subagent.request.model == "claude-opus-5-5"
    assert resolve_skill(s, "opus").model == "claude-opus-5-5"
    note = "modelOverrides claude-opus-5-5 -> claude-haiku-5-5 not applied"
    assert note in (res.main.origin or "")
    assert "deniedModels entry 'haiku'" in (res.main.origin or "")
    assert note in res.side.source
    (warning,) = codes(res, "model_override_not_applied")
    assert "'claude-opus-5-5' -> 'claude-haiku-5-5'" in warning
    assert f"{scope} (<{scope}>)" in warning
    assert "deniedModels entry 'haiku' (managed (<managed>))" in warning


# (policy, override, what runs where the override is not applied, role to check)
SKIPPED = [
    # family entry matched against the overridden id
    ({"deniedModels": ["sonnet"]}, {"claude-opus-5-5": "claude-sonnet-4-5"}, "main"),
    # version-prefix entry
    ({"deniedModels": ["haiku-5-5"]}, {"claude-opus-5-5": "claude-haiku-5-5"}, "main"),
    # enforced allowlist excludes the target
    (
        {"availableModels": ["opus"], "enforceAvailableModels": True},
        {"claude-opus-5-5": "claude-sonnet-5-5"},
        "main",
    ),
    # a provider spelling of a denied model
    (
        {"deniedModels": ["haiku"]},
        {"claude-opus-5-5": "us.anthropic.claude-haiku-5-5-v1:0"},
        "main",
    ),
]


@pytest.mark.parametrize(("policy", "override", "role"), SKIPPED)
def test_override_targets_policy_rules_out_are_skipped(
    policy: dict[str, Any], override: dict[str, str], role: str
) -> None:
    res = resolve(snap(managed=policy, project={"modelOverrides": override}))
    assert res.main.model == "claude-opus-5-5", res.main
    assert "not applied" in (res.main.origin or "")
    assert codes(res, "model_override_not_applied")


def test_an_allowed_override_still_applies() -> None:
    res = resolve(
        snap(managed=DENY_HAIKU, project={"modelOverrides": {"claude-opus-5-5": "claude-opus-4-6"}})
    )
    assert res.main.model == "claude-opus-4-6"
    assert not codes(res, "model_override_not_applied")


def test_a_plain_allowlist_does_not_skip_an_override() -> None:
    """Only an *enforced* availableModels rules an override target out (CHANGES.md)."""
    res = resolve(
        snap(
            managed={"availableModels": ["opus"]},
            project={"modelOverrides": {"claude-opus-5-5": "claude-sonnet-5-5"}},
        )
    )
    assert res.main.model == "claude-sonnet-5-5"


def test_subagent_and_skill_keep_their_model_when_its_override_is_denied() -> None:
    override = {"modelOverrides": {"claude-sonnet-5-5": "claude-haiku-5-5"}}
    s = snap(
        managed=DENY_HAIKU,
        project=override,
        agent={"subagent_type": "general-purpose", "model": "sonnet"},
    )
    res = resolve(s)
    assert res.subagent is not None and res.subagent.request is not None
    assert res.subagent.request.model == "claude-sonnet-5-5"
    assert "not applied" in (res.subagent.request.origin or "")
    skill = resolve_skill(s, "sonnet")
    assert skill.model == "claude-sonnet-5-5"
    assert "not applied" in (skill.origin or "")


def test_side_query_keeps_haiku_when_its_override_target_is_denied() -> None:
    res = resolve(
        snap(
            managed={"deniedModels": ["sonnet"]},
            project={"modelOverrides": {"claude-haiku-5-5": "claude-sonnet-5-5"}},
        )
    )
    assert res.side is not None and res.side.model == "claude-haiku-5-5"
    assert "not applied" in res.side.source


# ---------------------------------------------------------------- item 2: fallback models

FALLBACKS = [
    # (managed policy, --fallback-model, settings fallbackModel, expected fallback ids)
    (DENY_HAIKU, "haiku,sonnet", None, ("claude-sonnet-5-5",)),
    (DENY_HAIKU, None, ["haiku", "sonnet"], ("claude-sonnet-5-5",)),
    (DENY_HAIKU, "claude-haiku-5-5", None, ()),
    (DENY_HAIKU, "us.anthropic.claude-haiku-5-5-v1:0", None, ()),
    (
        {"availableModels": ["opus", "sonnet"], "enforceAvailableModels": True},
        "haiku,sonnet",
        None,
        ("claude-sonnet-5-5",),
    ),
    # dropped before the three are counted: the next allowed one is tried
    (
        DENY_HAIKU,
        "haiku,sonnet,claude-opus-4-6,claude-sonnet-4-5",
        None,
        ("claude-sonnet-5-5", "claude-opus-4-6", "claude-sonnet-4-5"),
    ),
    # a plain (not enforced) allowlist drops nothing
    ({"availableModels": ["opus"]}, "haiku", None, ("claude-haiku-5-5",)),
]


@pytest.mark.parametrize(("policy", "flag", "setting", "expected"), FALLBACKS)
def test_fallback_models_policy_rules_out_are_dropped(
    policy: dict[str, Any], flag: str | None, setting: list[str] | None, expected: tuple[str, ...]
) -> None:
    user = {"fallbackModel": setting} if setting is not None else None
    res = resolve(snap(managed=policy, fallback=flag, user=user))
    assert res.fallback_models == expected
    assert tuple(r.model for r in res.fallbacks) == expected
    given = flag.split(",") if flag else (setting or [])
    dropped = codes(res, "fallback_model_dropped")
    assert len(dropped) == len(given) - len(expected)
    assert all("rules it out" in d for d in dropped)


def test_a_fallback_whose_override_target_is_denied_runs_as_itself() -> None:
    res = resolve(
        snap(
            managed=DENY_HAIKU,
            project={"modelOverrides": {"claude-sonnet-5-5": "claude-haiku-5-5"}},
            fallback="sonnet",
        )
    )
    assert res.fallback_models == ("claude-sonnet-5-5",)


# ---------------------------------------------------------------- item 3: managed fastMode


@pytest.mark.parametrize(
    ("print_mode", "others"),
    [
        (True, {"flag": {"fastMode": True}}),
        (False, {"flag": {"fastMode": True}}),
        (False, {"user": {"fastMode": True}, "local": {"fastMode": True}}),
        (False, {"session": SessionState(fast_mode=True)}),
    ],
)
def test_managed_fast_mode_false_turns_fast_mode_off(
    print_mode: bool, others: dict[str, Any]
) -> None:
    s = Snapshot.of(managed={"fastMode": False}, flags=Flags(print_mode=print_mode), **others)
    res = resolve(s)
    assert (res.fast_mode.state, res.fast_mode.reason) == ("off", "preference")
    assert res.main.speed is None
    assert res.decisions is not None and res.decisions.fast.step == "managed_off"
    block = command_refusal(context_of(s))
    assert block is not None and block.step == "managed_off"
    assert "managed" in block.command


def test_managed_fast_mode_true_or_unset_changes_nothing() -> None:
    on = Snapshot.of(
        managed={"fastMode": True}, flag={"fastMode": True}, flags=Flags(print_mode=True)
    )
    assert resolve(on).fast_mode.state == "on"


# ---------------------------------------------------------------- item 4: bad list elements


@pytest.mark.parametrize(
    ("key", "value", "kept", "bad"),
    [
        ("deniedModels", ["opus", None], ["opus"], [(1, "null")]),
        ("availableModels", ["sonnet", 5], ["sonnet"], [(1, "a number")]),
        ("fallbackModel", [True, "haiku", {}], ["haiku"], [(0, "a boolean"), (2, "an object")]),
    ],
)
@pytest.mark.parametrize("scope", list(Scope))
def test_a_bad_element_drops_only_itself(
    scope: Scope, key: str, value: list[Any], kept: list[str], bad: list[tuple[int, str]]
) -> None:
    layer = Layer.parse(scope, "/etc/x.json", {key: value})
    assert layer.valid[key] == kept
    assert layer.raw[key] == value  # what the file holds is kept as is
    assert list(layer.problems) == [
        f"/etc/x.json: key '{key}' element {i} must be a string, got {t}; that element is "
        "ignored, the others apply"
        for i, t in bad
    ]


def test_managed_deny_with_a_null_still_denies_opus() -> None:
    """Measured: deniedModels ["opus", null] ran sonnet-5-5, fast-mode reason
    model_not_allowed; the null is reported naming the file and index."""
    res = resolve(snap(managed={"deniedModels": ["opus", None]}))
    assert res.main.model == "claude-sonnet-5-5"
    assert res.fast_mode.reason == "model_not_allowed"
    assert any("<managed>: key 'deniedModels' element 1" in w.message for w in res.warnings)


def test_managed_enforced_allowlist_with_a_number_still_applies() -> None:
    res = resolve(snap(managed={"availableModels": ["sonnet", 5], "enforceAvailableModels": True}))
    assert res.main.model == "claude-sonnet-5-5"


@pytest.mark.parametrize("scope", ["user", "project", "local", "flag"])
def test_a_lower_scope_with_bad_elements_cannot_loosen_managed_policy(scope: str) -> None:
    layers: dict[str, Any] = {
        scope: {"availableModels": ["opus", 7], "enforceAvailableModels": False}
    }
    res = resolve(
        Snapshot.of(
            managed={"availableModels": ["sonnet", None], "enforceAvailableModels": True},
            flags=Flags(print_mode=True, model="opus"),
            **layers,
        )
    )
    assert res.main.model == "claude-sonnet-5-5"


def test_a_lower_scope_list_keeps_its_strings_too() -> None:
    res = resolve(
        Snapshot.of(
            user={"availableModels": ["sonnet", 5], "enforceAvailableModels": True},
            flags=Flags(print_mode=True),
        )
    )
    assert res.main.model == "claude-sonnet-5-5"
