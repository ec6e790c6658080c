"""What Claude Code does, per release, when a model is refused: the static view of the rules.

The live clients (``claude_models.live``) act on refusals; this module says, from the snapshot
alone, what they will do, so ``resolve --json`` and ``explain`` can show it:

- :func:`main_stepdown`: the models a refused main-loop model walks on its own (rule
  ``auto_3p_main_stepdown``, 2.1.332+: Bedrock, Vertex, Foundry; no configured fallback; not a
  full provider id; not with ``CLAUDE_CODE_NO_MODEL_FALLBACK`` /
  ``CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK``). Each step is a request with the step model's
  own defaults.
- :func:`side_retry`: the models a refused hook side query tries (rule
  ``hook_side_query_retry_on_main``, 2.1.330+): the main-loop model, or, when the side model is
  the main-loop model, its step-down.
- :func:`webfetch_stepdown`: the WebFetch summariser's walk on Vertex (rule
  ``webfetch_vertex_stepdown``, 2.1.330+).
- :func:`refusal_fallback`: after a reply the safety classifier refused (a 200 with
  ``stop_reason: "refusal"``, not an HTTP refusal): one retry on the same model, then the model
  of :data:`REFUSAL_ROUTES` for the refusal's category. The same in every modelled release
  (2.1.328-2.1.332 carry the same table; docs/decisions/measure.md), so no rule gates it.

Which rule is in force comes from :func:`claude_models.releases.rules_for`; nothing here
compares versions.
"""

from __future__ import annotations

from claude_models import env as E
from claude_models import providers
from claude_models.registry import Model
from claude_models.releases import rules_for
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.effort import EffortPick, clamp_effort, main_effort
from claude_models.resolvers.main import MainSelection
from claude_models.resolvers.policy import is_allowed, is_denied
from claude_models.resolvers.setting import Resolved, resolve_setting, split_1m
from claude_models.resolvers.side import side_effort
from claude_models.result import RefusalFallback, Request, StepDown
from claude_models.shaping import build_request

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

AUTO_STEPDOWN_PROVIDERS: Final = frozenset({"bedrock", "vertex", "foundry"})
DISABLE_REFUSAL_RETRY: Final = "CLAUDE_CODE_DISABLE_REFUSAL_RETRY"
DISABLE_REFUSAL_FALLBACK: Final = "CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK"
#: Claude Code's refusal routes (its own table, identical in 2.1.328, 2.1.331 and 2.1.332):
#: refused model -> {stop_details.category: the model the session switches to}. A model with the
#: catalog's ``refusal_fallback`` capability that is not listed uses :data:`REFUSAL_DEFAULT`.
#: Measured: opus-5-5 cyber -> opus-4-8, bio -> opus-5, other/none -> no switch; sonnet-5-5
#: cyber -> sonnet-5; fable-5-2 cyber -> opus-4-8; opus-4-6, opus-4-8 (no capability): none.
REFUSAL_ROUTES: Final[dict[str, dict[str, str]]] = {
    "claude-opus-5-5": {
        "bio": "claude-opus-5",
        "cyber": "claude-opus-4-8",
        "frontier_llm": "claude-opus-5",
    },
    "claude-opus-5": {"cyber": "claude-opus-4-8"},
    "claude-sonnet-5-5": {"cyber": "claude-sonnet-5", "frontier_llm": "claude-sonnet-5"},
}
REFUSAL_DEFAULT: Final[dict[str, str]] = {
    "bio": "claude-opus-5",
    "cyber": "claude-opus-4-8",
    "frontier_llm": "claude-opus-5",
}
NO_FALLBACK_VARS: Final = (
    "CLAUDE_CODE_NO_MODEL_FALLBACK",
    "CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK",
)


def _step(model: Model, ctx: Ctx) -> Resolved:
    """A step-down model resolved by its :func:`_name`, with ``modelOverrides`` and discovered
    inference profiles applied."""
    return resolve_setting(_name(model, ctx), ctx, explicit=True)


def _retired(model: Model, ctx: Ctx) -> bool:
    """Past its retirement date on this provider (on the date itself it still runs, as the
    ``model_retired`` warning counts it)."""
    dep = ctx.reg.deprecation_for(model.id)
    when = dep.retirement.get(ctx.provider) if dep is not None else None
    return when is not None and when < ctx.snap.today


