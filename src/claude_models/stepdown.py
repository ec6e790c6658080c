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

Which rule is in force comes from :func:`claude_models.releases.rules_for`; nothing here
compares versions.
"""

from __future__ import annotations

from typing import Final

from claude_models import env as E
from claude_models import providers
from claude_models.registry import Model
from claude_models.releases import rules_for
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.effort import main_effort
from claude_models.resolvers.main import MainSelection
from claude_models.resolvers.setting import resolve_setting, split_1m
from claude_models.result import Request, StepDown
from claude_models.shaping import build_request

AUTO_STEPDOWN_PROVIDERS: Final = frozenset({"bedrock", "vertex", "foundry"})
NO_FALLBACK_VARS: Final = (
    "CLAUDE_CODE_NO_MODEL_FALLBACK",
    "CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK",
)
MAX_STEPS: Final = 8  # the catalog's chains are 3-4 long; a cycle stops here at the latest


def _retired(model: Model, ctx: Ctx) -> bool:
    dep = ctx.reg.deprecation_for(model.id)
    when = dep.retirement.get(ctx.provider) if dep is not None else None
    return when is not None and when <= ctx.snap.today


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
    fall back to sonnet-4-0, past its Bedrock date: CHANGES.md 2.1.332)."""
    out: list[Model] = []
    seen = {model.id} if model is not None else set()
    current = model
    while current is not None and len(out) < MAX_STEPS:
        nxt = ctx.reg.by_id.get(current.fallback_3p or "")
        if nxt is None and family_fallback and not out:
            nxt = _previous_in_family(current, ctx)
        if nxt is None or nxt.id in seen or not nxt.id_on(ctx.provider) or _retired(nxt, ctx):
            break
        out.append(nxt)
        seen.add(nxt.id)
        current = nxt
    return tuple(out)


def _name(model: Model, ctx: Ctx) -> str:
    """How a step-down names ``model`` to the resolver: Claude Code steps down to the provider's
    id, which a 3P provider gives only for the first-party id (``providers.translate``)."""
    return model.first_party_id if ctx.provider in providers.TRANSLATING else model.id


def _request(model: Model, ctx: Ctx, rule: str) -> Request:
    r = resolve_setting(_name(model, ctx), ctx, explicit=True)
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
    return StepDown(models=tuple(r.model for r in requests), requests=requests, rule=rule)


def side_retry(ctx: Ctx, side_wire: str, side_model: Model | None, main_wire: str) -> StepDown:
    """What a refused hook side query tries next in this release: nothing before 2.1.330;
    then the main-loop model (``main_wire``: the model outside plan mode), or, when the side
    model is the main-loop model, its step-down (Foundry sonnet-5-5 -> sonnet-5)."""
    rule = "hook_side_query_retry_on_main"
    if not rules_for(ctx.snap.claude_version).hook_side_query_retry_on_main:
        return StepDown(models=(), requests=(), rule=None)
    if side_wire.lower() != main_wire.lower():
        return StepDown(models=(main_wire,), requests=(), rule=rule)
    steps = chain(side_model, ctx, family_fallback=True)
    wires = tuple(resolve_setting(_name(m, ctx), ctx, explicit=True).wire for m in steps)
    return StepDown(models=wires, requests=(), rule=rule)


def webfetch_stepdown(ctx: Ctx, side_model: Model | None) -> StepDown:
    """The WebFetch summariser never falls back to the main-loop model; from 2.1.330 on Vertex
    it walks the side model's ``fallback_3p`` chain."""
    rule = "webfetch_vertex_stepdown"
    if not rules_for(ctx.snap.claude_version).webfetch_vertex_stepdown or ctx.provider != "vertex":
        return StepDown(models=(), requests=(), rule=None)
    steps = chain(side_model, ctx)
    wires = tuple(resolve_setting(_name(m, ctx), ctx, explicit=True).wire for m in steps)
    return StepDown(models=wires, requests=(), rule=rule)


__all__ = ["chain", "full_provider_id", "main_stepdown", "side_retry", "webfetch_stepdown"]
