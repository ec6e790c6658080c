"""Fallback models: ``--fallback-model a,b`` or settings ``fallbackModel`` (at most three
tried), and the side-query fallback mode of this project's live client (BEHAVIOUR.md 7)."""

from __future__ import annotations

from collections.abc import Sequence

from claude_models import env as E
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.effort import main_effort
from claude_models.resolvers.setting import resolve_setting
from claude_models.result import Request
from claude_models.shaping import build_request

MAX_FALLBACKS = 3


def fallback_settings(ctx: Ctx) -> tuple[list[str], str | None]:
    """``--fallback-model a,b`` or settings ``fallbackModel`` (a list), in order."""
    flag = ctx.snap.flags.fallback_model
    if flag and flag.strip():
        return [p.strip() for p in flag.split(",") if p.strip()], "--fallback-model"
    s = ctx.snap.settings.get("fallbackModel")
    if s is not None:
        return [v.strip() for v in s.value if v.strip()], s.origin
    return [], None


def side_fallback_mode(ctx: Ctx) -> str:
    """Claude Code never retries a refused side query on another model ("off"). The opt-in
    ``CLAUDE_MODELS_SIDE_QUERY_FALLBACK=main-model`` makes this project's live client retry it
    once on the main-loop model (docs/DECISIONS.md)."""
    v = (E.get(ctx.env, E.SIDE_QUERY_FALLBACK) or "").lower()
    return "main-model" if v in ("main-model", "main", "1", "true", "on") else "off"


def fallback_requests(ctx: Ctx, names: Sequence[str], source: str | None) -> tuple[Request, ...]:
    """Each fallback model as the full request it would send: resolved like ``--model`` and
    shaped by the main loop's own code (effort chain and clamping, thinking with
    ``MAX_THINKING_TOKENS``, max_tokens, context window and betas, region). Fast mode's speed
    and beta belong to the main choice and are not carried."""
    out = []
    for name in names:
        r = resolve_setting(name, ctx, explicit=True)
        out.append(
            build_request(
                ctx,
                r,
                main_effort(r, ctx),
                setting=name,
                source="fallback",
                origin=source,
            )
        )
    return tuple(out)
