"""Request shaping: max_tokens, effort, thinking, context window and betas for a model.

All numbers follow BEHAVIOUR.md sections 1, 6 and 8e. A model nobody knows gets max_tokens
32000 and a reported 1M window; on the first-party-style APIs it is assumed to take effort
(default high) and adaptive thinking, elsewhere budget thinking and no effort (observed: a
Bedrock application-inference-profile ARN).
"""

from __future__ import annotations

from collections.abc import Mapping

from claude_models import env as E
from claude_models import providers
from claude_models.account import one_m_access
from claude_models.betas import merged, user_betas
from claude_models.registry import Model
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.effort import (
    EffortPick,
    clamp_effort,
    default_effort,
    main_effort,
    pick_effort,
)
from claude_models.resolvers.setting import (
    Resolved,
)
from claude_models.result import Request, Thinking


def build_request(
    ctx: Ctx,
    r: Resolved,
    effort: EffortPick,
    *,
    setting: str | None,
    source: str,
    origin: str | None,
    speed: str | None = None,
    extra_betas: tuple[str, ...] = (),
) -> Request:
    """The request for a resolved model: the one place main loop and subagents are shaped.
    A modelOverrides entry that policy kept from applying is noted on ``origin``."""
    if r.override_skipped is not None:
        note = r.override_skipped.note
        origin = f"{origin}; {note}" if origin else note
    shape = _shape(ctx, r)
    return Request(
        r.wire,
        setting,
        source,
        shape[0],
        effort.value,
        shape[2],
        shape[4],
        shape[5] + extra_betas if extra_betas else shape[5],
        speed,
        shape[7],
        shape[9],
        origin,
        effort.source,
        shape[1],
        shape[3],
        shape[6],
        shape[8],
    )


# (max_tokens, its source, thinking, its source, context window, betas, its source, region,
# its source, catalog id): what build_request sends for a resolved model, whatever the role
_Shape = tuple[
    int, str, Thinking | None, str, int, tuple[str, ...], str, str | None, str | None, str | None
]


def _shape(ctx: Ctx, r: Resolved) -> _Shape:
    """What :func:`build_request` sends for ``r`` whatever the role: max_tokens, thinking,
    context window and betas, region (each with its source) and the catalog id. Kept per
    context and resolved model (the haiku of fallbacks and subagents is shaped once)."""
    memo = ctx.memo
    key = ("shape", id(r))
    found = memo.get(key)
    if found is not None and found[0] is r:  # the same object (ids are reused only once freed)
        shape: _Shape = found[1]
        return shape
    knobs = _knobs(ctx)
    tokens, tokens_src = _max_tokens(r.model, knobs[0])
    window, betas, ctx_src = context(r, ctx)
    betas = merged(betas, _user_betas(ctx))
    think, think_src = _thinking(r.model, tokens, ctx, knobs)
    region, region_src = providers.region(ctx.provider, r.window_model, ctx.env)
    shape = (
        tokens,
        tokens_src,
        think,
        think_src,
        window,
        betas,
        ctx_src,
        region,
        region_src or ("built-in default" if region else None),
        catalog_id(r.model),
    )
    memo[key] = (r, shape)
    return shape


def catalog_id(model: Model | None) -> str | None:
    return model.id if model else None


UNKNOWN_MAX_TOKENS = 32000


UNKNOWN_MAX_TOKENS_UPPER = 64000


ONE_M = 1_000_000


TWO_HUNDRED_K = 200_000


def parse_positive_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        n = int(value.strip())
    except ValueError:
        return None
    return n if n >= 0 else None


# The environment knobs of request shaping, read once per context (``_knobs``):
# CLAUDE_CODE_MAX_OUTPUT_TOKENS as a number, CLAUDE_CODE_DISABLE_THINKING, MAX_THINKING_TOKENS
# as a number (None: unset or not a number).
_Knobs = tuple[int | None, bool, int | None]


def _knobs(ctx: Ctx) -> _Knobs:
    found: _Knobs | None = ctx.memo.get("shape_knobs")
    if found is None:
        env = ctx.env
        found = ctx.memo["shape_knobs"] = (
            parse_positive_int(E.get(env, E.MAX_OUTPUT_TOKENS)),
            E.is_truthy(env.get(E.DISABLE_THINKING)),
            parse_positive_int(E.get(env, E.MAX_THINKING_TOKENS)),
        )
    return found


def _user_betas(ctx: Ctx) -> tuple[str, ...]:
    """``ANTHROPIC_BETAS`` on this provider (:mod:`claude_models.betas`), once per context:
    every model request carries them after its own."""
    found: tuple[str, ...] | None = ctx.memo.get("user_betas")
    if found is None:
        found = ctx.memo["user_betas"] = user_betas(ctx.env, ctx.provider)
    return found


