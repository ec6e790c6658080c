"""Side queries, the small/fast "haiku slot" (BEHAVIOUR.md section 4): one row per rule."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.result import Resolution
from tests.clirun import base_env, run_cli

PROXY = {"ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}
CONSOLE_KEY = {**PROXY, "ANTHROPIC_API_KEY": "sk-ant-api03-fakefakefake"}
BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}
VERTEX = {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "us-east5"}
FOUNDRY = {"CLAUDE_CODE_USE_FOUNDRY": "1"}
SONNET_45_US = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


#: The release BEHAVIOUR.md describes: these cases are its observations (the 2.1.332
#: counterparts of the ones whose catalog moved are in tests/test_release_rules.py).
BEHAVIOUR_RELEASE = "2.1.328"


def side_of(env: dict[str, str], model: str | None = None, **kw: Any) -> Resolution:
    kw.setdefault("claude_version", BEHAVIOUR_RELEASE)
    return resolve(Snapshot.of(env=env, flags=Flags(model=model, print_mode=True), **kw))


# (id, env, --model, expected side.model, expected start of side.source)
MODEL_CASES = [
    ("1p-default-haiku-slot", {}, None, "claude-haiku-5-5", "haiku slot"),
    ("1p-console-key-through-proxy", CONSOLE_KEY, None, "claude-haiku-5-5", "haiku slot"),
    (
        "1p-proxy-non-console-key",
        {**PROXY, "ANTHROPIC_API_KEY": "sk-other-key"},
        None,
        "claude-opus-5-5",
        "main-loop model",
    ),
    (
        "1p-proxy-auth-token",
        {**PROXY, "ANTHROPIC_AUTH_TOKEN": "tok"},
        "sonnet",
        "claude-sonnet-5-5",
        "main-loop model",
    ),
    (
        "1p-proxy-console-key-plus-auth-token",
        {**CONSOLE_KEY, "ANTHROPIC_AUTH_TOKEN": "tok"},
        None,
        "claude-opus-5-5",
        "main-loop model",
    ),
    (
        "small-fast-beats-default-haiku",
        {
            "ANTHROPIC_SMALL_FAST_MODEL": "claude-3-5-haiku-20241022",
            "ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-haiku-4-5-20251001",
        },
        None,
        "claude-3-5-haiku-20241022",
        "ANTHROPIC_SMALL_FAST_MODEL",
    ),
    (
        "default-haiku-beats-haiku-slot",
        {"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-haiku-4-5-20251001"},
        None,
        "claude-haiku-4-5-20251001",
        "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    ),
    (
        "default-haiku-alias-literal-on-bedrock",
        {**BEDROCK, "ANTHROPIC_DEFAULT_HAIKU_MODEL": "haiku"},
        None,
        "haiku",
        "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    ),
    ("bedrock-no-model-provider-sonnet", BEDROCK, None, SONNET_45_US, "provider sonnet"),
    (
        "bedrock-eu-no-model",
        {**BEDROCK, "AWS_REGION": "eu-west-1"},
        None,
        "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "provider sonnet",
    ),
    ("bedrock-explicit-model", BEDROCK, "opus", "us.anthropic.claude-opus-5-5", "main-loop"),
    (
        "bedrock-only-default-opus-pinned",
        {**BEDROCK, "ANTHROPIC_DEFAULT_OPUS_MODEL": "my-opus"},
        None,
        "my-opus",
        "main-loop model",
    ),
    (
        "bedrock-default-opus-and-sonnet-pinned",
        {
            **BEDROCK,
            "ANTHROPIC_DEFAULT_OPUS_MODEL": "my-opus",
            "ANTHROPIC_DEFAULT_SONNET_MODEL": "my-sonnet",
        },
        None,
        "my-sonnet",
        "provider sonnet",
    ),
    ("vertex-no-model", VERTEX, None, "claude-sonnet-4-5@20250929", "provider sonnet"),
    ("vertex-explicit-model", VERTEX, "opus", "claude-opus-5-5", "main-loop model"),
    ("foundry-always-main", FOUNDRY, None, "claude-sonnet-4-5", "main-loop model"),
    ("foundry-explicit", FOUNDRY, "opus", "claude-opus-4-6", "main-loop model"),
    ("mantle-main", {"CLAUDE_CODE_USE_MANTLE": "1"}, None, "anthropic.claude-opus-5-5", "main"),
    (
        "gateway-acts-first-party",
        {"CLAUDE_CODE_USE_GATEWAY": "1", **PROXY},
        None,
        "claude-haiku-5-5",
        "haiku slot",
    ),
    (
        "anthropic-aws-haiku-45",
        {"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1"},
        None,
        "claude-haiku-4-5-20251001",
        "haiku slot",
    ),
    (
        "anthropic-google-cloud-haiku-45",
        {"CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD": "1"},
        None,
        "claude-haiku-4-5-20251001",
        "haiku slot",
    ),
]


@pytest.mark.parametrize(
    ("env", "model", "want", "source"),
    [c[1:] for c in MODEL_CASES],
    ids=[c[0] for c in MODEL_CASES],
)
def test_side_model(env: dict[str, str], model: str | None, want: str, source: str) -> None:
    side = side_of(env, model).side
    assert side is not None
    assert side.model == want
    assert side.source.startswith(source), side.source


def test_side_follows_main_model_as_sent_when_main_loop() -> None:
    """Rule 4's "main-loop model" is the model as it goes on the wire (provider spelling)."""
    res = side_of(FOUNDRY, "haiku")
    assert res.side is not None and res.side.model == res.main.model == "claude-haiku-4-5"


