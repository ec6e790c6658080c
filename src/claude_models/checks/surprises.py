"""What users report as surprises: configurations that run, but not as their owner thinks."""

from __future__ import annotations

from claude_models import env as E
from claude_models import providers
from claude_models.checks import _catalog as C
from claude_models.registry import FAMILY_ALIASES, Model
from claude_models.resolvers.main import Choice, default_setting
from claude_models.resolvers.policy import is_allowed
from claude_models.resolvers.setting import resolve_setting, split_1m
from claude_models.result import Warning
from claude_models.settings.scopes import Scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from claude_models.diagnostics.collect import Parts
    from claude_models.resolvers.context import Ctx


def check(ctx: Ctx, parts: Parts, found: list[Warning]) -> list[Warning]:
    out: list[Warning] = []
    out += _one_m(ctx)
    out += _subagent_pins(ctx)
    out += _effort_max(ctx)
    out += _allowlist_not_enforced(ctx)
    out += _costs(ctx, parts)
    out += _managed_missing(ctx)
    _side_retirement_fix(ctx, parts, found)
    return out


def _model_of(value: str, ctx: Ctx) -> Model | None:
    base = split_1m(value)[0].lower()
    if base in FAMILY_ALIASES:
        column = "firstParty" if ctx.provider == "gateway" else ctx.provider
        return ctx.reg.get(ctx.reg.aliases[base].target(column))
    return ctx.reg.find(base)


def _one_m(ctx: Ctx) -> list[Warning]:
    """``[1m]`` on some slots whose model takes it, not on others: those silently get 200k."""
    with_1m: list[str] = []
    without: list[str] = []
    snap = ctx.snap
    candidates: list[tuple[str, str]] = [
        (var, v) for var in E.FAMILY_OVERRIDE.values() if (v := E.get(ctx.env, var) or "")
    ]
    if E.get(ctx.env, E.MODEL):
        candidates.append((E.MODEL, E.get(ctx.env, E.MODEL) or ""))
    s = snap.settings.get("model")
    if s is not None and s.value.strip():
        candidates.append((f"settings model ({s.origin})", s.value.strip()))
    if snap.flags.model and snap.flags.model.strip():
        candidates.append(("--model", snap.flags.model.strip()))
    for label, value in candidates:
        model = _model_of(value, ctx)
        if model is None or model.native_1m or not model.beta_1m:
            continue
        (with_1m if split_1m(value)[1] else without).append(f"{label}={value}")
    if not with_1m or not without:
        return []
    return [
        Warning(
            "one_m_partial",
            f"[1m] is on {', '.join(with_1m)} but not on {', '.join(without)}: sessions on "
            "the latter get a 200k context window, not 1M; add [1m] there too (quote it in "
            "a shell: 'sonnet[1m]')",
        )
    ]


def _subagent_pins(ctx: Ctx) -> list[Warning]:
    out: list[Warning] = []
    snap = ctx.snap
    env_model = E.get(ctx.env, E.SUBAGENT_MODEL)
    pinned = (
        sorted(
            (a for a in snap.agents.values() if a.model and a.model.strip().lower() != "inherit"),
            key=lambda a: a.name,
        )
        if env_model
        else []
    )
    if env_model and pinned:
        names = ", ".join(f"'{a.name}' ({a.model}, {a.path})" for a in pinned)
        if E.is_truthy(ctx.env.get(E.SUBAGENT_MODEL_FORCE)):
            msg = (
                f"{E.SUBAGENT_MODEL}={env_model} with {E.SUBAGENT_MODEL_FORCE} overrides the "
                f"model pinned in the frontmatter of {names}: those pins have no effect"
            )
        else:
            msg = (
                f"{E.SUBAGENT_MODEL}={env_model} does not apply to {names}: agent frontmatter "
                f"beats it (set {E.SUBAGENT_MODEL_FORCE}=1 to force it, or remove the pins)"
            )
        out.append(Warning("subagent_model_shadowed", msg))
    if ctx.provider not in providers.FIRST_PARTY_STYLE:
        hits: list[tuple[int, Warning]] = []
        for group in C.agent_groups(snap):  # one look per model value, not per agent
            base = split_1m(group.value)[0]
            if group.value.lower() == "inherit":
                continue
            model = ctx.reg.find(base)
            if model is None or base.lower() not in (model.id, model.first_party_id.lower()):
                continue
            if model.id_on(ctx.provider) is None:
                continue  # ids.py: model_not_on_provider
            wire = resolve_setting(base, ctx, explicit=True).wire
            hits += [
                (
                    at,
                    Warning(
                        "agent_first_party_id",
                        f"agent '{agent.name}' ({agent.path}) pins the first-party id "
                        f"'{base}' on {ctx.provider}; this release sends it as {wire}, but a "
                        "first-party pin is what users report losing on third-party "
                        f"providers: write 'model: {model.family}' (or the {ctx.provider} id "
                        f"{wire})",
                    ),
                )
                for (at, _), agent in zip(group.slots, group.agents, strict=True)
            ]
        out += [w for _, w in sorted(hits, key=lambda h: h[0])]
    return out


