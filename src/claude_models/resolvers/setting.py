"""A model setting to a model: aliases (case-insensitive, ``[1m]`` on any), ``opusplan`` by
permission mode, ``ANTHROPIC_DEFAULT_*_MODEL`` pins, retired-id remapping, availableModels
entries, provider spelling and modelOverrides (BEHAVIOUR.md 1, 2, 3, 8b)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from claude_models import env as E
from claude_models import providers
from claude_models._record import record, replace
from claude_models.registry import FAMILY_ALIASES, ONE_M_SUFFIX, Model
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.policy import policy_block

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from claude_models.kinds import Provider

#: Every alias a model setting may use: the family aliases plus ``best``, ``default`` and
#: ``opusplan`` (resolved without a catalog lookup or a probe).
KNOWN_ALIASES: Final = frozenset({"best", "default", "opusplan", *FAMILY_ALIASES})


@record
class SkippedOverride:
    """A modelOverrides entry that was not applied: managed policy rules its target out."""

    source: str  # the first-party id the entry is keyed by
    target: str  # the id it would have sent
    why: str  # the policy entry, as policy_block phrases it

    @property
    def note(self) -> str:
        return f"modelOverrides {self.source} -> {self.target} not applied: {self.why}"


@record
class Resolved:
    """A setting turned into a model."""

    wire: str  # the id on the wire, without [1m]
    model: Model | None  # drives max_tokens, effort and thinking
    window_model: Model | None  # drives the context window (a modelOverrides target)
    one_m: bool  # the [1m] suffix is in force
    via: str  # "alias" | "id" | "remap" | the ANTHROPIC_DEFAULT_*_MODEL variable | "allowlist"
    typed: str  # the setting as given (for allowlist names and messages)
    overridden_from: str | None = None  # the first-party id a modelOverrides entry replaced
    override_skipped: SkippedOverride | None = None  # an entry policy kept from applying

    @property
    def names(self) -> tuple[str, ...]:
        return (split_1m(self.typed)[0], self.wire)


@lru_cache(maxsize=512)
def split_1m(setting: str) -> tuple[str, bool]:
    """``"opus[1m]"`` -> ``("opus", True)`` (a pure function of a short string: cached, as
    a resolution splits the same few settings several times)."""
    s = setting.strip()
    if s.lower().endswith(ONE_M_SUFFIX):
        return s[: -len(ONE_M_SUFFIX)].strip(), True
    return s, False


def finish_resolved(
    ctx: Ctx, wire: str, model: Model | None, one_m: bool, via: str, *, typed: str
) -> Resolved:
    window_model = model
    overridden = None
    skipped = None
    if model is not None:
        target = ctx.overrides.get(model.first_party_id)
        if target:
            t_wire, t_1m = split_1m(target)
            t_model = ctx.reg.find(t_wire)
            # CHANGES.md (managed policy against the other knobs): an override whose target
            # managed deniedModels denies, or an enforced availableModels excludes, is not
            # applied and the original model runs. The target is matched on its own id and
            # catalog model, so a family entry ("haiku") catches claude-haiku-5-5.
            why = policy_block(ctx, (t_wire,), t_model)
            if why is None:
                overridden = model.first_party_id
                # The override replaces the whole id, [1m] included: observed, the default
                # opus (opus[1m] by the 1M merge) overridden to claude-opus-4-6 reports 200k.
                wire, one_m = t_wire, t_1m
                window_model = t_model
            else:
                skipped = SkippedOverride(model.first_party_id, target, why)
    return Resolved(wire, model, window_model, one_m, via, typed, overridden, skipped)


def resolve_alias(alias: str, one_m: bool, ctx: Ctx, *, explicit: bool, typed: str) -> Resolved:
    """A family alias on this provider: ANTHROPIC_DEFAULT_<F>_MODEL verbatim, else (for an
    explicit choice) the allowlist's narrower entry for the family, else the catalog's alias."""
    var = E.FAMILY_OVERRIDE[alias]
    pinned = E.get(ctx.env, var)
    if pinned:
        wire, p1m = split_1m(pinned)
        model = ctx.reg.find(wire)
        if not _pin_refused(alias, wire, model, ctx, explicit=explicit, typed=typed):
            return finish_resolved(ctx, wire, model, one_m or p1m, var, typed=typed)
    if explicit and ctx.allow is not None:
        specific = ctx.allow.specific_for(alias)
        if specific:
            return resolve_entry(specific[0], ctx, one_m=one_m, typed=typed)
    quirks: Mapping[str, str] = ctx.reg.alias_quirks.get(ctx.provider, {})
    quirk = quirks.get(alias)
    # BEHAVIOUR.md 8e: the gateway resolved aliases as first party, its catalog column aside.
    column: Provider = "firstParty" if ctx.provider == "gateway" else ctx.provider
    model = ctx.reg.get(quirk or ctx.reg.aliases[alias].target(column))
    wire = providers.spell(model, ctx.provider, ctx.env, ctx.profiles)
    return finish_resolved(ctx, wire, model, one_m, "alias", typed=typed)


def _pin_refused(
    alias: str, wire: str, model: Model | None, ctx: Ctx, *, explicit: bool, typed: str
) -> bool:
    """The family alias itself chosen explicitly under an ``availableModels`` list that does
    not allow its ``ANTHROPIC_DEFAULT_<F>_MODEL`` pin: Claude Code passes the pin over and
    resolves the alias as if unpinned (2.1.332: ``[sonnet]`` with the sonnet pin ``my-opus-x``
    sends ``claude-sonnet-5-5`` for ``--model sonnet`` and ``Agent(model=sonnet)``; a pin the
    list allows is kept). ``opusplan`` keeps its pin (observed: ``[opus]`` with the sonnet pin
    ``my-sonnet`` sends ``my-sonnet``); ``default``/``best`` keep it too (not measured)."""
    if not explicit or ctx.allow is None or split_1m(typed)[0].lower() != alias:
        return False
    return not ctx.allow.allows((wire,), model)


def resolve_entry(
    entry: str, ctx: Ctx, *, one_m: bool = False, typed: str | None = None, literal: bool = False
) -> Resolved:
    """An availableModels entry as a model: an alias resolves as one; ``opus-4-5`` means the
    catalog model ``claude-opus-4-5`` spelled for the provider. ``literal`` (the enforced
    default) sends the entry's own ``claude-`` id on first-party-style providers: observed,
    ``["opus-4-5"]`` + enforce sends undated ``claude-opus-4-5`` where ``--model opus`` under
    the same list sends the dated id (BEHAVIOUR.md 3)."""
    base, entry_1m = split_1m(entry)  # "sonnet[1m]" is the family with 1M (found by fuzzing)
    one_m = one_m or entry_1m
    low = base.lower()
    if low in FAMILY_ALIASES:
        # as `--model <family>` under the same list: a narrowed family (["sonnet",
        # "sonnet-4"]) means its narrower entry, not a model the list excludes (found by
        # tests/test_fuzz.py)
        return resolve_alias(low, one_m, ctx, explicit=True, typed=typed or entry)
    full = low if low.startswith("claude-") else f"claude-{low}"
    model = ctx.reg.find(full)
    if model is None and ctx.reg.find(low) is not None:
        # a provider's spelling (``us.anthropic.claude-opus-4-6-v1``): spell that model for
        # this provider, never ``claude-`` + the Bedrock id (found by tests/test_fuzz.py)
        model = ctx.reg.find(low)
        literal = False
    if model is None or (literal and ctx.first_party_like):
        wire = full
    else:
        wire = providers.spell(model, ctx.provider, ctx.env, ctx.profiles)
    return finish_resolved(ctx, wire, model, one_m, "allowlist", typed=typed or entry)


def resolve_setting(setting: str, ctx: Ctx, *, explicit: bool) -> Resolved:
    """Any model setting to a :class:`Resolved`: aliases (case-insensitive, ``[1m]`` on any),
    ``opusplan`` by permission mode, retired-id remapping, provider translation. Pure in
    ``ctx``: each (setting, explicit) is resolved once per context (``Ctx.resolved``)."""
    key = (setting, explicit)
    found: Resolved | None = ctx.resolved.get(key)
    if found is None:
        found = ctx.resolved[key] = _resolve_setting(setting, ctx, explicit=explicit)
    return found


def _resolve_setting(setting: str, ctx: Ctx, *, explicit: bool) -> Resolved:
    base, one_m = split_1m(setting)
    low = base.lower()
    if low == "default":
        low = "opus"
    elif low == "best":
        low = ctx.reg.best
    elif low == "opusplan":
        low = "opus" if ctx.plan else "sonnet"
        if ctx.plan:
            # CHANGES.md, every release: in plan mode opusplan takes the default opus's path,
            # the Opus 1M merge's [1m] included (main imports this module: import here)
            from claude_models.resolvers.main import opus_1m_merge

            one_m = one_m or opus_1m_merge(ctx)
    if low in FAMILY_ALIASES:
        return resolve_alias(low, one_m, ctx, explicit=explicit, typed=setting)
    model = ctx.reg.find(base)
    if model is not None and ctx.legacy_remap:
        dep = ctx.reg.deprecation_for(model.id)
        if dep is not None and dep.remap_to_alias:
            r = resolve_alias(dep.remap_to_alias, one_m, ctx, explicit=False, typed=setting)
            return replace(r, via="remap", typed=setting)
    wire = providers.translate(base, model, ctx.provider, ctx.env, ctx.profiles)
    return finish_resolved(ctx, wire, model, one_m, "id", typed=setting)


def is_inherit(spec: str) -> bool:
    return spec.strip().lower() == "inherit"
