"""Side queries (the small/fast "haiku slot") and subagents (the ``Agent`` tool).

BEHAVIOUR.md sections 4 and 5. Both are pure functions of the resolution context and the
already-resolved main loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from claude_models import env as E
from claude_models import providers, shaping
from claude_models._record import record
from claude_models.registry import BEDROCK_GEO_PREFIXES, Model
from claude_models.result import Request, SideQuery, Subagent
from claude_models.selection import (
    Ctx,
    MainSelection,
    Resolved,
    _finish,
    is_allowed,
    is_denied,
    resolve_alias,
    resolve_setting,
    split_1m,
)

AGENT_MODEL_ENUM: Final = ("sonnet", "opus", "haiku", "fable")
BUILTIN_AGENTS: Final = ("general-purpose", "Explore", "Plan", "fork", "statusline-setup")
PLAN_PRINT_REFUSAL: Final = (
    "Agent calls are refused in print mode with --permission-mode plan "
    '("auto mode could not check some actions"); the run exits 1'
)


# -- side queries ----------------------------------------------------------------------------


def haiku_capable(ctx: Ctx) -> bool:
    """First party uses the haiku slot when there is no custom base URL or the key is a
    console key (``sk-ant-api…``) and no auth token is in play. The gateway and the
    Anthropic-on-AWS/Google-Cloud providers always do (BEHAVIOUR.md 4, 8e)."""
    if ctx.provider in ("gateway", "anthropicAws", "anthropicGoogleCloud"):
        return True
    if ctx.provider != "firstParty":
        return False
    env = ctx.env
    if not E.get(env, E.BASE_URL):
        return True
    key = E.get(env, E.API_KEY) or ""
    return (
        key.startswith("sk-ant-api")
        and not E.get(env, E.AUTH_TOKEN)
        and not E.get(env, E.OAUTH_TOKEN)
    )


@record
class SidePick:
    resolved: Resolved | None  # None: the main-loop model, as sent
    source: str


def side_pick(ctx: Ctx, main: MainSelection) -> SidePick:
    """The side-query model, chosen statically before any request. First match wins:

    1. ``ANTHROPIC_SMALL_FAST_MODEL``
    2. ``ANTHROPIC_DEFAULT_HAIKU_MODEL``, verbatim (``=haiku`` on Bedrock sends ``haiku``)
    3. haiku-capable first party (see :func:`haiku_capable`): the haiku alias
    4. Bedrock/Vertex with no explicit main model, unless only ANTHROPIC_DEFAULT_OPUS_MODEL is
       pinned: the provider's sonnet
    5. everything else: the main-loop model
    Then managed ``deniedModels`` covering the pick turns it into the main-loop model.
    """
    env = ctx.env
    pick: SidePick
    for var in (E.SMALL_FAST_MODEL, E.DEFAULT_HAIKU_MODEL):
        value = E.get(env, var)
        if value:
            wire, one_m = split_1m(value)
            pick = SidePick(
                _finish(ctx, wire, ctx.reg.find(wire), one_m, var, typed=value),
                _env_label(var, ctx.snap.env_origins),
            )
            break
    else:
        if haiku_capable(ctx):
            why = (
                "no custom ANTHROPIC_BASE_URL"
                if ctx.provider == "firstParty" and not E.get(env, E.BASE_URL)
                else ("console API key" if ctx.provider == "firstParty" else ctx.provider)
            )
            pick = SidePick(
                resolve_alias("haiku", False, ctx, explicit=False, typed="haiku"),
                f"haiku slot ({why})",
            )
        elif (
            ctx.provider in ("bedrock", "vertex")
            and not main.explicit
            and (not E.get(env, E.DEFAULT_OPUS_MODEL) or E.get(env, E.DEFAULT_SONNET_MODEL))
        ):
            pick = SidePick(
                resolve_alias("sonnet", False, ctx, explicit=False, typed="sonnet"),
                "provider sonnet (no main model chosen)",
            )
        else:
            return SidePick(None, "main-loop model")
    if pick.resolved is not None and is_denied(pick.resolved, ctx):
        return SidePick(None, "main-loop model (managed deniedModels)")
    return pick


def side_query(ctx: Ctx, main: MainSelection, main_req: Request, fallback: str) -> SideQuery:
    pick = side_pick(ctx, main)
    if pick.resolved is None:
        model = main.resolved.model
        wire = main_req.model
        region = main_req.region
    else:
        model = pick.resolved.model
        wire = pick.resolved.wire
        region, _ = providers.region(ctx.provider, pick.resolved.window_model, ctx.env, side=True)
    effort = shaping.pick_effort(
        [(_env_label(E.EFFORT_LEVEL, ctx.snap.env_origins), ctx.env.get(E.EFFORT_LEVEL))],
        model,
        ctx,
    )
    tokens = model.max_output_default if model else shaping.UNKNOWN_MAX_TOKENS
    return SideQuery(
        model=wire,
        effort=effort.value,
        source=pick.source,
        max_tokens=tokens,
        region=region,
        catalog_id=model.id if model else None,
        effort_source=effort.source,
        fallback=fallback,
    )


# -- subagents -------------------------------------------------------------------------------


def _alias_matches_parent(alias: str, parent: Resolved) -> bool:
    """The seed lesson's ``aliasMatchesParentTier``: a bare opus/sonnet/haiku alias of the
    parent's family keeps the parent's exact model."""
    a = alias.strip().lower()
    if a not in ("opus", "sonnet", "haiku"):
        return False
    canonical = parent.model.id if parent.model else parent.wire.lower()
    return a in canonical


def _is_inherit(spec: str) -> bool:
    return spec.strip().lower() == "inherit"


def _with_parent_region(wire: str, parent_wire: str, typed: str) -> str:
    """Bedrock: a subagent resolved from an alias takes the parent's geo prefix, unless its
    own spec carries one."""
    p_head, p_dot, _ = parent_wire.partition(".")
    if not p_dot or p_head not in BEDROCK_GEO_PREFIXES:
        return wire
    t_head, t_dot, _ = typed.partition(".")
    if t_dot and t_head.lower() in BEDROCK_GEO_PREFIXES:
        return wire
    return providers.with_geo(wire, p_head)


@record
class SubagentModel:
    resolved: Resolved
    source: str
    origin: str | None
    replaced: str | None = None  # a request that was not allowed or denied
    setting: str | None = None  # the spec that decided, None when the parent's model is inherited


def subagent_model(ctx: Ctx, main: MainSelection, inp: Mapping[str, Any]) -> SubagentModel | str:
    """The subagent's model, or the error Claude Code would give. First match wins:

    1. the ``fork`` agent: always the parent's model (it ignores ``model``)
    2. ``CLAUDE_CODE_SUBAGENT_MODEL`` with ``CLAUDE_CODE_SUBAGENT_MODEL_FORCE=1``
    3. the ``Agent`` call's ``model`` (enum sonnet|opus|haiku|fable)
    4. the custom agent's frontmatter ``model`` (``inherit`` inherits)
    5. ``CLAUDE_CODE_SUBAGENT_MODEL`` (``inherit`` inherits)
    6. inherit the parent's resolved main-loop model

    An alias of the parent's family keeps the parent's exact id; a model not allowed or
    denied silently inherits the parent's.
    """
    agent_type = str(inp.get("subagent_type") or "general-purpose")
    param = inp.get("model")
    if param is not None and (not isinstance(param, str) or param not in AGENT_MODEL_ENUM):
        return (
            "InputValidationError: Agent failed due to the following issue: The parameter "
            f"`model` type is expected as one of {', '.join(AGENT_MODEL_ENUM)} but provided "
            f"{param!r}"
        )
    custom = ctx.snap.agents.get(agent_type)
    if custom is None and agent_type not in BUILTIN_AGENTS:
        available = ", ".join([*BUILTIN_AGENTS, *sorted(ctx.snap.agents)])
        return f"Agent type '{agent_type}' not found. Available agents: {available}"
    parent = main.resolved
    env = ctx.env
    env_model = E.get(env, E.SUBAGENT_MODEL)
    env_origin = ctx.snap.env_origins.get(E.SUBAGENT_MODEL, E.SUBAGENT_MODEL)
    forced = env_model if E.is_truthy(env.get(E.SUBAGENT_MODEL_FORCE)) else None
    spec: str | None
    source: str
    origin: str | None = None
    if agent_type == "fork":
        spec, source = None, "fork (inherits)"
    elif forced:
        # FORCE with ``inherit`` pins every subagent to the parent (docs/decisions).
        spec = None if _is_inherit(forced) else forced
        source, origin = f"{E.SUBAGENT_MODEL} (forced)", env_origin
    elif param:
        spec, source = param, "Agent model"
    elif custom is not None and custom.model and not _is_inherit(custom.model):
        spec, source, origin = custom.model.strip(), "agent frontmatter", custom.path
    elif custom is not None and custom.model:
        spec, source, origin = None, "agent frontmatter (inherit)", custom.path
    elif env_model and not _is_inherit(env_model):
        spec, source, origin = env_model, E.SUBAGENT_MODEL, env_origin
    else:
        spec, source = None, "inherit"
    if spec is None:
        return SubagentModel(parent, source, origin)
    if _alias_matches_parent(spec, parent):
        return SubagentModel(parent, f"{source} (parent's {spec} kept)", origin, setting=spec)
    r = resolve_setting(spec, ctx, explicit=True)
    if ctx.provider == "bedrock":
        wire = _with_parent_region(r.wire, parent.wire, spec)
        if wire != r.wire:
            r = Resolved(wire, r.model, r.window_model, r.one_m, r.via, r.typed, r.overridden_from)
    if not is_allowed(r, ctx) or is_denied(r, ctx):
        return SubagentModel(parent, "inherit (requested model not allowed)", origin, replaced=spec)
    return SubagentModel(r, source, origin, setting=spec)


def subagent(ctx: Ctx, main: MainSelection, main_req: Request) -> Subagent | None:
    inp = ctx.snap.agent
    if inp is None:
        return None
    agent_type = str(inp.get("subagent_type") or "general-purpose")
    if ctx.plan and ctx.snap.flags.print_mode:
        return Subagent(None, agent_type, PLAN_PRINT_REFUSAL)
    picked = subagent_model(ctx, main, inp)
    if isinstance(picked, str):
        return Subagent(None, agent_type, picked)
    r = picked.resolved
    effort = subagent_effort(ctx, r, inp)
    return Subagent(
        build_request(
            ctx, r, effort, setting=picked.setting, source=picked.source, origin=picked.origin
        ),
        agent_type,
        replaced=picked.replaced,
    )


def subagent_effort(ctx: Ctx, r: Resolved, inp: Mapping[str, Any]) -> shaping.EffortPick:
    """The subagent's effort. First valid level wins (garbage and empty values are skipped):

    1. ``CLAUDE_CODE_EFFORT_LEVEL``
    2. the ``Agent`` call's ``effort``
    3. the custom agent's frontmatter ``effort``
    4. ``CLAUDE_CODE_SUBAGENT_EFFORT``
    5. the subagent model's own default (not the parent's effort)
    """
    custom = ctx.snap.agents.get(str(inp.get("subagent_type") or "general-purpose"))
    origins = ctx.snap.env_origins
    return shaping.pick_effort(
        [
            (_env_label(E.EFFORT_LEVEL, origins), ctx.env.get(E.EFFORT_LEVEL)),
            ("Agent effort", inp.get("effort")),
            (
                f"agent frontmatter effort ({custom.path})" if custom else "agent frontmatter",
                custom.effort if custom else None,
            ),
            (_env_label(E.SUBAGENT_EFFORT, origins), ctx.env.get(E.SUBAGENT_EFFORT)),
        ],
        r.model,
        ctx,
    )


def _env_label(var: str, origins: Mapping[str, str]) -> str:
    """A variable's name, and the settings file whose ``env`` block set it, if one did."""
    where = origins.get(var)
    return f"{var} ({where})" if where else var


