"""``resolve(snapshot)``: the whole answer, as a pure function of one frozen snapshot.

The pipeline, top to bottom: provider -> main-loop selection -> effort -> fast mode ->
request shaping -> fallbacks -> side queries -> subagent -> warnings. Nothing here reads the
environment or the disk, and nothing heavy is imported.
"""

from __future__ import annotations

from functools import lru_cache

from claude_models import stepdown
from claude_models._record import deferred, replace
from claude_models.checks.why import with_why
from claude_models.decision import Decision, Decisions
from claude_models.diagnostics.collect import Parts, collect
from claude_models.registry import registry_of
from claude_models.releases import ClaudeCode, claude_code_of, unmeasured_message, unmeasured_set
from claude_models.resolvers.context import Ctx, context_of, provider_decision, tier_decision
from claude_models.resolvers.effort import main_effort
from claude_models.resolvers.fallbacks import (
    MAX_FALLBACKS,
    allowed_fallbacks,
    fallback_requests,
    fallback_settings,
    side_fallback_mode,
)
from claude_models.resolvers.fastmode import fast_mode
from claude_models.resolvers.main import MainSelection, select_main
from claude_models.resolvers.side import SideFields, side_fields
from claude_models.resolvers.skill import skill
from claude_models.resolvers.subagent import subagent
from claude_models.result import FastMode, Request, Resolution, SideQuery, Warning
from claude_models.shaping import build_request, side_betas
from claude_models.snapshot import Snapshot


def resolve(snapshot: Snapshot) -> Resolution:
    """Everything Claude Code (the snapshot's ``claude_version``) would send, and why.

    A snapshot is frozen and resolution is pure, so the answer is computed once per snapshot
    and kept on it: an agent that resolves the same snapshot on every request pays ~1 us.
    """
    memo = snapshot._memo
    found = memo.get("resolve")
    if found is None:
        found = memo["resolve"] = compute(snapshot, context_of(snapshot))
    result: Resolution = found
    return result


def compute(snapshot: Snapshot, ctx: Ctx | None = None) -> Resolution:
    """:func:`resolve` without the per-snapshot cache (benchmarks measure both). ``ctx``: the
    snapshot's derived context when the caller has it (:func:`resolve` shares it with the
    actions, picker, migrations and probe through ``context_of``)."""
    if ctx is None:
        ctx = Ctx.build(snapshot, registry_of(snapshot))
    sel = select_main(ctx)
    r = sel.resolved
    effort = main_effort(r, ctx)
    fast_decision = fast_mode(ctx, r, now=snapshot.now)
    mode = fast_decision.mode
    fast = FastMode(mode.state, mode.reason, fast_decision.why)
    speed, extra = ("fast", (ctx.reg.beta_fast_mode,)) if fast.state == "on" else (None, ())
    main_decision = sel.decision
    origin = sel.choice.origin
    if sel.choice.source != "availableModels":
        origin = with_why(origin, ctx, r)  # names ANTHROPIC_DEFAULT_*_MODEL or the entry
    if sel.requested is not None:
        # sel.why, not the final step: an enforced list then re-points the default
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
    given, fallback_source = fallback_settings(ctx)
    names, fallback_dropped = allowed_fallbacks(ctx, given)
    fallback_reqs = fallback_requests(ctx, names[:MAX_FALLBACKS], fallback_source)
    fallbacks = tuple(f.model for f in fallback_reqs)
    side_sel, side_main = outside_plan(ctx, sel, main_req)
    side_values, side_decision = side_fields(ctx, side_sel, side_main, side_fallback_mode(ctx))
    side = release_side(ctx, side_values, side_main)
    sub, sub_decision = subagent(ctx, sel, main_req)
    skill_req, skill_pick = (
        skill(ctx, sel, snapshot.flags.skill_model)
        if snapshot.flags.skill_model is not None
        else (None, None)
    )
    decisions = Decisions(  # positional, in field order (as below: on every resolution)
        main_decision,
        effort.decision,
        side_decision,
        sub_decision,
        provider_decision(ctx),
        tier_decision(ctx),
        Decision(fast.state, fast_decision.step),
    )
    claude_code = snapshot.claude_code or _claude_code(snapshot.claude_version)
    derived = ctx

    def read_warnings() -> tuple[Warning, ...]:
        """The diagnostics, on the first read of ``warnings`` (what they read, built then)."""
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
            fallback_dropped=fallback_dropped,
            skill=skill_req,
            skill_replaced=skill_pick.replaced if skill_pick else None,
            decisions=decisions,
        )
        return warnings(derived, parts, claude_code)

    return Resolution(
        ctx.provider,
        ctx.provider_source,
        snapshot.flags.session,
        main_req,
        fallbacks,
        side,
        sub,
        fast,
        deferred(read_warnings),  # warnings, on first read
        fallback_source,
        skill_req,
        fallback_reqs,
        decisions,
        stepdown.main_stepdown(ctx, sel, configured=bool(names)),
        claude_code,
        deferred(lambda: stepdown.refusal_fallback(derived, main_req, r.model)),  # on first read
    )


