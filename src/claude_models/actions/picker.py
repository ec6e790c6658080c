"""The ``/model`` picker: which options a user sees, in order, and the value each one saves.

Pure: :func:`options` takes a :class:`~.snapshot.Snapshot`. What it follows:

- First party (and the gateway, which behaves as first party, BEHAVIOUR.md 8e), API key:
  BEHAVIOUR.md 8d exactly: ``Default (recommended)``, ``Opus``, ``Fable``, ``Sonnet``,
  ``Haiku``, with prices; each saves its alias, Default removes the key.
- First party, any subscription tier: the same five without prices, Default described as the
  default model with its tagline (8d observed this for max, pro, team and enterprise). The seed
  lesson's per-tier table (section 5) had separate "1M" entries because the 4.x models needed
  the context-1m beta; every model in today's five is natively 1M, so those entries collapse
  into the plain ones, and the tiers differ only in their gates.
- Bedrock, Vertex and the other clouds: the 14 options of 8d (no prices), saving the
  provider's id (``[1m]`` kept on the two long-context entries) except Haiku, saved as
  ``haiku``. Foundry lists the same 14 in its own order and its default is Sonnet 4.5.
- ``ANTHROPIC_DEFAULT_<FAMILY>_MODEL`` replaces that family entry's model (it still saves the
  alias, which resolves to the override); ``..._MODEL_NAME`` / ``..._MODEL_DESCRIPTION`` rename
  and describe it. ``ANTHROPIC_CUSTOM_MODEL_OPTION`` (with ``_NAME`` / ``_DESCRIPTION``) adds one
  more option at the end.
- ``availableModels`` (and managed ``deniedModels``) filter the options; Default always stays.
- 1M gates: the ``(1M context)`` options are hidden when ``CLAUDE_CODE_DISABLE_1M_CONTEXT`` is
  set, for a subscriber without extra usage, and for an unknown tier (fails closed).
"""

from __future__ import annotations

from claude_models import env as E
from claude_models import providers
from claude_models._record import record
from claude_models.account import is_subscriber, one_m_access
from claude_models.registry import ONE_M_SUFFIX, Model, Pricing
from claude_models.resolvers.context import Ctx, context_of
from claude_models.resolvers.main import DENIED_DEFAULT_ORDER, default_choice, default_setting
from claude_models.resolvers.policy import is_allowed, is_denied
from claude_models.resolvers.setting import resolve_alias, resolve_entry, resolve_setting
from claude_models.snapshot import Snapshot

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

TAGLINES = {
    "opus": "Best for everyday, complex tasks",
    "fable": "Most capable for your hardest and longest-running tasks",
    "sonnet": "Efficient for routine tasks",
    "haiku": "Fastest for quick answers",
}


FIRST_PARTY_FAMILIES = ("opus", "fable", "sonnet", "haiku")


@record
class Option:
    label: str
    description: str
    value: str | None  # what choosing it saves in settings ``model``; None removes the key

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "description": self.description, "value": self.value}


@record
class _Entry:
    """One option of the third-party list: a catalog model, or a family alias."""

    label: str
    model: str  # catalog id, or "haiku" for the alias entry
    tail: str  # the description after "<name> · ", or the whole description for 1M entries
    one_m: bool = False


_THIRD_PARTY_SONNETS = (
    _Entry("Sonnet", "claude-sonnet-5-5", TAGLINES["sonnet"]),
    _Entry("Sonnet 5", "claude-sonnet-5", "Previous Sonnet version"),
    _Entry("Sonnet 4.6", "claude-sonnet-4-6", "Legacy"),
    _Entry("Sonnet 4.6 (1M context)", "claude-sonnet-4-6", "Sonnet 4.6 for long sessions", True),
)


_THIRD_PARTY_FABLE = (_Entry("Fable", "claude-fable-5-2", TAGLINES["fable"]),)


_THIRD_PARTY_OPUSES = (
    _Entry("Opus 4.1", "claude-opus-4-1", "Legacy"),
    _Entry("Opus", "claude-opus-5-5", TAGLINES["opus"]),
    _Entry("Opus 5", "claude-opus-5", "Previous Opus version"),
    _Entry("Opus 4.8", "claude-opus-4-8", "Legacy"),
    _Entry("Opus 4.7", "claude-opus-4-7", "Legacy"),
    _Entry("Opus 4.6", "claude-opus-4-6", "Legacy"),
    _Entry("Opus 4.6 (1M context)", "claude-opus-4-6", "Opus 4.6 for long sessions", True),
)


_THIRD_PARTY_HAIKU = (_Entry("Haiku", "haiku", TAGLINES["haiku"]),)


THIRD_PARTY_ORDER = _THIRD_PARTY_FABLE + _THIRD_PARTY_SONNETS + _THIRD_PARTY_OPUSES


FOUNDRY_ORDER = _THIRD_PARTY_SONNETS + _THIRD_PARTY_FABLE + _THIRD_PARTY_OPUSES


# the family whose ANTHROPIC_DEFAULT_<F>_MODEL replaces a third-party entry
_FAMILY_ENTRY = {"Sonnet": "sonnet", "Opus": "opus", "Fable": "fable", "Haiku": "haiku"}


def money(x: float) -> str:
    return f"${x:.0f}" if float(x).is_integer() else f"${x:.2f}"