def build_request(
    ctx: Ctx,
    r: Resolved,
    effort: shaping.EffortPick,
    *,
    setting: str | None,
    source: str,
    origin: str | None,
    speed: str | None = None,
    extra_betas: tuple[str, ...] = (),
) -> Request:
    """The request for a resolved model: the one place main loop and subagents are shaped."""
    tokens, tokens_src = shaping.max_tokens(r.model, ctx.env)
    window, betas, ctx_src = shaping.context(r, ctx)
    think, think_src = shaping.thinking(r.model, tokens, ctx)
    region, region_src = providers.region(ctx.provider, r.window_model, ctx.env)
    return Request(
        model=r.wire,
        setting=setting,
        source=source,
        max_tokens=tokens,
        effort=effort.value,
        thinking=think,
        context_window=window,
        betas=betas + extra_betas,
        speed=speed,
        region=region,
        catalog_id=_catalog_id(r.model),
        origin=origin,
        effort_source=effort.source,
        max_tokens_source=tokens_src,
        thinking_source=think_src,
        context_source=ctx_src,
        region_source=region_src or ("built-in default" if region else None),
    )


def _catalog_id(model: Model | None) -> str | None:
    return model.id if model else None


# -- skills ----------------------------------------------------------------------------------


def supports_1m(model: Model | None, ctx: Ctx) -> bool:
    """Whether a model can run with a 1M window here: natively, or through the context-1m beta.
    An id nobody knows is not assumed to (the seed lesson's ``modelSupports1M``)."""
    if ctx.disable_1m or model is None:
        return False
    return model.native_1m or model.beta_1m


