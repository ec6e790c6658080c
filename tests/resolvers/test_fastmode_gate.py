"""One fast-mode gate serves ``resolve`` and ``/fast on`` (issue 11: the two disagreed on
Vertex ``global``, where resolve allowed fast mode and ``fast on`` refused it)."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, SessionState, Snapshot, resolve
from claude_models._record import replace
from claude_models.account import Account
from claude_models.actions.fast import set_fast
from claude_models.resolvers.fastmode import GATE

ORG_ON = Account(None, True, True)  # extra usage, org fast mode on: /fast's own rows pass
VERTEX = {"CLAUDE_CODE_USE_VERTEX": "1", "ANTHROPIC_VERTEX_PROJECT_ID": "p"}

# (id, env, settings kwargs, subscription, the resolve reason of a shared gate row or None)
CONFIGS: list[tuple[str, dict[str, str], dict[str, Any], str, str | None]] = [
    ("first-party", {}, {}, "api", None),
    ("disabled", {"CLAUDE_CODE_DISABLE_FAST_MODE": "1"}, {}, "api", "disabled_by_env"),
    ("bedrock", {"CLAUDE_CODE_USE_BEDROCK": "1"}, {}, "api", "not_first_party"),
    ("foundry", {"CLAUDE_CODE_USE_FOUNDRY": "1"}, {}, "api", "not_first_party"),
    ("vertex-global", {**VERTEX, "CLOUD_ML_REGION": "global"}, {}, "api", None),
    ("vertex-eu", {**VERTEX, "CLOUD_ML_REGION": "eu"}, {}, "api", None),
    ("vertex-us-east5", {**VERTEX, "CLOUD_ML_REGION": "us-east5"}, {}, "api", "disabled_by_env"),
    (
        "allowlist-excludes",
        {},
        {"managed": {"availableModels": ["sonnet"]}},
        "api",
        "model_not_allowed",
    ),
    ("denied", {}, {"managed": {"deniedModels": ["opus"]}}, "api", "model_not_allowed"),
    ("tier-unknown", {}, {}, "unknown", "paid_subscription_required"),
    ("max", {}, {}, "max", None),
]


@pytest.mark.parametrize(
    ("env", "settings", "tier", "blocked"), [c[1:] for c in CONFIGS], ids=[c[0] for c in CONFIGS]
)
def test_resolve_and_fast_on_agree(
    env: dict[str, str], settings: dict[str, Any], tier: str, blocked: str | None
) -> None:
    """Opted in through /fast, resolve turns fast mode on exactly where ``fast on`` is not
    refused (with /fast's own extra rows, extra usage and org status, passing)."""
    snap = Snapshot.of(
        env=env, subscription=tier, account=ORG_ON, session=SessionState(fast_mode=True), **settings
    )
    fast = resolve(snap).fast_mode
    out = set_fast(snap, True)
    assert fast.reason == blocked
    assert out.ok is (blocked is None)
    if out.ok:
        after = resolve(replace(snap, session=out.state)).fast_mode
        # on Vertex only models with the vertex_fast_mode capability run fast (not Opus 5.5)
        assert (after.state, after.reason) == (
            "off" if "CLAUDE_CODE_USE_VERTEX" in env else "on",
            None,
        )


def test_fast_on_vertex_global_is_allowed_and_uses_the_vertex_capability() -> None:
    snap = Snapshot.of(env={**VERTEX, "CLOUD_ML_REGION": "global"}, account=ORG_ON)
    out = set_fast(snap, True)
    assert (out.ok, out.message) == (True, "Fast mode ON")


def test_fast_on_vertex_outside_fast_locations_is_refused_like_resolve() -> None:
    snap = Snapshot.of(env={**VERTEX, "CLOUD_ML_REGION": "us-east5"}, account=ORG_ON)
    out = set_fast(snap, True)
    assert (out.ok, out.message) == (False, "Fast mode is not available on this provider")
    assert resolve(snap).fast_mode.detail == (
        "Vertex location us-east5 has no fast mode (needs global, us or eu)"
    )


def test_gate_rows_are_in_docstring_order() -> None:
    from claude_models.resolvers import fastmode

    doc = fastmode.__doc__ or ""
    positions = [doc.index(f"\n{row.step} ") for row in GATE]
    assert positions == sorted(positions)


def test_print_mode_opt_in_is_a_resolve_row_only() -> None:
    snap = Snapshot.of(flags=Flags(print_mode=True), account=ORG_ON)
    assert resolve(snap).fast_mode.reason == "sdk_opt_in_required"
    assert set_fast(snap, True).ok