def price(p: Pricing) -> str:
    """``$4/$20 per Mtok``; with long-prompt pricing ``... ($0.50/$2.50 for prompts over
    100k)``."""
    text = f"{money(p.input)}/{money(p.output)} per Mtok"
    if p.long_prompt_above and p.long_prompt_input is not None and p.long_prompt_output:
        above = p.long_prompt_above
        size = f"{above // 1000}k" if above % 1000 == 0 else str(above)
        text += (
            f" ({money(p.long_prompt_input)}/{money(p.long_prompt_output)} for prompts over {size})"
        )
    return text


def _name(model: Model | None, wire: str) -> str:
    return model.display_name if model is not None else wire


def default_model(ctx: Ctx) -> tuple[str, Model | None]:
    """The built-in default as the picker names it: (wire id, model)."""
    r = resolve_setting(default_setting(ctx, default_choice(ctx.env)), ctx, explicit=False)
    # Policy moves the default as select_main does (issue 16: "currently Opus" must not be
    # shown when enforceAvailableModels or managed deniedModels make the default Sonnet).
    if ctx.enforce and ctx.allow is not None and ctx.allow.entries and not is_allowed(r, ctx):
        r = resolve_entry(ctx.allow.raw[0], ctx, literal=True)
    if is_denied(r, ctx):
        for alias in DENIED_DEFAULT_ORDER:
            cand = resolve_alias(alias, False, ctx, explicit=False, typed=alias)
            if not is_denied(cand, ctx):
                return cand.wire, cand.model
    return r.wire, r.model


def _family_option(ctx: Ctx, family: str, label: str, *, priced: bool) -> Option:
    r = resolve_alias(family, False, ctx, explicit=False, typed=family)
    prefix = f"{E.FAMILY_OVERRIDE[family]}"
    name = E.get(ctx.env, f"{prefix}_NAME") or _name(r.model, r.wire)
    custom = E.get(ctx.env, f"{prefix}_DESCRIPTION")
    if custom:
        return Option(label, custom, family)
    tagline = TAGLINES[family] if r.model is not None else "Custom model"
    desc = f"{name} · {tagline}"
    if priced and r.model is not None:
        desc += f" · {price(r.model.pricing)}"
    return Option(label, desc, family)


def _first_party(ctx: Ctx, subscriber: bool) -> list[Option]:
    wire, model = default_model(ctx)
    name = _name(model, wire)
    if subscriber:
        family = model.family if model is not None else None
        default_desc = f"{name} · {TAGLINES[family]}" if family in TAGLINES else name
    else:
        default_desc = f"Use the default model (currently {name})"
        if model is not None:
            default_desc += f" · {price(model.pricing)}"
    out = [Option("Default (recommended)", default_desc, None)]
    for family in FIRST_PARTY_FAMILIES:
        out.append(_family_option(ctx, family, family.capitalize(), priced=not subscriber))
    return out


def _third_party(ctx: Ctx) -> list[Option]:
    wire, model = default_model(ctx)
    out = [Option("Default", f"Use the default model (currently {_name(model, wire)})", None)]
    order = FOUNDRY_ORDER if ctx.provider == "foundry" else THIRD_PARTY_ORDER
    for entry in (*order, *_THIRD_PARTY_HAIKU):
        family = _FAMILY_ENTRY.get(entry.label)
        if family == "haiku" or (family and E.get(ctx.env, E.FAMILY_OVERRIDE[family])):
            out.append(_family_option(ctx, family, entry.label, priced=False))
            continue
        m = ctx.reg.get(entry.model)
        value = providers.spell(m, ctx.provider, ctx.env, ctx.profiles)
        if entry.one_m:
            out.append(Option(entry.label, entry.tail, value + ONE_M_SUFFIX))
        else:
            out.append(Option(entry.label, f"{m.display_name} · {entry.tail}", value))
    return out


def _custom_option(ctx: Ctx) -> Option | None:
    value = E.get(ctx.env, E.CUSTOM_MODEL_OPTION)
    if value is None:
        return None
    label = E.get(ctx.env, f"{E.CUSTOM_MODEL_OPTION}_NAME") or value
    desc = E.get(ctx.env, f"{E.CUSTOM_MODEL_OPTION}_DESCRIPTION") or (
        f"Custom model ({E.CUSTOM_MODEL_OPTION})"
    )
    return Option(label, desc, value)


def _shown(opt: Option, ctx: Ctx, one_m_ok: bool) -> bool:
    if opt.value is None:
        return True  # Default always stays (8d)
    if opt.value.lower().endswith(ONE_M_SUFFIX) and not one_m_ok:
        return False
    r = resolve_setting(opt.value, ctx, explicit=True)
    return is_allowed(r, ctx) and not is_denied(r, ctx)


def options_for(ctx: Ctx) -> tuple[Option, ...]:
    snap = ctx.snap
    if ctx.provider in providers.ACTS_AS_FIRST_PARTY:
        opts = _first_party(ctx, is_subscriber(snap.subscription))
    else:
        opts = _third_party(ctx)
    custom = _custom_option(ctx)
    if custom is not None and all(o.value != custom.value for o in opts):
        opts.append(custom)
    one_m_ok, _ = one_m_access(snap.subscription, snap.account.extra_usage, ctx.env)
    return tuple(o for o in opts if _shown(o, ctx, one_m_ok))


def options(snap: Snapshot) -> tuple[Option, ...]:
    """The ``/model`` picker for this snapshot, in order (``models --json``)."""
    return options_for(context_of(snap))