@record
class SkillModel:
    resolved: Resolved
    source: str
    carried_1m: bool  # the session's [1m] was carried onto the skill's model
    replaced: str | None = None  # a skill model not allowed or denied; the session's ran


def skill_model(ctx: Ctx, main: MainSelection, setting: str) -> SkillModel:
    """The model a skill with ``model: <setting>`` in its SKILL.md frontmatter runs on.

    The seed lesson's ``resolveSkillModelOverride`` (section 4):

    1. ``inherit`` or an empty value: the session's main-loop model, as it runs.
    2. The setting resolves like ``--model`` (aliases, ids, provider spelling).
    3. When the session runs with ``[1m]`` and the setting has no suffix of its own, ``[1m]``
       is carried onto the skill's model only if that model supports 1M (natively or by the
       beta); ``model: haiku`` on a provider whose haiku has no 1M drops it.
    4. A model that ``availableModels`` or managed ``deniedModels`` exclude runs the session's
       model instead, as subagents do (docs/decisions/side-subagents.md).
    """
    parent = main.resolved
    if not setting.strip() or _is_inherit(setting):
        return SkillModel(parent, "skill model (inherit)", False)
    base, own_1m = split_1m(setting)
    r = resolve_setting(setting, ctx, explicit=True)
    carried = False
    if parent.one_m and not own_1m and supports_1m(r.window_model, ctx):
        r = Resolved(r.wire, r.model, r.window_model, True, r.via, r.typed, r.overridden_from)
        carried = True
    if not is_allowed(r, ctx) or is_denied(r, ctx):
        return SkillModel(parent, "skill model (not allowed: session model)", False, base)
    source = "skill model" + (" (session's [1m] carried)" if carried else "")
    return SkillModel(r, source, carried)


def skill(
    ctx: Ctx, main: MainSelection, setting: str, effort: str | None = None
) -> tuple[Request, SkillModel]:
    """The request a skill's turn sends (:func:`skill_model`, shaped like the main loop), and
    the pick behind it.

    Effort: ``CLAUDE_CODE_EFFORT_LEVEL``, then the skill's own ``effort`` (frontmatter), then
    the session's effort chain (``--effort``, settings, ``modelSettings``) on the skill's model.
    """
    picked = skill_model(ctx, main, setting)
    r = picked.resolved
    chosen = None
    if effort is not None:
        chosen = shaping.pick_effort(
            [
                (_env_label(E.EFFORT_LEVEL, ctx.snap.env_origins), ctx.env.get(E.EFFORT_LEVEL)),
                ("skill effort", effort),
            ],
            r.model,
            ctx,
        )
    if chosen is None or chosen.source == "model default":
        chosen = shaping.main_effort(r, ctx)
    req = build_request(
        ctx,
        r,
        chosen,
        setting=setting.strip() or None,
        source=picked.source,
        origin="SKILL.md model",
    )
    return req, picked
