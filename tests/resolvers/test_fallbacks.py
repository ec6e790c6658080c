"""Fallback models: ``--fallback-model`` and settings ``fallbackModel`` to wire ids, in order
(BEHAVIOUR.md 7; the live chain itself is the live issue's)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.result import Resolution
from tests.clirun import base_env, run_cli


def fb(flag: str | None = None, env: dict[str, str] | None = None, **settings: Any) -> Resolution:
    flags = Flags(fallback_model=flag, print_mode=True)
    # BEHAVIOUR.md's release: Vertex's sonnet and Foundry's opus moved in 2.1.332
    return resolve(Snapshot.of(env=env, flags=flags, claude_version="2.1.328", **settings))


@pytest.mark.parametrize(
    ("env", "flag", "want"),
    [
        ({}, "sonnet,haiku", ("claude-sonnet-5-5", "claude-haiku-5-5")),
        ({}, " haiku , sonnet ", ("claude-haiku-5-5", "claude-sonnet-5-5")),
        ({}, "claude-opus-4-6,my-proxy-model", ("claude-opus-4-6", "my-proxy-model")),
        ({}, "sonnet[1m]", ("claude-sonnet-5-5",)),
        (
            {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"},
            "sonnet,haiku",
            (
                "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "eu.anthropic.claude-haiku-4-5-20251001-v1:0",
            ),
        ),
        (
            {"CLAUDE_CODE_USE_BEDROCK": "1"},
            "claude-opus-4-6",
            ("us.anthropic.claude-opus-4-6-v1",),
        ),
        (
            {"CLAUDE_CODE_USE_VERTEX": "1"},
            "sonnet,claude-opus-4-6",
            ("claude-sonnet-4-5@20250929", "claude-opus-4-6"),
        ),
        ({"CLAUDE_CODE_USE_FOUNDRY": "1"}, "opus", ("claude-opus-4-6",)),
        ({"ANTHROPIC_DEFAULT_SONNET_MODEL": "gw-sonnet"}, "sonnet", ("gw-sonnet",)),
        ({}, "claude-opus-4-1", ("claude-opus-5-5",)),  # the legacy remap applies too
    ],
    ids=[
        "aliases-in-order",
        "spaces-trimmed",
        "ids-verbatim",
        "1m-suffix-dropped-on-wire",
        "bedrock-eu",
        "bedrock-translates-first-party-id",
        "vertex",
        "foundry-opus",
        "family-override",
        "legacy-remap",
    ],
)
def test_flag_chain_to_wire_ids(env: dict[str, str], flag: str, want: tuple[str, ...]) -> None:
    res = fb(flag, env)
    assert res.fallback_models == want
    assert res.fallback_source == "--fallback-model"


def test_settings_list_in_order_with_origin() -> None:
    res = fb(project={"fallbackModel": ["haiku", "sonnet"]})
    assert res.fallback_models == ("claude-haiku-5-5", "claude-sonnet-5-5")
    assert res.fallback_source == "project (<project>)"


def test_flag_beats_settings() -> None:
    res = fb("sonnet", user={"fallbackModel": ["haiku"]})
    assert res.fallback_models == ("claude-sonnet-5-5",)


def test_higher_settings_scope_wins() -> None:
    res = fb(user={"fallbackModel": ["haiku"]}, local={"fallbackModel": ["sonnet"]})
    assert res.fallback_models == ("claude-sonnet-5-5",)


def test_settings_string_is_ignored_with_warning() -> None:
    res = fb(user={"fallbackModel": "sonnet"})
    assert res.fallback_models == ()
    assert "settings_wrong_type" in [w.code for w in res.warnings]


def test_at_most_three_and_a_warning() -> None:
    res = fb("sonnet,haiku,fable,opus")
    assert res.fallback_models == ("claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5-2")
    assert "fallback_models_truncated" in [w.code for w in res.warnings]


def test_none_configured() -> None:
    res = fb()
    assert res.fallback_models == () and res.fallback_source is None


def test_unknown_fallback_warns_with_suggestion() -> None:
    res = fb("claude-sonet-4-5")
    msgs = [w.message for w in res.warnings if w.code == "model_id_typo"]  # issue 16: an error
    assert msgs and "did you mean claude-sonnet-4-5" in msgs[0]


def test_retiring_fallback_warns() -> None:
    from datetime import date

    res = resolve(
        Snapshot.of(
            flags=Flags(fallback_model="claude-sonnet-4-20250514", print_mode=True),
            today=date(2026, 5, 1),
        )
    )
    assert "model_retiring" in [w.code for w in res.warnings]


def test_cli_fallbacks(sandbox: Any) -> None:
    run = run_cli(
        [
            "resolve",
            "-p",
            "--managed-settings",
            "/nonexistent",
            "--fallback-model",
            "sonnet,haiku",
            "--claude-version",
            "2.1.328",
        ],
        env=base_env(sandbox.home, {"CLAUDE_CODE_USE_VERTEX": "1"}),
        cwd=sandbox.cwd,
    )
    assert run.code == 0, run.stderr
    assert run.json()["fallback_models"] == [
        "claude-sonnet-4-5@20250929",
        "claude-haiku-4-5@20251001",
    ]