def _allowed(model: Model, ctx: Ctx) -> bool:
    """Managed policy lets it run: inside ``availableModels``, not in managed ``deniedModels``
    (BEHAVIOUR.md 3)."""
    if ctx.allow is None and ctx.denied is None:  # no policy: nothing to resolve
        return True
    r = _step(model, ctx)
    return is_allowed(r, ctx) and not is_denied(r, ctx)


def _previous_in_family(model: Model, ctx: Ctx) -> Model | None:
    """Bedrock haiku-4-5 has no ``fallback_3p`` yet stepped down to 3-5-haiku (CHANGES.md
    2.1.330): the catalog's previous model of the same family with an id on this provider."""
    before = None
    for m in ctx.reg.models:
        if m.id == model.id:
            return before
        if m.family == model.family and m.id_on(ctx.provider):
            before = m
    return None


def chain(model: Model | None, ctx: Ctx, *, family_fallback: bool = False) -> tuple[Model, ...]:
    """The refused model's step-down: its catalog ``fallback_3p``, then that model's, ...;
    stops at a model with no id on this provider or retired on it (Bedrock sonnet-4-5 did not
    fall back to sonnet-4-0, past its Bedrock date: CHANGES.md 2.1.332). A model managed policy
    does not allow is passed over and the walk goes on below it, as a denied
    ``--fallback-model`` entry is dropped (CHANGES.md, managed policy)."""
    out: list[Model] = []
    seen = {model.id} if model is not None else set()
    current = model
    while current is not None:
        nxt = ctx.reg.by_id.get(current.fallback_3p or "")
        if nxt is None and family_fallback and not out and current is model:
            nxt = _previous_in_family(current, ctx)
        if nxt is None or nxt.id in seen or not nxt.id_on(ctx.provider) or _retired(nxt, ctx):
            break
        seen.add(nxt.id)
        current = nxt
        if _allowed(nxt, ctx):
            out.append(nxt)
    return tuple(out)


def _name(model: Model, ctx: Ctx) -> str:
    """How a step-down names ``model`` to the resolver: Claude Code steps down to the provider's
    id, which a 3P provider gives only for the first-party id (``providers.translate``)."""
    return model.first_party_id if ctx.provider in providers.TRANSLATING else model.id


def _request(model: Model, ctx: Ctx, rule: str) -> Request:
    r = _step(model, ctx)
    return build_request(
        ctx, r, main_effort(r, ctx), setting=model.id, source="step-down", origin=rule
    )


def full_provider_id(setting: str | None) -> bool:
    """A model given as a provider's own spelling (``us.anthropic.claude-opus-5-5``, a Vertex
    ``@date`` id, an ARN) rather than an alias or catalog id."""
    if not setting:
        return False
    s = split_1m(setting)[0].strip().lower()
    return "." in s or "@" in s or s.startswith("arn:")


def main_stepdown(ctx: Ctx, sel: MainSelection, *, configured: bool) -> StepDown | None:
    """The automatic 3P main-loop step-down of this release, or None where it does not apply."""
    rule = "auto_3p_main_stepdown"
    if not rules_for(ctx.snap.claude_version).auto_3p_main_stepdown:
        return None
    if ctx.provider not in AUTO_STEPDOWN_PROVIDERS or configured:
        return None
    if any(E.is_truthy(ctx.env.get(v)) for v in NO_FALLBACK_VARS):
        return None
    resolved = sel.resolved
    if full_provider_id(resolved.typed) or (full_provider_id(resolved.wire) and not resolved.model):
        return None
    steps = chain(resolved.model, ctx)
    requests = tuple(_request(m, ctx, rule) for m in steps)
    return StepDown(tuple([r.model for r in requests]), requests, rule)


