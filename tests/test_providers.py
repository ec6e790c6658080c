"""Providers: detection and how a model is spelled on each (BEHAVIOUR.md 1, 8e)."""

from __future__ import annotations

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.providers import detect, region_geo

BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1"}
VERTEX = {"CLAUDE_CODE_USE_VERTEX": "1", "ANTHROPIC_VERTEX_PROJECT_ID": "p"}


@pytest.mark.parametrize(
    ("var", "provider"),
    [
        ("CLAUDE_CODE_USE_BEDROCK", "bedrock"),
        ("CLAUDE_CODE_USE_VERTEX", "vertex"),
        ("CLAUDE_CODE_USE_FOUNDRY", "foundry"),
        ("CLAUDE_CODE_USE_ANTHROPIC_AWS", "anthropicAws"),
        ("CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD", "anthropicGoogleCloud"),
        ("CLAUDE_CODE_USE_MANTLE", "mantle"),
        ("CLAUDE_CODE_USE_GATEWAY", "gateway"),
    ],
)
def test_detect(var: str, provider: str) -> None:
    assert detect({var: "1"}) == (provider, var)
    assert detect({var: "0"}) == ("firstParty", None)


def test_first_party_when_nothing_set() -> None:
    assert detect({}) == ("firstParty", None)


@pytest.mark.parametrize(
    ("region", "geo"),
    [("us-east-1", "us"), ("eu-west-1", "eu"), ("ap-northeast-1", "apac"), ("ca-central-1", "us")],
)
def test_region_geo(region: str, geo: str) -> None:
    assert region_geo(region) == geo


#: The release BEHAVIOUR.md describes: these cases are its observations (the 2.1.332
#: counterparts of the ones whose catalog moved are in tests/test_release_rules.py).
BEHAVIOUR_RELEASE = "2.1.328"


def _main(env: dict[str, str], model: str | None = None) -> tuple[str, str | None]:
    flags = Flags(model=model, print_mode=True)
    m = resolve(Snapshot.of(env=env, flags=flags, claude_version=BEHAVIOUR_RELEASE)).main
    return m.model, m.region


@pytest.mark.parametrize(
    ("env", "model", "wire", "region"),
    [
        (
            {**BEDROCK, "AWS_REGION": "eu-west-1"},
            "sonnet",
            "eu.anthropic.claude-sonnet-4-5-20250929-v1:0",
            "eu-west-1",
        ),
        (
            {**BEDROCK, "AWS_REGION": "us-east-1"},
            "claude-opus-4-6",
            "us.anthropic.claude-opus-4-6-v1",
            "us-east-1",
        ),
        (
            {**BEDROCK, "AWS_REGION": "us-east-1", "ANTHROPIC_BEDROCK_REGION_PREFIX": "eu"},
            "opus",
            "eu.anthropic.claude-opus-5-5",
            "us-east-1",
        ),
        (
            {**BEDROCK, "AWS_REGION": "us-east-1"},
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
            "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc",
            "us-east-1",
        ),
        ({**VERTEX, "CLOUD_ML_REGION": "global"}, "sonnet", "claude-sonnet-4-5@20250929", "global"),
        (
            {
                **VERTEX,
                "CLOUD_ML_REGION": "us-east5",
                "VERTEX_REGION_CLAUDE_5_5_OPUS": "us-central1",
            },
            "opus",
            "claude-opus-5-5",
            "us-central1",
        ),
        ({"CLAUDE_CODE_USE_FOUNDRY": "1"}, None, "claude-sonnet-4-5", None),
        ({"CLAUDE_CODE_USE_FOUNDRY": "1"}, "opus", "claude-opus-4-6", None),
        ({"CLAUDE_CODE_USE_MANTLE": "1"}, "opus", "anthropic.claude-opus-5-5", None),
        ({"CLAUDE_CODE_USE_MANTLE": "1"}, "claude-opus-4-6", "claude-opus-4-6", None),
        ({"CLAUDE_CODE_USE_MANTLE": "1"}, "sonnet", "anthropic.claude-haiku-4-5", None),
        ({"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1"}, "sonnet", "claude-sonnet-4-6", None),
        (
            {"CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD": "1"},
            "haiku",
            "claude-haiku-4-5-20251001",
            None,
        ),
    ],
)
def test_spelling(env: dict[str, str], model: str | None, wire: str, region: str | None) -> None:
    assert _main(env, model) == (wire, region)


def test_model_overrides_keyed_by_first_party_id() -> None:
    snap = Snapshot.of(
        user={"modelOverrides": {"claude-opus-5-5": "claude-opus-4-6"}},
        flags=Flags(print_mode=True),
    )
    main = resolve(snap).main
    assert (main.model, main.max_tokens, main.effort, main.context_window) == (
        "claude-opus-4-6",
        128000,
        "medium",
        200000,
    )


@pytest.mark.parametrize("key", ["claude-sonnet-4-5", "opus"])
def test_model_overrides_other_keys_ignored(key: str) -> None:
    snap = Snapshot.of(
        user={"modelOverrides": {key: "x-model"}}, flags=Flags(model=key, print_mode=True)
    )
    assert resolve(snap).main.model != "x-model"


def test_bedrock_inference_profiles_prefer_region_geo() -> None:
    snap = Snapshot.of(
        env={**BEDROCK, "AWS_REGION": "eu-west-1"},
        flags=Flags(print_mode=True),
        inference_profiles=["us.anthropic.claude-opus-5-5", "eu.anthropic.claude-opus-5-5"],
    )
    assert resolve(snap).main.model == "eu.anthropic.claude-opus-5-5"
    snap = Snapshot.of(
        env={**BEDROCK, "AWS_REGION": "us-east-1"},
        flags=Flags(print_mode=True),
        inference_profiles=["global.anthropic.claude-opus-5-5"],
    )
    assert resolve(snap).main.model == "global.anthropic.claude-opus-5-5"
