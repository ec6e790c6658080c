"""Fast mode: state, reason, and the request it shapes (BEHAVIOUR.md 8, seed lesson 7)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, SessionState, Snapshot, resolve
from claude_models.result import Resolution

OPT_IN = {"fastMode": True}
BETA = "fast-mode-2026-02-01"


def fm(
    env: dict[str, str] | None = None,
    model: str | None = None,
    *,
    print_mode: bool = True,
    **kw: Any,
) -> Resolution:
    flags = Flags(model=model, print_mode=print_mode)
    return resolve(Snapshot.of(env=env, flags=flags, **kw))


def state(res: Resolution) -> tuple[str, str | None]:
    return res.fast_mode.state, res.fast_mode.reason


# (id, env, --model, settings kwargs, print mode, expected (state, reason))
CASES: list[tuple[str, dict[str, str], str | None, dict[str, Any], bool, tuple[str, Any]]] = [
    ("print-no-opt-in", {}, None, {}, True, ("off", "sdk_opt_in_required")),
    ("print-flag-opt-in-opus", {}, None, {"flag": OPT_IN}, True, ("on", None)),
    ("print-flag-opt-in-sonnet", {}, "sonnet", {"flag": OPT_IN}, True, ("off", None)),
    (
        "print-flag-false",
        {},
        None,
        {"flag": {"fastMode": False}},
        True,
        ("off", "sdk_opt_in_required"),
    ),
    ("print-user-opt-in-ignored", {}, None, {"user": OPT_IN}, True, ("off", "sdk_opt_in_required")),
    ("print-project-ignored", {}, None, {"project": OPT_IN}, True, ("off", "sdk_opt_in_required")),
    ("print-managed-ignored", {}, None, {"managed": OPT_IN}, True, ("off", "sdk_opt_in_required")),
    ("interactive-user-opt-in", {}, None, {"user": OPT_IN}, False, ("on", None)),
    ("interactive-none", {}, None, {}, False, ("off", "sdk_opt_in_required")),
    (
        "disable-env-first",
        {"CLAUDE_CODE_DISABLE_FAST_MODE": "1"},
        None,
        {"flag": OPT_IN},
        True,
        ("off", "disabled_by_env"),
    ),
    (
        "disable-env-beats-provider",
        {"CLAUDE_CODE_DISABLE_FAST_MODE": "true", "CLAUDE_CODE_USE_BEDROCK": "1"},
        None,
        {},
        True,
        ("off", "disabled_by_env"),
    ),
    (
        "bedrock",
        {"CLAUDE_CODE_USE_BEDROCK": "1"},
        None,
        {"flag": OPT_IN},
        True,
        ("off", "not_first_party"),
    ),
    ("foundry", {"CLAUDE_CODE_USE_FOUNDRY": "1"}, None, {}, True, ("off", "not_first_party")),
    ("mantle", {"CLAUDE_CODE_USE_MANTLE": "1"}, None, {}, True, ("off", "not_first_party")),
    (
        "anthropic-aws",
        {"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1"},
        None,
        {},
        True,
        ("off", "not_first_party"),
    ),
    (
        "anthropic-google-cloud",
        {"CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD": "1"},
        None,
        {},
        True,
        ("off", "not_first_party"),
    ),
    (
        "gateway-as-first-party",
        {"CLAUDE_CODE_USE_GATEWAY": "1", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9"},
        None,
        {},
        True,
        ("off", "sdk_opt_in_required"),
    ),
    (
        "vertex-us-east5",
        {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "us-east5"},
        None,
        {},
        True,
        ("off", "disabled_by_env"),
    ),
    (
        "vertex-global",
        {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "global"},
        None,
        {},
        True,
        ("off", "sdk_opt_in_required"),
    ),
    (
        "vertex-eu-multi-region",
        {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "eu"},
        None,
        {},
        True,
        ("off", "sdk_opt_in_required"),
    ),
    (
        "vertex-per-model-region-decides",
        {
            "CLAUDE_CODE_USE_VERTEX": "1",
            "CLOUD_ML_REGION": "global",
            "VERTEX_REGION_CLAUDE_5_5_OPUS": "us-east5",
        },
        None,
        {},
        True,
        ("off", "disabled_by_env"),
    ),
    (
        "allowlist-excludes-opus",
        {},
        "sonnet",
        {"user": {"availableModels": ["sonnet"]}, "flag": OPT_IN},
        True,
        ("off", "model_not_allowed"),
    ),
    (
        "allowlist-includes-opus",
        {},
        None,
        {"user": {"availableModels": ["opus", "sonnet"]}, "flag": OPT_IN},
        True,
        ("on", None),
    ),
    (
        "allowlist-narrowed-opus",
        {},
        None,
        {"managed": {"availableModels": ["opus", "opus-4-6"]}},
        True,
        ("off", "model_not_allowed"),
    ),
    (
        "managed-denied-opus",
        {},
        None,
        {"managed": {"deniedModels": ["opus"]}},
        True,
        ("off", "model_not_allowed"),
    ),
    (
        "user-denied-opus-ignored",
        {},
        None,
        {"user": {"deniedModels": ["opus"]}},
        True,
        ("off", "sdk_opt_in_required"),
    ),
]


@pytest.mark.parametrize(
    ("env", "model", "settings", "print_mode", "want"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_fast_mode_state(
    env: dict[str, str],
    model: str | None,
    settings: dict[str, Any],
    print_mode: bool,
    want: tuple[str, Any],
) -> None:
    res = fm(env, model, print_mode=print_mode, **settings)
    assert state(res) == want
    assert res.fast_mode.detail  # explain always has a sentence


def test_on_shapes_the_request() -> None:
    res = fm(flag=OPT_IN)
    assert res.main.speed == "fast"
    assert BETA in res.main.betas


@pytest.mark.parametrize("settings", [{}, {"flag": {"fastMode": False}}])
def test_off_sends_no_speed_or_beta(settings: dict[str, Any]) -> None:
    res = fm(**settings)
    assert res.main.speed is None and BETA not in res.main.betas


def test_model_without_fast_mode_sends_nothing_even_opted_in() -> None:
    res = fm(model="sonnet", flag=OPT_IN)
    assert res.main.speed is None and BETA not in res.main.betas


def test_session_fast_overrides_settings_interactively() -> None:
    snap = Snapshot.of(user=OPT_IN, session=SessionState(fast_mode=False))
    assert state(resolve(snap)) == ("off", "sdk_opt_in_required")
    snap = Snapshot.of(session=SessionState(fast_mode=True))
    assert state(resolve(snap)) == ("on", None)


def test_unknown_subscription_fails_closed() -> None:
    res = fm(flag=OPT_IN, subscription="unknown")
    assert state(res) == ("off", "paid_subscription_required")


def test_detail_names_the_opt_in_file() -> None:
    res = fm(flag=OPT_IN)
    assert res.fast_mode.detail is not None and "flag (<flag>)" in res.fast_mode.detail


def test_fast_mode_json_shape() -> None:
    out = fm().to_json()["fast_mode"]
    assert out["state"] == "off" and out["reason"] == "sdk_opt_in_required"
    assert "--settings" in out["detail"]


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        # observed on 2.1.328 and 2.1.332 (ls_default_pin_sonnetword_opus_list,
        # ls_opus_pin_sonnetword_opus_list): the default re-pointed by its pin to a model
        # [opus] does not allow runs unfiltered, and fast mode says so; --model opus passes
        # the pin over, runs opus and fast mode waits for the opt-in as usual
        ("default", "model_not_allowed"),
        ("opus", "sdk_opt_in_required"),
    ],
)
def test_fast_mode_says_model_not_allowed_when_the_unfiltered_default_is_not_allowed(
    typed: str, reason: str
) -> None:
    snap = Snapshot.of(
        env={"ANTHROPIC_API_KEY": "k", "ANTHROPIC_DEFAULT_OPUS_MODEL": "my-sonnet-x"},
        user={"availableModels": ["opus"]},
        flags=Flags(model=typed, print_mode=True),
    )
    res = resolve(snap)
    assert res.fast_mode.reason == reason
    assert res.main.model == ("my-sonnet-x" if typed == "default" else "claude-opus-5-5")
