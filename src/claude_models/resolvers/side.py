"""The side-query ("haiku slot") model: hook evaluation, WebFetch summaries, titles
(BEHAVIOUR.md 4). A pure function of the context and the resolved main loop."""

from __future__ import annotations

from claude_models import env as E
from claude_models import providers
from claude_models._record import record
from claude_models.decision import BUILTIN, Decision, Origin
from claude_models.resolvers.context import Ctx, env_label
from claude_models.resolvers.effort import EffortPick, pick_effort
from claude_models.resolvers.main import MainSelection
from claude_models.resolvers.policy import is_denied
from claude_models.resolvers.setting import (
    Resolved,
    finish_resolved,
    resolve_alias,
    split_1m,
)
from claude_models.result import Request, SideQuery
from claude_models.shaping import UNKNOWN_MAX_TOKENS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from claude_models.kinds import SideStep
    from claude_models.registry import Model


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
    source: str  # the resolve --json ``source`` string, derived from the step
    step: SideStep = "main_loop"
    where: Origin = BUILTIN

    @property
    def decision(self) -> Decision[SideStep]:
        value = self.resolved.typed if self.resolved is not None else None
        return Decision(value, self.step, self.where)


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
    env_steps: tuple[tuple[str, SideStep], ...] = (
        (E.SMALL_FAST_MODEL, "small_fast_env"),
        (E.DEFAULT_HAIKU_MODEL, "haiku_env"),
    )
    for var, step in env_steps:
        value = E.get(env, var)
        if value:
            wire, one_m = split_1m(value)
            pick = SidePick(
                finish_resolved(ctx, wire, ctx.reg.find(wire), one_m, var, typed=value),
                env_label(var, ctx.snap.env_origins),
                step,
                Origin("env", var, ctx.snap.env_origins.get(var)),
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
                "haiku_slot",
            )
        elif (
            ctx.provider in ("bedrock", "vertex")
            and not main.explicit
            and (not E.get(env, E.DEFAULT_OPUS_MODEL) or E.get(env, E.DEFAULT_SONNET_MODEL))
        ):
            pick = SidePick(
                resolve_alias("sonnet", False, ctx, explicit=False, typed="sonnet"),
                "provider sonnet (no main model chosen)",
                "provider_sonnet",
            )
        else:
            return SidePick(None, "main-loop model")
    if pick.resolved is not None and is_denied(pick.resolved, ctx):
        return SidePick(
            None,
            "main-loop model (managed deniedModels)",
            "denied",
            Origin("settings", "deniedModels", scope="managed"),
        )
    return pick


def side_effort(ctx: Ctx, model: Model | None) -> EffortPick:
    """A side query's effort on ``model``: ``CLAUDE_CODE_EFFORT_LEVEL``, else the model's
    default (settings ``effortLevel`` is the main loop's)."""
    return pick_effort(
        [("env", env_label(E.EFFORT_LEVEL, ctx.snap.env_origins), ctx.env.get(E.EFFORT_LEVEL))],
        model,
        ctx,
    )


def side_query(
    ctx: Ctx, main: MainSelection, main_req: Request, fallback: str
) -> tuple[SideQuery, Decision[SideStep]]:
    """The side query as sent, and the chain's decision."""
    fields, decision = side_fields(ctx, main, main_req, fallback)
    return SideQuery(*fields), decision


#: :class:`SideQuery`'s first fields (model, effort, source, max_tokens, region, catalog_id,
#: effort_source, fallback): what the chain decides, before the release's step-downs
SideFields = tuple[str, str | None, str, int, str | None, str | None, str | None, str]


def side_fields(
    ctx: Ctx, main: MainSelection, main_req: Request, fallback: str
) -> tuple[SideFields, Decision[SideStep]]:
    """:func:`side_query` as field values (the resolver adds the step-downs and builds the
    query once)."""
    pick = side_pick(ctx, main)
    if pick.resolved is None:
        model = main.resolved.model
        wire = main_req.model
        region = main_req.region
    else:
        model = pick.resolved.model
        wire = pick.resolved.wire
        region, _ = providers.region(ctx.provider, pick.resolved.window_model, ctx.env, side=True)
    effort = side_effort(ctx, model)
    tokens = model.max_output_default if model else UNKNOWN_MAX_TOKENS
    source = pick.source
    skipped = (pick.resolved or main.resolved).override_skipped
    if skipped is not None:
        source = f"{source}; {skipped.note}"
    fields: SideFields = (
        wire,
        effort.value,
        source,
        tokens,
        region,
        model.id if model else None,
        effort.source,
        fallback,
    )
    return fields, pick.decision
