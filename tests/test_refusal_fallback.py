"""After a main-loop reply refused by the safety classifier (``stop_reason: "refusal"``):
Claude Code's retry and its per-category switch (stepdown.refusal_fallback), as measured on
2.1.328, 2.1.331 and 2.1.332 (docs/decisions/measure.md; the ``rf_`` observations replay the
same through tests/test_observed.py)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.releases import RELEASES
from claude_models.result import RefusalFallback

FP = {"ANTHROPIC_API_KEY": "sk-ant-api03-test-refusal-0000"}
BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}
OPUS55 = {"bio": "claude-opus-5", "cyber": "claude-opus-4-8", "frontier_llm": "claude-opus-5"}


def fallback(env: dict[str, str], version: str = "2.1.332", **flags: Any) -> RefusalFallback:
    r = resolve(Snapshot.of(env=env, flags=Flags(**flags), claude_version=version))
    assert r.refusal_fallback is not None
    return r.refusal_fallback


@pytest.mark.parametrize(
    ("env", "model", "routes"),
    [
        (FP, None, OPUS55),  # observed: cyber -> opus-4-8 (rf_fp_opus), bio -> opus-5
        (FP, "sonnet", {"cyber": "claude-sonnet-5", "frontier_llm": "claude-sonnet-5"}),
        (FP, "fable", OPUS55),  # fable-5-2: Claude Code's default routes (observed cyber)
        (FP, "claude-opus-5", {"cyber": "claude-opus-4-8"}),
        (FP, "claude-opus-4-6", {}),  # no refusal_fallback capability (rf_fp_opus46)
        (FP, "claude-opus-4-8", {}),
        (FP, "haiku", {}),
        (
            BEDROCK,
            None,
            {
                "bio": "us.anthropic.claude-opus-5",
                "cyber": "us.anthropic.claude-opus-4-8",  # rf_bd_opus
                "frontier_llm": "us.anthropic.claude-opus-5",
            },
        ),
    ],
)
def test_routes_per_refused_model(env: dict[str, str], model: str | None, routes: Any) -> None:
    got = fallback(env, model=model)
    assert got.retry is True  # the one retry on the same model comes first, capability or not
    assert {c: req.model for c, req in got.routes} == routes
    assert got.disabled_by is None


@pytest.mark.parametrize("version", RELEASES)
def test_same_in_every_modelled_release(version: str) -> None:
    got = fallback(FP, version)
    assert {c: req.model for c, req in got.routes} == OPUS55


@pytest.mark.parametrize(
    ("effort", "sent"), [(None, "medium"), ("low", "low"), ("max", "max")], ids=str
)
def test_the_switch_keeps_the_refused_requests_effort_and_takes_its_own_max_tokens(
    effort: str | None, sent: str
) -> None:
    """Observed: opus-5-5 at medium -> opus-4-8 at medium (its own default is high), at low
    with --effort low (rf_fp_opus_low); max_tokens 64000, opus-4-8's own."""
    main = resolve(Snapshot.of(env=FP, flags=Flags(effort=effort))).main
    cyber = dict(fallback(FP, effort=effort).routes)["cyber"]
    assert main.effort == sent
    assert (cyber.model, cyber.max_tokens, cyber.effort) == ("claude-opus-4-8", 64000, sent)
    assert cyber.source == "refusal"
    assert cyber.origin == "refusal route (cyber) of claude-opus-5-5"


@pytest.mark.parametrize(
    ("var", "retry", "routes", "disabled_by"),
    [
        ("CLAUDE_CODE_DISABLE_REFUSAL_RETRY", False, OPUS55, None),  # rf_fp_no_retry
        ("CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK", True, {}, "CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK"),
    ],
)
def test_the_two_switches(var: str, retry: bool, routes: Any, disabled_by: str | None) -> None:
    for value, on in (("1", True), ("true", True), ("0", False), ("", False)):
        got = fallback({**FP, var: value})
        if not on:
            assert (got.retry, got.disabled_by) == (True, None), value
            continue
        assert got.retry is retry
        assert {c: req.model for c, req in got.routes} == routes
        assert got.disabled_by == disabled_by


def test_json_contract() -> None:
    out = resolve(Snapshot.of(env=FP, flags=Flags(model="sonnet"))).to_json()["refusal_fallback"]
    assert set(out) == {"retry", "routes", "requests", "disabled_by"}
    assert out["routes"] == {"cyber": "claude-sonnet-5", "frontier_llm": "claude-sonnet-5"}
    assert out["requests"]["cyber"]["max_tokens"] == 64000
    assert out["requests"]["cyber"]["effort"] == "medium"
    off = resolve(Snapshot.of(env={**FP, "CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK": "1"})).to_json()
    assert off["refusal_fallback"] == {
        "retry": True,
        "routes": {},
        "requests": {},
        "disabled_by": "CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK",
    }