def _effort_max(ctx: Ctx) -> list[Warning]:
    out: list[Warning] = []
    for layer in ctx.snap.settings.layers:
        places: list[str] = []
        value = layer.raw.get("effortLevel")
        if isinstance(value, str) and value.strip().lower() == "max":
            places.append("effortLevel")
        ms = layer.raw.get("modelSettings")
        if isinstance(ms, dict):
            for key, entry in ms.items():
                if isinstance(entry, dict) and str(entry.get("effortLevel", "")).lower() == "max":
                    places.append(f"modelSettings.{key}.effortLevel")
        for place in places:
            out.append(
                Warning(
                    "effort_max_in_settings",
                    f"{layer.where}: {place} 'max' is never applied: Claude Code's settings "
                    "take low, medium, high or xhigh and drop max (/effort max is for one "
                    "session and is never saved); use --effort max or "
                    f"{E.EFFORT_LEVEL}=max where a session needs it",
                )
            )
    return out


def _allowlist_not_enforced(ctx: Ctx) -> list[Warning]:
    if ctx.allow is None or not ctx.allow.entries or ctx.enforce:
        return []
    default = resolve_setting(
        default_setting(ctx, Choice(None, "default", None)), ctx, explicit=False
    )
    if is_allowed(default, ctx):
        return []
    return [
        Warning(
            "allowlist_not_enforced",
            f"availableModels ({ctx.allow_origin}) does not contain the default model "
            f"{default.wire}, and enforceAvailableModels is not set: a session that picks "
            f'no model still runs {default.wire}; set "enforceAvailableModels": true in '
            "managed settings to make the list apply to the default too",
        )
    ]


def _price_gap(expensive: Model, cheap: Model) -> str:
    a, b = expensive.pricing, cheap.pricing
    return (
        f"{expensive.display_name} costs {C.price_line(a.input, a.output)}, "
        f"{cheap.display_name} {C.price_line(b.input, b.output)}: "
        f"+{C.money(a.input - b.input)} input and +{C.money(a.output - b.output)} output per "
        "million tokens"
    )


def _costs(ctx: Ctx, parts: Parts) -> list[Warning]:
    out: list[Warning] = []
    side = parts.side
    haiku = _model_of("haiku", ctx)
    if side is not None and side.catalog_id and haiku is not None:
        model = ctx.reg.by_id.get(side.catalog_id)
        # Chosen by a variable, or the main-loop model; not the provider's own sonnet pick
        # on Bedrock/Vertex with no model chosen (Claude Code's design, not a setting).
        chosen = side.source.startswith(("main-loop", E.SMALL_FAST_MODEL, E.DEFAULT_HAIKU_MODEL))
        if (
            model is not None
            and chosen
            and model.family != "haiku"  # an older haiku is still a haiku-slot model
            and model.pricing.input > haiku.pricing.input
        ):
            var = E.SMALL_FAST_MODEL
            out.append(
                Warning(
                    "side_model_expensive",
                    f"background side queries (titles, hooks, WebFetch) run on {side.model} "
                    f"({side.source}); {_price_gap(model, haiku)}; set {var} to a cheaper "
                    f"model such as {providers.spell(haiku, ctx.provider, ctx.env)}",
                )
            )
    main = parts.main.resolved.model
    if main is None:
        return out
    subs: list[tuple[str, str]] = []
    env_model = E.get(ctx.env, E.SUBAGENT_MODEL)
    if env_model and env_model.lower() != "inherit":
        subs.append((f"{E.SUBAGENT_MODEL}={env_model}", env_model))
    # the custom agents, in name order: one look per model value, not per agent
    dear: list[tuple[int, str, str]] = []
    for group in C.agent_groups(ctx.snap):
        if group.value.lower() != "inherit" and _dearer(_model_of(group.value, ctx), main):
            dear += [
                (at, f"agent '{a.name}' ({a.path})", group.value)
                for (at, _), a in zip(group.slots, group.agents, strict=True)
            ]
    subs += [(label, value) for _, label, value in sorted(dear)]
    sub = parts.subagent
    if sub is not None and sub.request is not None and sub.request.setting:
        subs.append((f"the Agent call ({sub.agent_type})", sub.request.setting))
    for label, value in subs:
        model = _model_of(value, ctx)
        if model is not None and _dearer(model, main):
            out.append(
                Warning(
                    "subagent_model_expensive",
                    f"subagents of {label} run on {model.display_name}, dearer than the main "
                    f"loop: {_price_gap(model, main)}",
                )
            )
    return out


def _dearer(model: Model | None, than: Model) -> bool:
    return model is not None and model.pricing.input > than.pricing.input


def _managed_missing(ctx: Ctx) -> list[Warning]:
    layer = ctx.snap.settings.layer(Scope.MANAGED)
    if layer is None or layer.exists:
        return []
    return [
        Warning(
            "managed_policy_missing",
            f"managed policy {layer.where} does not exist: no managed policy is in force "
            "(availableModels, deniedModels and the rest are not applied); check the path",
        )
    ]


def _side_retirement_fix(ctx: Ctx, parts: Parts, found: list[Warning]) -> None:
    """A retired or retiring side-query model is fixed with the side-query variable, not with
    ``--model`` (which does not move side queries)."""
    side = parts.side
    if side is None or side.model == parts.main_req.model:
        return
    var = E.DEFAULT_HAIKU_MODEL if E.DEFAULT_HAIKU_MODEL in side.source else E.SMALL_FAST_MODEL
    for i, w in enumerate(found):
        if w.code in ("model_retired", "model_retiring") and w.message.startswith(side.model):
            msg = w.message.replace(
                "choose a current model with --model or settings model",
                f"side queries use it: set {var} to a current model (--model does not move "
                "side queries)",
            ).replace(
                "plan a move to a current model",
                f"side queries use it: plan a move with {var}",
            )
            found[i] = Warning(w.code, msg, w.severity)
