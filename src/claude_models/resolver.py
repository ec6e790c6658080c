"""``resolve(snapshot)``: the whole answer, as a pure function of one frozen snapshot.

The pipeline, top to bottom: provider -> main-loop selection -> effort -> fast mode ->
request shaping -> fallbacks -> side queries -> subagent -> warnings. Nothing here reads the
environment or the disk, and nothing heavy is imported.
"""

from __future__ import annotations

from claude_models import env as E
from claude_models._record import replace
from claude_models.agents import build_request, side_query, skill, subagent
from claude_models.checks.why import with_why
from claude_models.fastmode import fast_mode
from claude_models.registry import registry
from claude_models.result import Request, Resolution
from claude_models.selection import Ctx, resolve_setting, select_main
from claude_models.shaping import main_effort
from claude_models.snapshot import Snapshot
from claude_models.warnings import Parts, collect

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


def resolve(snapshot: Snapshot) -> Resolution:
    """Everything Claude Code 2.1.328 would send for this snapshot, and why.

    A snapshot is frozen and resolution is pure, so the answer is computed once per snapshot
    and kept on it: an agent that resolves the same snapshot on every request pays ~1 us.
    """
    memo = snapshot._memo
    found = memo.get("resolve")
    if found is None:
        found = memo["resolve"] = compute(snapshot)
    result: Resolution = found
    return result


def compute(snapshot: Snapshot) -> Resolution:
    """:func:`resolve` without the per-snapshot cache (benchmarks measure both)."""
    ctx = Ctx.build(snapshot, registry())
    sel = select_main(ctx)
    r = sel.resolved
    effort = main_effort(r, ctx)
    decision = fast_mode(ctx, r, now=snapshot.now)
    fast = replace(decision.mode, detail=decision.why)
    speed, extra = ("fast", (ctx.reg.beta_fast_mode,)) if fast.state == "on" else (None, ())
    origin = sel.choice.origin
    if sel.choice.source != "availableModels":
        origin = with_why(origin, ctx, r)  # names ANTHROPIC_DEFAULT_*_MODEL or the entry
    if sel.requested is not None:
        why = "not in availableModels" if sel.why == "not_allowed" else "in managed deniedModels"
        origin = f"{sel.requested.source} '{sel.requested.setting}' replaced: {why}"
    main_req = build_request(
        ctx,
        r,
        effort,
        setting=sel.choice.setting,
        source=sel.choice.source,
        origin=origin,
        speed=speed,
        extra_betas=extra,
    )
    names, fallback_source = fallback_settings(ctx)
    fallbacks = tuple(resolve_setting(n, ctx, explicit=True).wire for n in names[:MAX_FALLBACKS])
    side = side_query(ctx, sel, main_req, side_fallback_mode(ctx))
    sub = subagent(ctx, sel, main_req)
    skill_req, skill_pick = (
        skill(ctx, sel, snapshot.flags.skill_model)
        if snapshot.flags.skill_model is not None
        else (None, None)
    )
    parts = Parts(
        main=sel,
        main_req=main_req,
        main_effort=effort,
        requested_effort=effort.requested,
        side=side,
        subagent=sub,
        fallback_count=len(names),
        fallback_names=tuple(names[:MAX_FALLBACKS]),
        fallback_wires=fallbacks,
        skill=skill_req,
        skill_replaced=skill_pick.replaced if skill_pick else None,
    )
    return Resolution(
        provider=ctx.provider,
        provider_source=ctx.provider_source,
        session=snapshot.flags.session,
        main=main_req,
        fallback_models=fallbacks,
        side=side,
        subagent=sub,
        fast_mode=fast,
        warnings=collect(ctx, parts),
        fallback_source=fallback_source,
        skill=skill_req,
    )


def resolve_skill(snapshot: Snapshot, model: str, effort: str | None = None) -> Request:
    """The request a skill whose SKILL.md says ``model: <model>`` (and optionally ``effort``)
    sends in this session: :func:`claude_models.agents.skill_model` on the resolved main loop."""
    ctx = Ctx.build(snapshot, registry())
    req, _ = skill(ctx, select_main(ctx), model, effort)
    return req


__all__ = ["compute", "resolve", "resolve_skill"]
