"""``ANTHROPIC_BETAS`` (claude_models.betas): which betas each request carries, as measured on
Claude Code 2.1.328, 2.1.331 and 2.1.332 (docs/decisions/measure.md; the ``ub_`` observations
replay the same in tests/test_observed.py)."""

from __future__ import annotations

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.betas import KNOWN, parse
from claude_models.releases import RELEASES, UNMEASURED_VARIABLES

C1M = "context-1m-2025-08-07"
KEY = {"ANTHROPIC_API_KEY": "sk-ant-api03-test-betas-0000"}
PROVIDERS: dict[str, dict[str, str]] = {
    "firstParty": KEY,
    "gateway": {"CLAUDE_CODE_USE_GATEWAY": "1", "ANTHROPIC_BASE_URL": "http://127.0.0.1:9", **KEY},
    "foundry": {"CLAUDE_CODE_USE_FOUNDRY": "1", "ANTHROPIC_FOUNDRY_RESOURCE": "r1"},
    "anthropicAws": {"CLAUDE_CODE_USE_ANTHROPIC_AWS": "1", "AWS_REGION": "us-east-1"},
    "anthropicGoogleCloud": {"CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD": "1"},
    "bedrock": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"},
    "vertex": {"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "us-east5"},
    "mantle": {"CLAUDE_CODE_USE_MANTLE": "1", "AWS_REGION": "us-east-1"},
}


def snap(env: dict[str, str], version: str = "2.1.332", model: str | None = None) -> Snapshot:
    return Snapshot.of(env=env, flags=Flags(model=model), claude_version=version)


@pytest.mark.parametrize(
    ("value", "provider", "sent"),
    [
        ("foo-1", "firstParty", ("foo-1",)),
        (" foo-1 , bar-2 ,foo-1,,", "firstParty", ("foo-1", "bar-2")),  # trimmed, each once
        (" FOO-2026 ,a b", "firstParty", ("FOO-2026", "a b")),  # case and inner spaces kept
        ("a;b c", "firstParty", ("a;b c",)),  # commas only separate
        ("afk-mode-2026-01-31,x-AFK-MODE-y,ok-1", "firstParty", ("ok-1",)),
        ("mid-conversation-system-2026-04-07,ok-1", "firstParty", ("ok-1",)),  # GA: not sent
        ("", "firstParty", ()),
        (" , ", "firstParty", ()),
        (f"foo-1,{C1M},effort-2025-11-24", "bedrock", (C1M, "effort-2025-11-24")),
        (f"foo-1,{C1M},effort-2025-11-24", "vertex", (C1M, "effort-2025-11-24")),
        (f"foo-1,{C1M},effort-2025-11-24", "mantle", (C1M, "effort-2025-11-24")),
        (f"foo-1,{C1M}", "foundry", ("foo-1", C1M)),
        (f"foo-1,{C1M}", "gateway", ("foo-1", C1M)),
        (f"foo-1,{C1M}", "anthropicAws", ("foo-1", C1M)),
        (f"foo-1,{C1M}", "anthropicGoogleCloud", ("foo-1", C1M)),
        ("afk-mode-2026-01-31", "bedrock", ()),  # known to Claude Code, still dropped
    ],
)
def test_parse(value: str, provider: str, sent: tuple[str, ...]) -> None:
    assert parse(value, provider) == sent


def test_every_known_beta_passes_on_bedrock() -> None:
    assert set(parse(",".join(sorted(KNOWN)), "bedrock")) == KNOWN


@pytest.mark.parametrize("version", RELEASES)
@pytest.mark.parametrize("provider", sorted(PROVIDERS))
def test_main_loop_carries_them_on_every_release(provider: str, version: str) -> None:
    env = {**PROVIDERS[provider], "ANTHROPIC_BETAS": f"foo-2026-01-01,{C1M}"}
    main = resolve(snap(env, version)).main
    plain = resolve(snap(PROVIDERS[provider], version)).main
    want = ("foo-2026-01-01", C1M) if provider not in ("bedrock", "vertex", "mantle") else (C1M,)
    assert main.betas == plain.betas + tuple(b for b in want if b not in plain.betas)
    # nothing else moves: model, window, max_tokens, effort, thinking
    assert main.model == plain.model
    assert main.context_window == plain.context_window
    assert (main.max_tokens, main.effort, main.thinking) == (
        plain.max_tokens,
        plain.effort,
        plain.thinking,
    )


def test_a_context_1m_beta_does_not_change_the_window() -> None:
    """Observed (ub_fp_sonnet45_c1m): the beta is sent, the window stays 200k."""
    main = resolve(snap({**KEY, "ANTHROPIC_BETAS": C1M}, model="claude-sonnet-4-5")).main
    assert main.betas == (C1M,)
    assert main.context_window == 200_000


def test_disable_1m_context_does_not_drop_it() -> None:
    """Observed (ub_fp_disable1m_c1m): CLAUDE_CODE_DISABLE_1M_CONTEXT drops the [1m] beta, not
    the user's."""
    env = {**KEY, "ANTHROPIC_BETAS": C1M, "CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"}
    main = resolve(snap(env, model="claude-sonnet-4-5")).main
    assert (main.betas, main.context_window) == ((C1M,), 200_000)


def test_the_1m_suffix_and_the_variable_list_the_beta_once() -> None:
    """Claude Code sends it twice (ub_fp_sonnet45_1m_c1m); resolve lists which betas are on."""
    main = resolve(snap({**KEY, "ANTHROPIC_BETAS": C1M}, model="claude-sonnet-4-5[1m]")).main
    assert (main.betas, main.context_window) == ((C1M,), 1_000_000)


def test_side_queries_subagents_fallbacks_and_step_downs_carry_them() -> None:
    env = {**KEY, "ANTHROPIC_BETAS": "foo-2026-01-01"}
    r = resolve(
        Snapshot.of(
            env=env,
            flags=Flags(fallback_model="sonnet"),
            agent={"subagent_type": "general-purpose", "model": "sonnet"},
        )
    )
    assert r.main.betas == ("foo-2026-01-01",)
    assert r.subagent is not None and r.subagent.request is not None
    assert r.subagent.request.betas == ("foo-2026-01-01",)
    assert [f.betas for f in r.fallbacks] == [("foo-2026-01-01",)]
    assert r.side is not None and r.side.betas == ("foo-2026-01-01",)  # the hook side query
    assert r.side.to_sdk_kwargs()["extra_headers"] == {"anthropic-beta": "foo-2026-01-01"}
    assert r.side.to_json()["betas"] == ["foo-2026-01-01"]
    assert r.main.to_sdk_kwargs()["extra_headers"] == {"anthropic-beta": "foo-2026-01-01"}
    bedrock = {**PROVIDERS["bedrock"], "ANTHROPIC_BETAS": f"foo-1,{C1M}"}
    step = resolve(Snapshot.of(env=bedrock)).main_stepdown
    assert step is not None and step.requests
    assert all(req.betas[-1:] == (C1M,) for req in step.requests)
    side = resolve(Snapshot.of(env=bedrock)).side
    assert side is not None and side.betas == (C1M,)  # Bedrock drops the unknown foo-1
    plain = resolve(Snapshot.of(env=KEY)).side
    assert plain is not None and plain.betas == () and "extra_headers" not in plain.to_sdk_kwargs()


def test_it_is_modelled_not_named_as_unmeasured() -> None:
    assert "ANTHROPIC_BETAS" not in UNMEASURED_VARIABLES
    r = resolve(snap({**KEY, "ANTHROPIC_BETAS": "foo-1"}))
    assert [w for w in r.warnings if w.code == "unmeasured_variable"] == []
