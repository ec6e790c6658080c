"""Every model id in every slot, checked against the catalog of the modelled release.

- A value close to a known id or alias is a typo (``model_id_typo``, with "did you mean").
- An availableModels / deniedModels entry that names no model allows or denies nothing
  (``allowlist_entry_unknown``); a misspelt one is a typo.
- A known model this third-party provider does not serve is sent with its first-party id and
  fails (``model_not_on_provider``).
- A catalog id that is not the first-party id (``claude-sonnet-4-5``) is sent untranslated to
  Bedrock/Vertex, which refuse it (``model_id_untranslated``).
- A modelOverrides key that is not a first-party model id never applies
  (``model_override_unused``).

ARNs (application and custom inference profiles) are never flagged.
"""

from __future__ import annotations

from claude_models import providers
from claude_models.checks import _catalog as C
from claude_models.checks import provider as P
from claude_models.resolvers.setting import split_1m
from claude_models.result import Warning

TYPE_CHECKING = False
if TYPE_CHECKING:
    from claude_models.registry import Model
    from claude_models.resolvers.context import Ctx
_INHERIT_OK = frozenset({"agent"})


def _release(ctx: Ctx) -> str:
    return f"Claude Code {ctx.snap.claude_version}"


def check(ctx: Ctx, slots: C.Slots, found: list[Warning]) -> list[Warning]:
    """New warnings; drops the plain ``unknown_model`` of a value found to be a typo."""
    typos: set[str] = set()
    reported = {w.message for w in found if w.code == "unknown_model"}

    def finding(slot: C.Slot) -> list[Warning]:
        base = split_1m(slot.value)[0]
        low = base.lower()
        if low in C.ALIASES or C.is_arn(base) or (low == "inherit" and slot.kind in _INHERIT_OK):
            return []
        if P.bedrock_problem(base, ctx, side=slot.kind == "side") is not None:
            typos.add(base)  # provider.py names it, with the fix: no second "did you mean"
            return []
        model = ctx.reg.find(base)
        if model is None:
            if slot.kind == "override_key":
                hint = C.suggest(base, ctx.reg)
                return [
                    Warning(
                        "model_override_unused",
                        f"modelOverrides ({slot.where}): key '{base}' is not a first-party "
                        f"model id of {_release(ctx)}, so the override never applies"
                        + (f" (did you mean {hint}?)" if hint else ""),
                    )
                ]
            hint = C.suggest(base, ctx.reg)
            if hint is not None:
                typos.add(base)
                return [
                    Warning(
                        "model_id_typo",
                        f"{slot.label} ({slot.where}) is '{base}', which is not a model "
                        f"{_release(ctx)} knows: did you mean {hint}? It is sent verbatim, so "
                        "the request fails unless the provider serves that exact id",
                    )
                ]
            if not any(f"'{base}'" in m for m in reported):
                return [
                    Warning(
                        "unknown_model",
                        f"{slot.label} ({slot.where}) is '{base}', which is not a model "
                        f"{_release(ctx)} knows; it is sent verbatim (fine for a gateway "
                        "that serves it, else the request fails)",
                    )
                ]
            return []
        if slot.sent and _untranslated(base, model, ctx):
            wire = providers.spell(model, ctx.provider, ctx.env, ctx.profiles)
            return [
                Warning(
                    "model_id_untranslated",
                    f"{slot.label} ({slot.where}) is '{base}': {_release(ctx)} translates only "
                    f"first-party ids for {ctx.provider}, so it sends '{base}' as typed and "
                    f"{ctx.provider} refuses it; write {model.first_party_id}, the alias "
                    f"'{model.family}' or {wire}",
                )
            ]
        if (
            slot.sent
            and ctx.provider in providers.TRANSLATING
            and model.id_on(ctx.provider) is None
            and low in (model.id.lower(), model.first_party_id.lower())
        ):
            return [
                Warning(
                    "model_not_on_provider",
                    f"{slot.label} ({slot.where}) is {model.display_name} ({base}), which "
                    f"{ctx.provider} does not serve in {_release(ctx)}'s catalog; it is sent "
                    f"as {model.first_party_id} and the request fails: choose a model "
                    f"{ctx.provider} serves",
                )
            ]
        return []

    out = slots.findings(finding)
    out += _lists(ctx)
    if typos:
        # the plain "unknown_model" of the same value says less (and may suggest another
        # id); keep the typo or the malformed Bedrock id only
        found[:] = [
            w
            for w in found
            if not (w.code == "unknown_model" and any(f"'{t}'" in w.message for t in typos))
        ]
    return out


def _untranslated(typed: str, model: Model, ctx: Ctx) -> bool:
    """``typed`` is the model's catalog id but not its first-party id (``claude-sonnet-4-5``,
    not ``claude-sonnet-4-5-20250929``): :func:`providers.translate` sends it as typed, and the
    provider serves it under another id."""
    low = typed.lower()
    on_provider = model.id_on(ctx.provider)
    return (
        ctx.provider in providers.TRANSLATING
        and low == model.id.lower()
        and low != model.first_party_id.lower()
        and on_provider is not None
        and on_provider.lower() != low
    )


def _lists(ctx: Ctx) -> list[Warning]:
    out: list[Warning] = []
    for key, origin, _scope, entries in C.list_layers(ctx):
        typo, unknown = C.list_findings(entries, ctx.reg)
        if not typo and not unknown:
            continue
        verb = "allows" if key == "availableModels" else "denies"
        where = f"{key} ({origin})"
        verb_s = "matches" if len(typo) == 1 else "match"
        if typo:
            shown = ", ".join(f"'{e}' (did you mean {s}?)" for e, s in typo[:5])
            more = f" and {len(typo) - 5} more" if len(typo) > 5 else ""
            out.append(
                Warning(
                    "model_id_typo",
                    f"{where}: {shown}{more} {verb_s} no model {_release(ctx)} knows; as "
                    f"written {'it' if len(typo) == 1 else 'each'} {verb} nothing: fix the "
                    "spelling",
                )
            )
        if unknown:
            shown = ", ".join(f"'{e}'" for e in unknown[:5])
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            out.append(
                Warning(
                    "allowlist_entry_unknown",
                    f"{where}: {shown}{more} {'matches' if len(unknown) == 1 else 'match'} no "
                    f"model {_release(ctx)} knows; each {verb} only a model of exactly that "
                    "name",
                )
            )
    return out
