"""Fast mode: its state and the reason it is not on (BEHAVIOUR.md 8, seed lesson section 7).

:func:`fast_mode` checks, first failing check wins:

1. ``CLAUDE_CODE_DISABLE_FAST_MODE`` -> ``disabled_by_env``
2. the provider: Bedrock, Foundry, Mantle, Anthropic on AWS / Google Cloud -> ``not_first_party``;
   Vertex outside the global, us or eu locations -> ``disabled_by_env``
3. ``availableModels`` or managed ``deniedModels`` excluding the fast-mode model (Opus 5.5)
   -> ``model_not_allowed``, even when the main loop runs another model
4. subscription: a subscriber of unknown tier -> ``paid_subscription_required`` (fail closed)
5. the opt-in: in print mode only flag settings ``fastMode: true``; interactive sessions also
   take ``/fast`` (session) and any settings scope -> ``sdk_opt_in_required``
6. a cooldown still running -> state ``cooldown``, reason ``cooldown``
7. the main-loop model supports fast mode -> ``on``; otherwise ``off`` with no reason
"""

from __future__ import annotations

from claude_models import env as E
from claude_models import providers
from claude_models._record import record
from claude_models.result import FastMode
from claude_models.selection import Ctx, Resolved, is_allowed, is_denied, resolve_setting
from claude_models.settings.scopes import Scope

VERTEX_FAST_LOCATIONS = ("global", "us", "eu")


@record
class FastDecision:
    mode: FastMode
    why: str  # a sentence for explain


def fast_mode(ctx: Ctx, main: Resolved, *, now: float | None = None) -> FastDecision:
    env = ctx.env
    if E.is_truthy(env.get(E.DISABLE_FAST_MODE)):
        return FastDecision(FastMode("off", "disabled_by_env"), f"{E.DISABLE_FAST_MODE} is set")
    if ctx.provider not in providers.ACTS_AS_FIRST_PARTY and ctx.provider != "vertex":
        return FastDecision(
            FastMode("off", "not_first_party"),
            f"fast mode is first-party only; this session uses {ctx.provider}",
        )
    fast_model = ctx.reg.get(ctx.reg.fast_mode_model)
    if ctx.provider == "vertex":
        loc, _ = providers.region("vertex", fast_model, env)
        if (loc or "").lower() not in VERTEX_FAST_LOCATIONS:
            return FastDecision(
                FastMode("off", "disabled_by_env"),
                f"Vertex location {loc} has no fast mode (needs global, us or eu)",
            )
    fm = resolve_setting(fast_model.id, ctx, explicit=False)
    if not is_allowed(fm, ctx) or is_denied(fm, ctx):
        return FastDecision(
            FastMode("off", "model_not_allowed"),
            f"{fast_model.display_name}, the fast-mode model, is not allowed here",
        )
    if ctx.snap.subscription == "unknown":
        return FastDecision(
            FastMode("off", "paid_subscription_required"),
            "subscription tier unknown: fast mode fails closed",
        )
    opted = _opted_in(ctx)
    if opted is None:
        where = (
            "only --settings '{\"fastMode\": true}' opts in to fast mode in print mode"
            if ctx.snap.flags.print_mode
            else "fast mode was not turned on (/fast)"
        )
        return FastDecision(FastMode("off", "sdk_opt_in_required"), where)
    until = ctx.snap.session.fast_cooldown_until
    if until is not None and now is not None and now < until:
        return FastDecision(FastMode("cooldown", "cooldown"), "fast mode is cooling down")
    model = main.model
    cap = "vertex_fast_mode" if ctx.provider == "vertex" else "fast_mode"
    if model is not None and model.supports(cap):
        return FastDecision(
            FastMode("on", None), f"{model.display_name} runs in fast mode (fastMode: {opted})"
        )
    name = model.display_name if model else main.wire
    return FastDecision(
        FastMode("off", None), f"opted in ({opted}), but {name} does not support fast mode"
    )


def _opted_in(ctx: Ctx) -> str | None:
    """Where fast mode was turned on, or ``None`` when it was not."""
    snap = ctx.snap
    if snap.flags.print_mode:
        s = snap.settings.get("fastMode", scopes=frozenset({Scope.FLAG}))
        return s.origin if s and s.value is True else None
    if snap.session.fast_mode is not None:
        return "/fast (session)" if snap.session.fast_mode else None
    s = snap.settings.get("fastMode")
    return s.origin if s and s.value is True else None
