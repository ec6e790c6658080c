"""The main-loop model: which setting wins, and how a setting becomes a wire id.

:func:`main_choice` is the precedence chain (first match wins); :func:`resolve_setting` turns
any setting (alias, ``[1m]`` suffix, full id of any provider) into a :class:`Resolved` model;
:func:`select_main` applies the allowlist, managed ``deniedModels`` and the built-in default.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from claude_models import env as E
from claude_models import providers
from claude_models._record import record
from claude_models.allowlist import ModelList
from claude_models.registry import FAMILY_ALIASES, ONE_M_SUFFIX, Model, Provider, Registry
from claude_models.settings.scopes import Scope
from claude_models.snapshot import Snapshot

THIRD_PARTY_DEFAULT_PIN = frozenset({"bedrock", "vertex", "foundry", "mantle"})
# When the default itself is denied by managed policy: the first family not denied.
DENIED_DEFAULT_ORDER = ("opus", "sonnet", "haiku", "fable")


@record
class Ctx:
    """Everything the resolvers need, computed once per resolution from the snapshot."""

    snap: Snapshot
    reg: Registry
    provider: Provider
    provider_source: str | None
    env: Mapping[str, str]
    plan: bool
    allow: ModelList | None  # availableModels, None when unset
    allow_origin: str | None
    enforce: bool
    denied: ModelList | None  # managed deniedModels only
    legacy_remap: bool
    disable_1m: bool
    profiles: tuple[str, ...] | None
    overrides: Mapping[str, str]  # modelOverrides, keyed by first-party id

    @classmethod
    def build(cls, snap: Snapshot, reg: Registry) -> Ctx:
        env = snap.env
        provider, provider_source = providers.detect(env)
        st = snap.settings
        allow_s = st.get("availableModels", scopes=frozenset({Scope.MANAGED})) or st.get(
            "availableModels"
        )
        enforce_s = st.get("enforceAvailableModels")
        denied_s = st.get("deniedModels")
        return cls(
            snap=snap,
            reg=reg,
            provider=provider,
            provider_source=provider_source,
            env=env,
            plan=(snap.flags.permission_mode or "").strip().lower() == "plan",
            allow=ModelList.of(allow_s.value) if allow_s else None,
            allow_origin=allow_s.origin if allow_s else None,
            enforce=bool(enforce_s and enforce_s.value),
            denied=ModelList.of(denied_s.value) if denied_s else None,
            legacy_remap=provider == "firstParty"
            and not E.is_truthy(env.get(E.DISABLE_LEGACY_MODEL_REMAP)),
            disable_1m=E.is_truthy(env.get(E.DISABLE_1M_CONTEXT)),
            profiles=snap.inference_profiles if provider == "bedrock" else None,
            overrides=MappingProxyType(
                {k: s.value for k, s in st.merged("modelOverrides").items()}
            ),
        )

    @property
    def first_party_like(self) -> bool:
        return self.provider in providers.FIRST_PARTY_STYLE


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

    @property
    def names(self) -> tuple[str, ...]:
        return (split_1m(self.typed)[0], self.wire)


@record
class Choice:
    setting: str | None  # None: the built-in default
    source: str
    origin: str | None


def split_1m(setting: str) -> tuple[str, bool]:
    s = setting.strip()
    if s.lower().endswith(ONE_M_SUFFIX):
        return s[: -len(ONE_M_SUFFIX)].strip(), True
    return s, False


def _finish(
    ctx: Ctx, wire: str, model: Model | None, one_m: bool, via: str, *, typed: str
) -> Resolved:
    window_model = model
    overridden = None
    if model is not None:
        target = ctx.overrides.get(model.first_party_id)
        if target:
            overridden = model.first_party_id
            # The override replaces the whole id, [1m] included: observed, the default opus
            # (opus[1m] by the 1M merge) overridden to claude-opus-4-6 reports 200k.
            wire, one_m = split_1m(target)
            window_model = ctx.reg.find(wire)
    return Resolved(wire, model, window_model, one_m, via, typed, overridden)


def resolve_alias(alias: str, one_m: bool, ctx: Ctx, *, explicit: bool, typed: str) -> Resolved:
    """A family alias on this provider: ANTHROPIC_DEFAULT_<F>_MODEL verbatim, else (for an
    explicit choice) the allowlist's narrower entry for the family, else the catalog's alias."""
    var = E.FAMILY_OVERRIDE[alias]
    pinned = E.get(ctx.env, var)
    if pinned:
        wire, p1m = split_1m(pinned)
        return _finish(ctx, wire, ctx.reg.find(wire), one_m or p1m, var, typed=typed)
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
    return _finish(ctx, wire, model, one_m, "alias", typed=typed)


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
    return _finish(ctx, wire, model, one_m, "allowlist", typed=typed or entry)


def resolve_setting(setting: str, ctx: Ctx, *, explicit: bool) -> Resolved:
    """Any model setting to a :class:`Resolved`: aliases (case-insensitive, ``[1m]`` on any),
    ``opusplan`` by permission mode, retired-id remapping, provider translation."""
    base, one_m = split_1m(setting)
    low = base.lower()
    if low == "default":
        low = "opus"
    elif low == "best":
        low = ctx.reg.best
    elif low == "opusplan":
        low = "opus" if ctx.plan else "sonnet"
        # CHANGES.md, every release: in plan mode opusplan takes the default opus's path,
        # the Opus 1M merge's [1m] included
        one_m = one_m or (ctx.plan and opus_1m_merge(ctx))
    if low in FAMILY_ALIASES:
        return resolve_alias(low, one_m, ctx, explicit=explicit, typed=setting)
    model = ctx.reg.find(base)
    if model is not None and ctx.legacy_remap:
        dep = ctx.reg.deprecation_for(model.id)
        if dep is not None and dep.remap_to_alias:
            r = resolve_alias(dep.remap_to_alias, one_m, ctx, explicit=False, typed=setting)
            return Resolved(
                r.wire, r.model, r.window_model, r.one_m, "remap", setting, r.overridden_from
            )
    wire = providers.translate(base, model, ctx.provider, ctx.env, ctx.profiles)
    return _finish(ctx, wire, model, one_m, "id", typed=setting)


def main_choice(ctx: Ctx) -> Choice:
    """The main-loop model setting. First match wins:

    1. the session override (``/model`` in a session; the library's ``SessionState.model``)
    2. ``--model``
    3. ``ANTHROPIC_MODEL`` (from the shell, or a settings ``env`` block)
    4. settings ``model``: managed > flag (``--settings``) > local > project > user
    5. ``ANTHROPIC_DEFAULT_MODEL`` (it changes the built-in default)
    6. the built-in default (``setting`` None)
    """
    snap = ctx.snap
    if snap.session.model and snap.session.model.strip():
        return Choice(snap.session.model.strip(), "session", "/model")
    if snap.flags.model and snap.flags.model.strip():
        return Choice(snap.flags.model.strip(), "--model", "--model")
    env_model = E.get(ctx.env, E.MODEL)
    if env_model:
        return Choice(env_model, "ANTHROPIC_MODEL", snap.env_origins.get(E.MODEL, E.MODEL))
    s = snap.settings.get("model")
    if s is not None and s.value.strip():
        return Choice(s.value.strip(), str(s.scope), s.path)
    dm = E.get(ctx.env, E.DEFAULT_MODEL)
    if dm:
        return Choice(None, "ANTHROPIC_DEFAULT_MODEL", dm)
    return Choice(None, "default", None)


def default_setting(ctx: Ctx, choice: Choice) -> str:
    """The built-in default as a setting string.

    - ``ANTHROPIC_DEFAULT_MODEL`` when set.
    - Third-party clouds with only ``ANTHROPIC_DEFAULT_SONNET_MODEL`` pinned use that sonnet
      (BEHAVIOUR.md 1: "On Bedrock with only ANTHROPIC_DEFAULT_SONNET_MODEL set").
    - The provider's default alias (opus; sonnet on Foundry).
    - First party appends ``[1m]`` to the opus default when the Opus 1M merge is on (it
      shows only where the id is not natively 1M, e.g. a custom ANTHROPIC_DEFAULT_OPUS_MODEL).
    """
    if choice.source == "ANTHROPIC_DEFAULT_MODEL" and choice.origin:
        return choice.origin
    alias = ctx.reg.default_alias.get(ctx.provider, "opus")
    if (
        ctx.provider in THIRD_PARTY_DEFAULT_PIN
        and E.get(ctx.env, E.DEFAULT_SONNET_MODEL)
        and not E.get(ctx.env, E.DEFAULT_OPUS_MODEL)
    ):
        alias = "sonnet"
    if alias == "opus" and opus_1m_merge(ctx):
        return "opus[1m]"
    return alias


def opus_1m_merge(ctx: Ctx) -> bool:
    """The seed lesson's ``isOpus1mMergeEnabled``: first party, 1M not disabled, and not a Pro
    subscriber; a subscriber whose tier is unknown fails closed."""
    if ctx.disable_1m or ctx.provider not in providers.ACTS_AS_FIRST_PARTY:
        return False
    tier = ctx.snap.subscription
    return tier not in ("pro", "unknown")


@record
class MainSelection:
    choice: Choice
    resolved: Resolved
    requested: Choice | None = None  # an explicit choice that was replaced by the default
    why: str | None = None  # "not_allowed" | "denied"

    @property
    def explicit(self) -> bool:
        """A model was chosen (``--model``, ``ANTHROPIC_MODEL``, settings, session), even if
        the allowlist then replaced it."""
        return self.choice.setting is not None or self.requested is not None


def is_allowed(r: Resolved, ctx: Ctx) -> bool:
    return ctx.allow is None or ctx.allow.allows(r.names, r.model)


def is_denied(r: Resolved, ctx: Ctx) -> bool:
    return ctx.denied is not None and ctx.denied.denies(r.names, r.model)


def select_main(ctx: Ctx) -> MainSelection:
    """The main-loop model after the allowlist and managed deniedModels (BEHAVIOUR.md 3).

    An explicit choice outside ``availableModels`` or in managed ``deniedModels`` is silently
    replaced by the default. The default is never filtered by a plain allowlist; with
    ``enforceAvailableModels`` it is replaced by the list's first entry, and a denied default
    by the first family alias that is not denied.
    """
    choice = main_choice(ctx)
    requested: Choice | None = None
    why: str | None = None
    if choice.setting is not None:
        setting = choice.setting
        if ctx.plan and setting.lower() == "haiku":
            setting = "sonnet"  # plan mode upgrades haiku to sonnet
        r = resolve_setting(setting, ctx, explicit=True)
        if not is_allowed(r, ctx):
            why = "not_allowed"
        elif is_denied(r, ctx):
            why = "denied"
        else:
            return MainSelection(choice, r)
        requested, choice = choice, Choice(None, "default", None)
    r = resolve_setting(default_setting(ctx, choice), ctx, explicit=False)
    if ctx.enforce and ctx.allow is not None and ctx.allow.entries and not is_allowed(r, ctx):
        r = resolve_entry(ctx.allow.raw[0], ctx, literal=True)
        choice = Choice(None, "availableModels", ctx.allow_origin)
    if is_denied(r, ctx):
        for alias in DENIED_DEFAULT_ORDER:
            cand = resolve_alias(alias, False, ctx, explicit=False, typed=alias)
            if not is_denied(cand, ctx):
                r = cand
                choice = Choice(None, "deniedModels", "managed deniedModels")
                break
    return MainSelection(choice, r, requested, why)