def side_betas(ctx: Ctx) -> tuple[str, ...]:
    """The betas of a side query: those of ``ANTHROPIC_BETAS`` (observed on the hook side
    query, ``ub_`` scenarios); side queries carry no context-1m or fast-mode beta of their own."""
    return _user_betas(ctx)


def max_tokens(model: Model | None, env: Mapping[str, str]) -> tuple[int, str]:
    """The model's default max_tokens, or ``CLAUDE_CODE_MAX_OUTPUT_TOKENS`` capped at its
    upper limit (a non-number is ignored)."""
    return _max_tokens(model, parse_positive_int(E.get(env, E.MAX_OUTPUT_TOKENS)))


def _max_tokens(model: Model | None, asked: int | None) -> tuple[int, str]:
    default = model.max_output_default if model else UNKNOWN_MAX_TOKENS
    upper = model.max_output_upper if model else UNKNOWN_MAX_TOKENS_UPPER
    if asked:
        return min(asked, upper), E.MAX_OUTPUT_TOKENS
    return default, "model default"


def context(r: Resolved, ctx: Ctx) -> tuple[int, tuple[str, ...], str]:
    """The reported context window, the context-1m beta if sent, and why.

    - ``CLAUDE_CODE_DISABLE_1M_CONTEXT``: 200k and no beta, even for natively-1M models.
    - Natively-1M models: 1M, no beta (the ``[1m]`` suffix is dropped).
    - ``[1m]`` on a beta-1M model or an id nobody knows: 1M plus the beta.
    - Otherwise the model's window; an unknown id is reported as 1M.
    """
    m = r.window_model
    beta = ctx.reg.beta_context_1m
    if ctx.disable_1m:
        return TWO_HUNDRED_K, (), E.DISABLE_1M_CONTEXT
    if m is not None and m.native_1m:
        return m.context_window, (), "model (native 1M)"
    if r.one_m and (m is None or m.beta_1m):
        snap = ctx.snap
        ok, why = one_m_access(snap.subscription, snap.account.extra_usage, ctx.env)
        if not ok:  # seed lesson 5: subscribers need extra usage; unknown tier fails closed
            return (m.context_window if m else TWO_HUNDRED_K), (), f"[1m] not available: {why}"
        return ONE_M, (beta,), "[1m] suffix"
    if m is None and r.overridden_from is not None and r.model is not None:
        # A modelOverrides target the catalog does not know reports the window of the model it
        # overrides (CHANGES.md's 200k was such a model's window). Measured on 2.1.328 and
        # 2.1.332: opus-5-5 or sonnet-5-5 -> an unknown id reports 1M, default path or
        # --model (tests/observed/*/mo_fp_unknown_target*); a Bedrock ARN for sonnet-4-5
        # reports 200k (mo_bd_sonnet_arn).
        window = r.model.context_window
        return window, (), f"modelOverrides target unknown: {r.overridden_from}'s window"
    if m is None:
        return ONE_M, (), "unknown model (assumed 1M)"
    return m.context_window, (), "model"


def thinking(model: Model | None, tokens: int, ctx: Ctx) -> tuple[Thinking | None, str]:
    """The ``thinking`` field: none with CLAUDE_CODE_DISABLE_THINKING; adaptive where the model
    supports it (MAX_THINKING_TOKENS and alwaysThinkingEnabled are ignored there); else a
    budget of max_tokens - 1, ``MAX_THINKING_TOKENS`` (capped below max_tokens), or disabled
    by ``MAX_THINKING_TOKENS=0`` / ``alwaysThinkingEnabled: false``."""
    return _thinking(model, tokens, ctx, _knobs(ctx))


_ADAPTIVE = Thinking("adaptive")
_DISABLED = Thinking("disabled")


def _thinking(
    model: Model | None, tokens: int, ctx: Ctx, knobs: _Knobs
) -> tuple[Thinking | None, str]:
    if knobs[1]:
        return None, E.DISABLE_THINKING
    kind = model.thinking if model else ("adaptive" if ctx.first_party_like else "budget")
    if kind == "none":
        return None, "model has no extended thinking"
    if kind == "adaptive":
        return _ADAPTIVE, "model (adaptive)"
    budget = knobs[2]
    if budget == 0:
        return _DISABLED, E.MAX_THINKING_TOKENS
    always = ctx.snap.settings.get("alwaysThinkingEnabled")
    if always is not None and always.value is False:
        return _DISABLED, f"alwaysThinkingEnabled ({always.origin})"
    if budget:
        return Thinking("enabled", min(budget, tokens - 1)), E.MAX_THINKING_TOKENS
    return Thinking("enabled", tokens - 1), "max_tokens - 1"


__all__ = [
    "EffortPick",
    "clamp_effort",
    "context",
    "default_effort",
    "main_effort",
    "max_tokens",
    "pick_effort",
    "side_betas",
    "thinking",
]
