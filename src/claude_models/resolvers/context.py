"""The derived context: every fact the chains share, computed once per snapshot.

:func:`context_of` builds the :class:`Ctx` of a snapshot once and keeps it on the snapshot
(snapshots are frozen), so resolve, the actions, the picker, migrations, probe and doctor all
read the same facts: the provider and what decided it, the allowlist and managed deny list with
their origins, plan mode, the legacy remap and 1M switches, Bedrock profiles, modelOverrides.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from claude_models import env as E
from claude_models import providers
from claude_models._record import field, record
from claude_models.decision import Decision, Origin
from claude_models.registry import Registry, registry_of
from claude_models.resolvers.policy import ModelList
from claude_models.snapshot import Snapshot, detached

_NO_OVERRIDES: Mapping[str, str] = MappingProxyType({})

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.kinds import Provider, ProviderStep, TierStep


@record
class Ctx:
    """Everything the resolvers need, computed once per resolution from the snapshot."""

    snap: Snapshot
    reg: Registry
    provider: Provider
    provider_source: ProviderStep | None
    env: Mapping[str, str]
    plan: bool
    allow: ModelList | None  # availableModels, None when unset
    allow_origin: str | None
    enforce: bool
    denied: ModelList | None  # managed deniedModels only
    denied_origin: str | None  # the managed file that holds deniedModels
    legacy_remap: bool
    disable_1m: bool
    profiles: tuple[str, ...] | None
    overrides: Mapping[str, str]  # modelOverrides, keyed by first-party id
    # resolve_setting's answers in this context, by (setting, explicit): one setting (the
    # haiku of side queries, subagents and fallbacks) is resolved once per context
    resolved: dict[tuple[str, bool], Any] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # other facts derived from this context on first use (the env knobs of request shaping,
    # the settings part of the effort chain, ...): each is computed once per context
    memo: dict[Any, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def build(cls, snap: Snapshot, reg: Registry) -> Ctx:
        env = snap.env
        provider, provider_source = providers.detect(env)
        st = snap.settings
        # managed wins outright (settings.scopes.MANAGED_WINS_OUTRIGHT): the highest scope
        allow_s = st.get("availableModels")
        enforce_s = st.get("enforceAvailableModels")
        denied_s = st.get("deniedModels")
        overrides = st.merged("modelOverrides")
        return cls(  # positional, in field order (once per snapshot)
            snap,
            reg,
            provider,
            provider_source,
            env,
            (snap.flags.permission_mode or "").strip().lower() == "plan",
            ModelList.of(allow_s.value) if allow_s else None,
            allow_s.origin if allow_s else None,
            bool(enforce_s and enforce_s.value),
            ModelList.of(denied_s.value) if denied_s else None,
            denied_s.origin if denied_s else None,
            provider == "firstParty" and not E.is_truthy(env.get(E.DISABLE_LEGACY_MODEL_REMAP)),
            E.is_truthy(env.get(E.DISABLE_1M_CONTEXT)),
            snap.inference_profiles if provider == "bedrock" else None,
            MappingProxyType({k: s.value for k, s in overrides.items()})
            if overrides
            else _NO_OVERRIDES,
        )

    @property
    def first_party_like(self) -> bool:
        return self.provider in providers.FIRST_PARTY_STYLE


def env_label(var: str, origins: Mapping[str, str]) -> str:
    """A variable's name, and the settings file whose ``env`` block set it, if one did."""
    where = origins.get(var)
    return f"{var} ({where})" if where else var


def context_of(snap: Snapshot) -> Ctx:
    """The derived context of ``snap``, built once and kept on the (frozen) snapshot. Its
    ``snap`` is an equal twin (:func:`~claude_models.snapshot.detached`), so that what the
    snapshot keeps does not refer back to it (no reference cycle to collect)."""
    memo = snap._memo
    found = memo.get("ctx")
    if found is None:
        found = memo["ctx"] = Ctx.build(detached(snap), registry_of(snap))
    ctx: Ctx = found
    return ctx


def provider_decision(ctx: Ctx) -> Decision[ProviderStep]:
    """The provider chain's decision: the first ``CLAUDE_CODE_USE_*`` switch set (in
    :data:`claude_models.providers.SWITCHES` order), else first party."""
    var = ctx.provider_source
    path = ctx.snap.env_origins.get(var) if var is not None else None
    return _provider_decision(ctx.provider, var, path)


@lru_cache(maxsize=64)
def _provider_decision(
    provider: Provider, var: ProviderStep | None, path: str | None
) -> Decision[ProviderStep]:
    # a frozen value of three small values: one per (provider, switch, settings file)
    if var is None:
        return Decision(provider, "default")
    return Decision(provider, var, Origin("env", var, path))


def tier_decision(ctx: Ctx) -> Decision[TierStep]:
    """The subscription tier's decision (as the loader made it, or given)."""
    found = ctx.snap.tier_decision
    if found is not None and found.value == ctx.snap.subscription:
        return found
    return _given_tier(ctx.snap.subscription)


@lru_cache(maxsize=16)
def _given_tier(subscription: str) -> Decision[TierStep]:
    # a frozen value of one small value: one per tier
    return Decision(subscription, "given", Origin("flag", "subscription"))