def refusal_fallback(ctx: Ctx, main: Request, model: Model | None) -> RefusalFallback:
    """What follows a main-loop reply refused by the safety classifier (``main``: the request
    sent, ``model``: its catalog model). The switch keeps the refused request's effort (clamped
    to what the new model takes; observed: opus-5-5 at medium -> opus-4-8 at medium, whose own
    default is high) and takes the new model's own max_tokens; it is tried once."""
    env = ctx.env
    retry = not E.is_truthy(env.get(DISABLE_REFUSAL_RETRY))
    if model is None or not model.supports("refusal_fallback"):
        return RefusalFallback(retry)
    if E.is_truthy(env.get(DISABLE_REFUSAL_FALLBACK)):
        return RefusalFallback(retry, (), DISABLE_REFUSAL_FALLBACK)
    routes: list[tuple[str, Request]] = []
    for category, target_id in REFUSAL_ROUTES.get(model.id, REFUSAL_DEFAULT).items():
        target = ctx.reg.by_id.get(target_id)
        if target is None:
            continue
        r = _step(target, ctx)
        effort = (
            EffortPick(clamp_effort(main.effort, target, ctx), "the refused request's effort")
            if main.effort is not None
            else main_effort(r, ctx)
        )
        origin = f"refusal route ({category}) of {model.id}"
        req = build_request(ctx, r, effort, setting=target.id, source="refusal", origin=origin)
        routes.append((category, req))
    return RefusalFallback(retry, tuple(routes))


def side_on_main(main: Request) -> Request:
    """A side query sent on the main-loop model (``main``: the main request outside plan mode):
    its model, max_tokens, effort, betas and region, without thinking or speed (side queries
    never think)."""
    # replace(main, thinking=None, thinking_source=None, speed=None), built directly (hot:
    # every resolution; tests/test_fresh.py holds the two equal)
    return Request(
        main.model,
        main.setting,
        main.source,
        main.max_tokens,
        main.effort,
        None,
        main.context_window,
        main.betas,
        None,
        main.region,
        main.catalog_id,
        main.origin,
        main.effort_source,
        main.max_tokens_source,
        None,
        main.context_source,
        main.region_source,
    )


def _side_request(model: Model, ctx: Ctx, rule: str) -> Request:
    """A side query on a step-down model: shaped as a side query on it (its own max_tokens, the
    side query's effort, its side-query region, no thinking, no betas)."""
    r = _step(model, ctx)
    region, region_source = providers.region(ctx.provider, r.window_model, ctx.env, side=True)
    effort = side_effort(ctx, model)
    return Request(
        model=r.wire,
        setting=model.id,
        source="step-down",
        max_tokens=model.max_output_default,
        effort=effort.value,
        thinking=None,
        context_window=model.context_window,
        betas=(),
        speed=None,
        region=region,
        catalog_id=model.id,
        origin=rule,
        effort_source=effort.source,
        region_source=region_source,
    )


def side_retry(
    ctx: Ctx,
    side_wire: str,
    side_model: Model | None,
    main: Request,
    *,
    on_main: Request | None = None,
) -> StepDown:
    """What a refused hook side query tries next in this release: nothing before 2.1.330;
    then the main-loop model (``main``: the main request outside plan mode), or, when the side
    model is the main-loop model, its step-down (Foundry sonnet-5-5 -> sonnet-5). ``requests``
    are the side queries as sent. ``on_main``: ``side_on_main(main)`` when the caller has it."""
    rule = "hook_side_query_retry_on_main"
    if not rules_for(ctx.snap.claude_version).hook_side_query_retry_on_main:
        return StepDown((), (), None)
    if side_wire.lower() != main.model.lower():
        sent = on_main if on_main is not None else side_on_main(main)
        return StepDown((main.model,), (sent,), rule)
    steps = tuple(_side_request(m, ctx, rule) for m in chain(side_model, ctx, family_fallback=True))
    return StepDown(tuple([r.model for r in steps]), steps, rule)


def webfetch_stepdown(ctx: Ctx, side_model: Model | None) -> StepDown:
    """The WebFetch summariser never falls back to the main-loop model; from 2.1.330 on Vertex
    it walks the side model's ``fallback_3p`` chain."""
    rule = "webfetch_vertex_stepdown"
    if not rules_for(ctx.snap.claude_version).webfetch_vertex_stepdown or ctx.provider != "vertex":
        return StepDown((), (), None)
    steps = chain(side_model, ctx)
    wires = tuple(_step(m, ctx).wire for m in steps)
    return StepDown(wires, (), rule)


__all__ = [
    "chain",
    "full_provider_id",
    "main_stepdown",
    "refusal_fallback",
    "side_on_main",
    "side_retry",
    "webfetch_stepdown",
]
