"""Request shaping (BEHAVIOUR.md 1, 6, 8e): max_tokens, thinking, effort, context and betas."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.result import Request

BETA_1M = "context-1m-2025-08-07"


def _main(model: str | None = None, env: dict[str, str] | None = None, **settings: Any) -> Request:
    snap = Snapshot.of(
        env=env or {}, user=settings or None, flags=Flags(model=model, print_mode=True)
    )
    return resolve(snap).main


@pytest.mark.parametrize(
    ("env", "max_tokens"),
    [
        ({"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "500000"}, 128000),  # capped at the upper limit
        ({"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "4096"}, 4096),
        ({"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "many"}, 128000),  # a non-number is ignored
    ],
)
def test_max_output_tokens(env: dict[str, str], max_tokens: int) -> None:
    assert _main(env=env).max_tokens == max_tokens


@pytest.mark.parametrize(
    ("model", "env", "settings", "thinking"),
    [
        ("claude-sonnet-4-5", {}, {}, ("enabled", 31999)),
        ("claude-sonnet-4-5", {"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "64000"}, {}, ("enabled", 63999)),
        ("claude-sonnet-4-5", {"MAX_THINKING_TOKENS": "8000"}, {}, ("enabled", 8000)),
        ("claude-sonnet-4-5", {"MAX_THINKING_TOKENS": "0"}, {}, ("disabled", None)),
        ("claude-sonnet-4-5", {}, {"alwaysThinkingEnabled": False}, ("disabled", None)),
        (
            "opus",
            {"MAX_THINKING_TOKENS": "0"},
            {"alwaysThinkingEnabled": False},
            ("adaptive", None),
        ),  # adaptive models ignore all three
        ("claude-3-5-haiku-20241022", {}, {}, None),
    ],
)
def test_thinking(
    model: str,
    env: dict[str, str],
    settings: dict[str, Any],
    thinking: tuple[str, int | None] | None,
) -> None:
    t = _main(model, env, **settings).thinking
    assert (None if t is None else (t.type, t.budget_tokens)) == thinking


@pytest.mark.parametrize("model", ["opus", "claude-sonnet-4-5"])
def test_disable_thinking_sends_no_field(model: str) -> None:
    assert _main(model, {"CLAUDE_CODE_DISABLE_THINKING": "1"}).thinking is None


@pytest.mark.parametrize(
    ("model", "effort", "sent"),
    [
        ("opus", "xhigh", "xhigh"),
        ("claude-opus-4-6", "xhigh", "high"),  # clamped where xhigh is unsupported
        ("claude-opus-4-6", "max", "max"),  # max is kept
        ("claude-sonnet-4-5", "high", None),  # no effort support: none sent
        ("opus", "auto", None),
        ("opus", "bogus", "medium"),  # garbage ignored: the model's default
    ],
)
def test_effort_values(model: str, effort: str, sent: str | None) -> None:
    snap = Snapshot.of(flags=Flags(model=model, effort=effort, print_mode=True))
    assert resolve(snap).main.effort == sent


@pytest.mark.parametrize(
    ("model", "env", "window", "beta"),
    [
        ("sonnet[1m]", {}, 1_000_000, False),  # natively 1M: suffix dropped, no beta
        ("claude-sonnet-4-5[1m]", {}, 1_000_000, True),
        ("claude-sonnet-4-5", {}, 200_000, False),
        ("opus", {"CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"}, 200_000, False),
        ("claude-sonnet-4-5[1m]", {"CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"}, 200_000, False),
        ("claude-foo-9", {}, 1_000_000, False),
    ],
)
def test_context_window_and_beta(model: str, env: dict[str, str], window: int, beta: bool) -> None:
    main = _main(model, env)
    assert (main.context_window, BETA_1M in main.betas) == (window, beta)
    assert "[1m]" not in main.model


def test_default_opus_override_gets_the_1m_beta_on_the_default_path() -> None:
    env = {"ANTHROPIC_DEFAULT_OPUS_MODEL": "my-gateway-opus"}
    default = _main(None, env)
    assert (default.model, BETA_1M in default.betas) == ("my-gateway-opus", True)
    chosen = _main("opus", env)
    assert (chosen.model, BETA_1M in chosen.betas) == ("my-gateway-opus", False)


def test_unknown_id_defaults() -> None:
    main = _main("claude-foo-9")
    assert (main.max_tokens, main.effort, main.thinking and main.thinking.type) == (
        32000,
        "high",
        "adaptive",
    )


def test_model_settings_effort_applies_only_to_its_model() -> None:
    settings: dict[str, Any] = {"modelSettings": {"claude-sonnet-5-5": {"effortLevel": "low"}}}
    assert _main("sonnet", **settings).effort == "low"
    assert _main(None, **settings).effort == "medium"
