"""The ``/model`` picker per tier and provider (BEHAVIOUR.md 8d), and the 1M gates in the
picker and in resolution (seed lesson section 5)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from claude_models.account import Account
from claude_models.actions.picker import options
from claude_models.resolver import resolve
from claude_models.snapshot import Flags, Snapshot
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

API_FIRST_PARTY = [
    (
        "Default (recommended)",
        "Use the default model (currently Opus 5.5) · $4/$20 per Mtok",
        None,
    ),
    ("Opus", "Opus 5.5 · Best for everyday, complex tasks · $4/$20 per Mtok", "opus"),
    (
        "Fable",
        "Fable 5.2 · Most capable for your hardest and longest-running tasks · $8/$40 per Mtok",
        "fable",
    ),
    ("Sonnet", "Sonnet 5.5 · Efficient for routine tasks · $2/$10 per Mtok", "sonnet"),
    (
        "Haiku",
        "Haiku 5.5 · Fastest for quick answers · $0.10/$0.50 per Mtok "
        "($0.50/$2.50 for prompts over 100k)",
        "haiku",
    ),
]
SUBSCRIBER = [
    ("Default (recommended)", "Opus 5.5 · Best for everyday, complex tasks", None),
    ("Opus", "Opus 5.5 · Best for everyday, complex tasks", "opus"),
    ("Fable", "Fable 5.2 · Most capable for your hardest and longest-running tasks", "fable"),
    ("Sonnet", "Sonnet 5.5 · Efficient for routine tasks", "sonnet"),
    ("Haiku", "Haiku 5.5 · Fastest for quick answers", "haiku"),
]


def _third_party(ids: dict[str, str], default: str = "Opus 5.5") -> list[tuple[str, str, Any]]:
    return [
        ("Default", f"Use the default model (currently {default})", None),
        (
            "Fable",
            "Fable 5.2 · Most capable for your hardest and longest-running tasks",
            ids["fable"],
        ),
        ("Sonnet", "Sonnet 5.5 · Efficient for routine tasks", ids["sonnet"]),
        ("Sonnet 5", "Sonnet 5 · Previous Sonnet version", ids["sonnet5"]),
        ("Sonnet 4.6", "Sonnet 4.6 · Legacy", ids["sonnet46"]),
        ("Sonnet 4.6 (1M context)", "Sonnet 4.6 for long sessions", ids["sonnet46"] + "[1m]"),
        ("Opus 4.1", "Opus 4.1 · Legacy", ids["opus41"]),
        ("Opus", "Opus 5.5 · Best for everyday, complex tasks", ids["opus"]),
        ("Opus 5", "Opus 5 · Previous Opus version", ids["opus5"]),
        ("Opus 4.8", "Opus 4.8 · Legacy", ids["opus48"]),
        ("Opus 4.7", "Opus 4.7 · Legacy", ids["opus47"]),
        ("Opus 4.6", "Opus 4.6 · Legacy", ids["opus46"]),
        ("Opus 4.6 (1M context)", "Opus 4.6 for long sessions", ids["opus46"] + "[1m]"),
        ("Haiku", "Haiku 4.5 · Fastest for quick answers", "haiku"),
    ]


BEDROCK_IDS = {
    "fable": "us.anthropic.claude-fable-5-2",
    "sonnet": "us.anthropic.claude-sonnet-5-5",
    "sonnet5": "us.anthropic.claude-sonnet-5",
    "sonnet46": "us.anthropic.claude-sonnet-4-6",
    "opus41": "us.anthropic.claude-opus-4-1-20250805-v1:0",
    "opus": "us.anthropic.claude-opus-5-5",
    "opus5": "us.anthropic.claude-opus-5",
    "opus48": "us.anthropic.claude-opus-4-8",
    "opus47": "us.anthropic.claude-opus-4-7",
    "opus46": "us.anthropic.claude-opus-4-6-v1",
}
VERTEX_IDS = {
    "fable": "claude-fable-5-2",
    "sonnet": "claude-sonnet-5-5",
    "sonnet5": "claude-sonnet-5",
    "sonnet46": "claude-sonnet-4-6",
    "opus41": "claude-opus-4-1@20250805",
    "opus": "claude-opus-5-5",
    "opus5": "claude-opus-5",
    "opus48": "claude-opus-4-8",
    "opus47": "claude-opus-4-7",
    "opus46": "claude-opus-4-6",
}
FOUNDRY_IDS = {**VERTEX_IDS, "opus41": "claude-opus-4-1"}


def _foundry() -> list[tuple[str, str, Any]]:
    rows = _third_party(FOUNDRY_IDS, default="Sonnet 4.5")
    by_label = {r[0]: r for r in rows}
    order = [
        "Default",
        "Sonnet",
        "Sonnet 5",
        "Sonnet 4.6",
        "Sonnet 4.6 (1M context)",
        "Fable",
        "Opus 4.1",
        "Opus",
        "Opus 5",
        "Opus 4.8",
        "Opus 4.7",
        "Opus 4.6",
        "Opus 4.6 (1M context)",
        "Haiku",
    ]
    return [by_label[label] for label in order]


def _rows(snap: Snapshot) -> list[tuple[str, str, Any]]:
    return [(o.label, o.description, o.value) for o in options(snap)]


PROVIDER_CASES = [
    ("firstParty-api", {}, "api", API_FIRST_PARTY),
    (
        "bedrock",
        {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"},
        "api",
        _third_party(BEDROCK_IDS),
    ),
    (
        "vertex",
        {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "us-east5"},
        "api",
        _third_party(VERTEX_IDS),
    ),
    ("foundry", {"CLAUDE_CODE_USE_FOUNDRY": "1"}, "api", _foundry()),
    *[
        (f"firstParty-{t}", {}, t, SUBSCRIBER)
        for t in ("pro", "max", "team_standard", "team_premium", "enterprise", "unknown")
    ],
]


@pytest.mark.parametrize(
    ("env", "tier", "expected"), [c[1:] for c in PROVIDER_CASES], ids=[c[0] for c in PROVIDER_CASES]
)
def test_picker_per_provider_and_tier(env: dict[str, str], tier: str, expected: list[Any]) -> None:
    # BEHAVIOUR.md's release (Foundry's default moved to Sonnet 5.5 in 2.1.332)
    snap = Snapshot.of(env=env, subscription=tier, claude_version="2.1.328")
    assert _rows(snap) == expected


def test_bedrock_eu_region_saves_eu_ids() -> None:
    rows = _rows(Snapshot.of(env={"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"}))
    assert (
        "Opus",
        "Opus 5.5 · Best for everyday, complex tasks",
        "eu.anthropic.claude-opus-5-5",
    ) in rows


def test_available_models_filters_but_default_stays() -> None:
    snap = Snapshot.of(user={"availableModels": ["sonnet", "haiku"]})
    assert [o.label for o in options(snap)] == ["Default (recommended)", "Sonnet", "Haiku"]


def test_an_empty_allowlist_leaves_only_default() -> None:
    assert [o.label for o in options(Snapshot.of(managed={"availableModels": []}))] == [
        "Default (recommended)"
    ]


def test_managed_denied_models_filter_too() -> None:
    snap = Snapshot.of(managed={"deniedModels": ["fable"]})
    assert "Fable" not in [o.label for o in options(snap)]


def test_custom_model_option_is_added_last() -> None:
    env = {
        "ANTHROPIC_CUSTOM_MODEL_OPTION": "my-model",
        "ANTHROPIC_CUSTOM_MODEL_OPTION_NAME": "My Model",
        "ANTHROPIC_CUSTOM_MODEL_OPTION_DESCRIPTION": "Our gateway model",
    }
    assert _rows(Snapshot.of(env=env))[-1] == ("My Model", "Our gateway model", "my-model")


def test_custom_model_option_without_name_shows_the_id() -> None:
    rows = _rows(Snapshot.of(env={"ANTHROPIC_CUSTOM_MODEL_OPTION": "my-model"}))
    assert rows[-1] == ("my-model", "Custom model (ANTHROPIC_CUSTOM_MODEL_OPTION)", "my-model")


def test_family_override_name_and_description() -> None:
    env = {
        "ANTHROPIC_DEFAULT_OPUS_MODEL": "my-gateway-opus",
        "ANTHROPIC_DEFAULT_OPUS_MODEL_NAME": "Gateway Opus",
        "ANTHROPIC_DEFAULT_SONNET_MODEL": "my-gateway-sonnet",
        "ANTHROPIC_DEFAULT_SONNET_MODEL_NAME": "Gateway Sonnet",
        "ANTHROPIC_DEFAULT_SONNET_MODEL_DESCRIPTION": "Our Sonnet",
    }
    rows = {r[0]: r for r in _rows(Snapshot.of(env=env))}
    assert rows["Opus"] == ("Opus", "Gateway Opus · Custom model", "opus")
    assert rows["Sonnet"] == ("Sonnet", "Our Sonnet", "sonnet")


def test_family_override_on_bedrock_replaces_the_plain_entry() -> None:
    env = {"CLAUDE_CODE_USE_BEDROCK": "1", "ANTHROPIC_DEFAULT_SONNET_MODEL": "arn:aws:bedrock:x"}
    rows = {r[0]: r for r in _rows(Snapshot.of(env=env))}
    assert rows["Sonnet"] == ("Sonnet", "arn:aws:bedrock:x · Custom model", "sonnet")


# -- 1M gates -----------------------------------------------------------------------------------

BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}


@pytest.mark.parametrize(
    ("env", "tier", "extra_usage", "shown"),
    [
        (BEDROCK, "api", False, True),
        ({**BEDROCK, "CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"}, "api", False, False),
        (BEDROCK, "max", False, False),
        (BEDROCK, "max", True, True),
        (BEDROCK, "unknown", True, False),
    ],
    ids=[
        "api",
        "disable-1m",
        "subscriber-no-extra-usage",
        "subscriber-extra-usage",
        "unknown-tier",
    ],
)
def test_one_m_entries_follow_the_gates(
    env: dict[str, str], tier: str, extra_usage: bool, shown: bool
) -> None:

    snap = Snapshot.of(env=env, subscription=tier, account=Account(tier, extra_usage, False))
    labels = [o.label for o in options(snap)]
    assert ("Opus 4.6 (1M context)" in labels) is shown
    assert ("Sonnet 4.6 (1M context)" in labels) is shown


@pytest.mark.parametrize(
    ("tier", "extra_usage", "beta"),
    [
        ("api", False, True),
        ("max", False, False),
        ("max", True, True),
        ("pro", True, True),
        ("unknown", True, False),
    ],
)
def test_one_m_beta_in_resolution_follows_the_gates(
    tier: str, extra_usage: bool, beta: bool
) -> None:

    snap = Snapshot.of(
        flags=Flags(model="claude-sonnet-4-5[1m]", print_mode=True),
        subscription=tier,
        account=Account(tier, extra_usage, False),
    )
    main = resolve(snap).main
    assert ("context-1m-2025-08-07" in main.betas) is beta
    assert main.context_window == (1_000_000 if beta else 200_000)


@pytest.mark.parametrize(
    ("tier", "merged"), [("api", True), ("max", True), ("pro", False), ("unknown", False)]
)
def test_opus_1m_merge_fails_closed_on_unknown_tier(tier: str, merged: bool) -> None:
    """With a custom ANTHROPIC_DEFAULT_OPUS_MODEL the merged default is ``opus[1m]`` (beta sent);
    Pro and an unknown tier get no merge."""

    snap = Snapshot.of(
        env={"ANTHROPIC_DEFAULT_OPUS_MODEL": "my-gateway-opus"},
        subscription=tier,
        account=Account(tier, True, False),
    )
    assert ("context-1m-2025-08-07" in resolve(snap).main.betas) is merged


# -- the command: where the tier comes from -----------------------------------------------------


def _models(
    sandbox: Sandbox, extra: dict[str, str] | None = None, args: list[str] | None = None
) -> list[Any]:
    r = run_cli(
        ["models", "--json", *(args or [])], env=base_env(sandbox.home, extra), cwd=sandbox.cwd
    )
    assert r.code == 0, r.stderr
    return [(o["label"], o["description"], o["value"]) for o in r.json()["options"]]


def test_models_json_api_key(sandbox: Sandbox) -> None:
    assert _models(sandbox) == API_FIRST_PARTY


@pytest.mark.parametrize("kind", ["max", "pro", "team", "enterprise"])
def test_models_json_subscription_from_env(sandbox: Sandbox, kind: str) -> None:
    env = {"CLAUDE_CODE_OAUTH_TOKEN": "sk-ant-oat01-secret", "CLAUDE_CODE_SUBSCRIPTION_TYPE": kind}
    r = run_cli(["models", "--json"], env=base_env(sandbox.home, env), cwd=sandbox.cwd)
    assert [(o["label"], o["description"], o["value"]) for o in r.json()["options"]] == SUBSCRIBER
    assert "secret" not in r.stdout + r.stderr


def test_models_json_subscription_flag(sandbox: Sandbox) -> None:
    assert _models(sandbox, args=["--subscription", "max"]) == SUBSCRIBER


def _write_config(home: Path, data: dict[str, Any]) -> None:
    (home / ".claude.json").write_text(json.dumps(data))


def test_tier_is_read_from_the_global_config_oauth_account(sandbox: Sandbox) -> None:
    _write_config(
        sandbox.home,
        {"oauthAccount": {"organizationType": "claude_max", "hasExtraUsageEnabled": False}},
    )
    assert _models(sandbox) == SUBSCRIBER
    assert _models(sandbox, {"ANTHROPIC_API_KEY": "sk-ant-api03-x"}) == API_FIRST_PARTY


def test_global_config_account_gates_one_m_on_bedrock(sandbox: Sandbox) -> None:
    _write_config(sandbox.home, {"oauthAccount": {"organizationType": "claude_max"}})
    labels = [r[0] for r in _models(sandbox, BEDROCK)]
    assert "Opus 4.6 (1M context)" not in labels
    _write_config(
        sandbox.home,
        {"oauthAccount": {"organizationType": "claude_max", "hasExtraUsageEnabled": True}},
    )
    assert "Opus 4.6 (1M context)" in [r[0] for r in _models(sandbox, BEDROCK)]


@pytest.mark.parametrize(
    ("account", "tier"),
    [
        ({"organizationType": "claude_max"}, "max"),
        ({"organizationType": "claude_pro"}, "pro"),
        ({"organizationType": "claude_team"}, "team_standard"),
        (
            {
                "organizationType": "claude_team",
                "organizationRateLimitTier": "default_claude_team_premium",
            },
            "team_premium",
        ),
        ({"organizationType": "claude_enterprise"}, "enterprise"),
        ({"organizationType": "something_new"}, "unknown"),
        ({}, "unknown"),
    ],
)
def test_account_tier_mapping(account: dict[str, Any], tier: str) -> None:
    from claude_models.account import account_from_global

    assert account_from_global({"oauthAccount": account}).tier == tier


def test_models_plain_text_lists_labels_and_values(sandbox: Sandbox) -> None:
    r = run_cli(["models"], env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert r.code == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Default (recommended)") and lines[0].endswith("[removes model]")
    assert lines[1].endswith("[saves opus]")