# -- managed deniedModels is the only policy that moves side queries -------------------------


def test_managed_denied_haiku_redirects_to_main() -> None:
    res = side_of({}, managed={"deniedModels": ["haiku"]})
    assert res.side is not None
    assert res.side.model == res.main.model == "claude-opus-5-5"
    assert "deniedModels" in res.side.source


def test_managed_denied_covers_small_fast_model_too() -> None:
    res = side_of(
        {"ANTHROPIC_SMALL_FAST_MODEL": "claude-haiku-4-5"}, managed={"deniedModels": ["haiku"]}
    )
    assert res.side is not None and res.side.model == "claude-opus-5-5"


def test_user_denied_models_do_not_move_side_queries() -> None:
    res = side_of({}, user={"deniedModels": ["haiku"]})
    assert res.side is not None and res.side.model == "claude-haiku-5-5"


@pytest.mark.parametrize("scope", ["user", "managed"])
def test_side_queries_ignore_enforced_allowlist(scope: str) -> None:
    policy = {"availableModels": ["opus"], "enforceAvailableModels": True}
    layers: dict[str, Any] = {scope: policy}
    res = side_of({}, **layers)
    assert res.side is not None and res.side.model == "claude-haiku-5-5"


# -- effort: only CLAUDE_CODE_EFFORT_LEVEL reaches side queries ------------------------------


@pytest.mark.parametrize(
    ("env", "flags", "settings", "want"),
    [
        ({}, {}, None, "medium"),  # haiku-5-5's own default
        ({"CLAUDE_CODE_EFFORT_LEVEL": "low"}, {}, None, "low"),
        ({"CLAUDE_CODE_EFFORT_LEVEL": "auto"}, {}, None, None),
        ({"CLAUDE_CODE_EFFORT_LEVEL": "nonsense"}, {}, None, "medium"),
        ({}, {"effort": "high"}, None, "medium"),  # --effort does not apply
        ({}, {}, {"effortLevel": "low"}, "medium"),  # settings effort does not apply
    ],
    ids=["default", "env-low", "env-auto", "env-garbage", "flag-ignored", "settings-ignored"],
)
def test_side_effort(
    env: dict[str, str], flags: dict[str, str], settings: dict[str, Any] | None, want: str | None
) -> None:
    snap = Snapshot.of(env=env, flags=Flags(print_mode=True, **flags), project=settings)
    side = resolve(snap).side
    assert side is not None and side.effort == want


def test_side_effort_dropped_on_model_without_effort() -> None:
    side = side_of({"CLAUDE_CODE_EFFORT_LEVEL": "high"}).side
    assert side is not None and side.effort == "high"  # haiku-5-5 takes effort
    side = side_of({**BEDROCK, "CLAUDE_CODE_EFFORT_LEVEL": "high"}).side
    assert side is not None and side.model == SONNET_45_US and side.effort is None


def test_small_fast_model_region_on_bedrock() -> None:
    env = {
        **BEDROCK,
        "ANTHROPIC_SMALL_FAST_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
        "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION": "us-west-2",
    }
    res = side_of(env)
    assert res.side is not None and res.side.region == "us-west-2"
    assert res.main.region == "us-east-1"


def test_side_source_names_the_settings_file_of_an_env_block() -> None:
    res = side_of({}, project={"env": {"ANTHROPIC_SMALL_FAST_MODEL": "claude-haiku-4-5"}})
    assert res.side is not None
    assert res.side.model == "claude-haiku-4-5"
    assert res.side.source == "ANTHROPIC_SMALL_FAST_MODEL (project (<project>))"


def test_side_fallback_mode_default_off_and_opt_in() -> None:
    off = side_of({}).side
    assert off is not None and off.fallback == "off"
    on = side_of({"CLAUDE_MODELS_SIDE_QUERY_FALLBACK": "main-model"}).side
    assert on is not None and on.fallback == "main-model"


def test_cli_side_on_main_through_proxy(sandbox: Any) -> None:
    env = base_env(sandbox.home, {**PROXY, "ANTHROPIC_AUTH_TOKEN": "secret-token-value"})
    run = run_cli(["resolve", "-p", "--managed-settings", "/nonexistent"], env=env, cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    out = run.json()
    assert out["side"]["model"] == out["main"]["model"] == "claude-opus-5-5"
    assert out["side"]["source"].startswith("main-loop model")
    assert "secret-token-value" not in run.stdout + run.stderr
