"""Subagents (the ``Agent`` tool): the model chain and the effort chain (BEHAVIOUR.md 5).
A pure function of the context and the resolved main loop."""

from __future__ import annotations

from collections.abc import Mapping

from claude_models import env as E
from claude_models import providers
from claude_models._record import record, replace
from claude_models.decision import BUILTIN, Decision, Origin
from claude_models.registry import BEDROCK_GEO_PREFIXES
from claude_models.resolvers.context import Ctx, env_label
from claude_models.resolvers.effort import EffortPick, pick_effort
from claude_models.resolvers.main import MainSelection
from claude_models.resolvers.policy import is_allowed, is_denied
from claude_models.resolvers.setting import (
    Resolved,
    is_inherit,
    resolve_setting,
)
from claude_models.result import Request, Subagent
from claude_models.shaping import build_request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

    from claude_models.kinds import SubagentStep

AGENT_MODEL_ENUM: Final = ("sonnet", "opus", "haiku", "fable")


BUILTIN_AGENTS: Final = ("general-purpose", "Explore", "Plan", "fork", "statusline-setup")


PLAN_PRINT_REFUSAL: Final = (
    "Agent calls are refused in print mode with --permission-mode plan "
    '("auto mode could not check some actions"); the run exits 1'
)


def _alias_matches_parent(alias: str, parent: Resolved) -> bool:
    """The seed lesson's ``aliasMatchesParentTier``: a bare opus/sonnet/haiku alias of the
    parent's family keeps the parent's exact model."""
    a = alias.strip().lower()
    if a not in ("opus", "sonnet", "haiku"):
        return False
    canonical = parent.model.id if parent.model else parent.wire.lower()
    return a in canonical


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
    step: SubagentStep = "inherit"
    where: Origin = BUILTIN

    @property
    def decision(self) -> Decision[SubagentStep]:
        return Decision(self.setting or self.resolved.typed, self.step, self.where)


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
    forced = env_model if env_model and E.is_truthy(env.get(E.SUBAGENT_MODEL_FORCE)) else None
    spec: str | None
    source: str
    origin: str | None = None
    step: SubagentStep
    where = BUILTIN
    if agent_type == "fork":
        spec, source, step = None, "fork (inherits)", "fork"
    elif forced:
        # FORCE with ``inherit`` pins every subagent to the parent (docs/decisions).
        spec = None if is_inherit(forced) else forced
        source, origin, step, where = (
            f"{E.SUBAGENT_MODEL} (forced)",
            ctx.snap.env_origins.get(E.SUBAGENT_MODEL, E.SUBAGENT_MODEL),
            "forced_env",
            Origin("env", E.SUBAGENT_MODEL, ctx.snap.env_origins.get(E.SUBAGENT_MODEL)),
        )
    elif param:
        spec, source, step, where = (
            param,
            "Agent model",
            "agent_input",
            Origin("agent_input", "model"),
        )
    elif custom is not None and custom.model and not is_inherit(custom.model):
        spec, source, origin = custom.model.strip(), "agent frontmatter", custom.path
        step, where = "frontmatter", Origin("agent_file", "model", custom.path, custom.scope)
    elif custom is not None and custom.model:
        spec, source, origin = None, "agent frontmatter (inherit)", custom.path
        step, where = (
            "frontmatter_inherit",
            Origin("agent_file", "model", custom.path, custom.scope),
        )
    elif env_model and not is_inherit(env_model):
        spec, source, origin, step, where = (
            env_model,
            E.SUBAGENT_MODEL,
            ctx.snap.env_origins.get(E.SUBAGENT_MODEL, E.SUBAGENT_MODEL),
            "env",
            Origin("env", E.SUBAGENT_MODEL, ctx.snap.env_origins.get(E.SUBAGENT_MODEL)),
        )
    else:
        spec, source, step = None, "inherit", "inherit"
    if spec is None:
        return SubagentModel(parent, source, origin, step=step, where=where)
    if _alias_matches_parent(spec, parent):
        return SubagentModel(
            parent,
            f"{source} (parent's {spec} kept)",
            origin,
            setting=spec,
            step="parent_kept",
            where=where,
        )
    r = resolve_setting(spec, ctx, explicit=True)
    if ctx.provider == "bedrock":
        wire = _with_parent_region(r.wire, parent.wire, spec)
        if wire != r.wire:
            r = replace(r, wire=wire)
    if not is_allowed(r, ctx) or is_denied(r, ctx):
        return SubagentModel(
            parent,
            "inherit (requested model not allowed)",
            origin,
            replaced=spec,
            step="replaced_not_allowed",
            where=where,
        )
    return SubagentModel(r, source, origin, setting=spec, step=step, where=where)


def subagent(
    ctx: Ctx, main: MainSelection, main_req: Request
) -> tuple[Subagent | None, Decision[SubagentStep] | None]:
    """The subagent of the snapshot's ``Agent`` call (``None`` without one), and the model
    chain's decision (``None`` when the call is rejected)."""
    inp = ctx.snap.agent
    if inp is None:
        return None, None
    agent_type = str(inp.get("subagent_type") or "general-purpose")
    if ctx.plan and ctx.snap.flags.print_mode:
        return Subagent(None, agent_type, PLAN_PRINT_REFUSAL), None
    picked = subagent_model(ctx, main, inp)
    if isinstance(picked, str):
        return Subagent(None, agent_type, picked), None
    r = picked.resolved
    effort = subagent_effort(ctx, r, inp)
    req = build_request(
        ctx, r, effort, setting=picked.setting, source=picked.source, origin=picked.origin
    )
    return Subagent(req, agent_type, replaced=picked.replaced), picked.decision


def subagent_effort(ctx: Ctx, r: Resolved, inp: Mapping[str, Any]) -> EffortPick:
    """The subagent's effort. First valid level wins (garbage and empty values are skipped):

    1. ``CLAUDE_CODE_EFFORT_LEVEL``
    2. the ``Agent`` call's ``effort``
    3. the custom agent's frontmatter ``effort``
    4. ``CLAUDE_CODE_SUBAGENT_EFFORT``
    5. the subagent model's own default (not the parent's effort)
    """
    custom = ctx.snap.agents.get(str(inp.get("subagent_type") or "general-purpose"))
    origins = ctx.snap.env_origins
    return pick_effort(
        [
            ("env", env_label(E.EFFORT_LEVEL, origins), ctx.env.get(E.EFFORT_LEVEL)),
            ("agent_input", "Agent effort", inp.get("effort")),
            (
                "frontmatter",
                f"agent frontmatter effort ({custom.path})" if custom else "agent frontmatter",
                custom.effort if custom else None,
            ),
            ("subagent_env", env_label(E.SUBAGENT_EFFORT, origins), ctx.env.get(E.SUBAGENT_EFFORT)),
        ],
        r.model,
        ctx,
    )