@lru_cache(maxsize=16)
def _claude_code(version: str) -> ClaudeCode:
    """``claude_code_of(version, None)``: a frozen value of one small value, one per release."""
    return claude_code_of(version, None)


def warnings(ctx: Ctx, parts: Parts, claude_code: ClaudeCode) -> tuple[Warning, ...]:
    """The resolution's warnings: the diagnostics, then the notes on the modelled release."""
    version = ctx.snap.claude_version
    release_notes = tuple(Warning("claude_code_release", n) for n in claude_code.notes)
    release_notes += tuple(
        Warning("unmeasured_variable", unmeasured_message(var, version))
        for var in unmeasured_set(ctx.env, version)
    )
    return collect(ctx, parts) + release_notes


def outside_plan(ctx: Ctx, sel: MainSelection, main_req: Request) -> tuple[MainSelection, Request]:
    """The main-loop model as resolved outside plan mode: the one side queries use, and retry
    on (CHANGES.md, every release: opusplan in plan mode runs opus, its side queries the
    sonnet half)."""
    if not ctx.plan:
        return sel, main_req
    out_ctx = replace(ctx, plan=False)
    out = select_main(out_ctx)
    req = build_request(
        out_ctx,
        out.resolved,
        main_effort(out.resolved, out_ctx),
        setting=out.choice.setting,
        source=out.choice.source,
        origin=out.choice.origin,
    )
    return out, req


def release_side(ctx: Ctx, side: SideFields, main_req: Request) -> SideQuery:
    """The side query (``side``: its chain's fields, :func:`side_fields`) with what the
    modelled release does when it is refused (stepdown); ``main_req``: the main request outside
    plan mode, the one side queries retry on. Built once, step-downs included."""
    wire, catalog_id = side[0], side[5]
    model = ctx.reg.by_id.get(catalog_id or "")
    on_main = stepdown.side_on_main(main_req)
    retry = stepdown.side_retry(ctx, wire, model, main_req, on_main=on_main)
    return SideQuery(
        *side,
        retry,
        stepdown.webfetch_stepdown(ctx, model),
        retry.models == (main_req.model,) and wire != main_req.model,
        on_main,
        side_betas(ctx),
    )


def resolve_skill(snapshot: Snapshot, model: str, effort: str | None = None) -> Request:
    """The request a skill whose SKILL.md says ``model: <model>`` (and optionally ``effort``)
    sends in this session: :func:`claude_models.resolvers.skill.skill_model` on the resolved
    main loop."""
    ctx = context_of(snapshot)
    req, _ = skill(ctx, select_main(ctx), model, effort)
    return req


__all__ = ["compute", "resolve", "resolve_skill"]
