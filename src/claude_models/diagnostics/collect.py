"""Warnings: what a careful admin would want to know about a configuration.

Each code is stable (scripts match on it) and each message names the file, key or variable
and what to do. :data:`CODES` is the catalogue; :func:`collect` computes the warnings of one
resolution. No message ever contains a secret: only variable *names* of secrets appear.
"""

from __future__ import annotations

from collections.abc import Mapping

from claude_models import checks
from claude_models import env as E
from claude_models._date import date
from claude_models._record import record
from claude_models.decision import Decisions
from claude_models.providers import SWITCHES
from claude_models.registry import Model
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.effort import (
    EFFORT_VALUES,
    EffortPick,
    model_settings_effort,
    valid_effort,
)
from claude_models.resolvers.main import MainSelection
from claude_models.resolvers.policy import policy_block
from claude_models.resolvers.setting import KNOWN_ALIASES, split_1m
from claude_models.result import Request, SideQuery, Subagent, Warning
from claude_models.settings.scopes import Scope
from claude_models.shaping import parse_positive_int

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

CODES: Final[dict[str, str]] = {
    "settings_unusable": "a settings file is not JSON, not an object, or cannot be read",
    "settings_wrong_type": "a settings key has the wrong type and is ignored",
    "settings_unknown_key": "a settings key Claude Code does not know (kept, not used)",
    "env_invalid_value": "an environment variable holds a value that is ignored",
    "effort_invalid": "an effort value that is not a level is ignored",
    "setting_ignored_in_scope": "a setting that is ignored where it stands",
    "model_replaced_by_default": "an explicit model choice was silently replaced by the default",
    "allowlist_excludes_model": "availableModels does not contain the model actually used",
    "side_on_main_model": "side queries run on the (expensive) main-loop model",
    "haiku_alias_sent_literally": "ANTHROPIC_DEFAULT_HAIKU_MODEL holds an alias, sent literally",
    "effort_clamped": "the requested effort was lowered for this model",
    "effort_dropped": "the requested effort is not sent: the model takes no effort",
    "env_overrides_setting": "an environment variable overrides a settings value",
    "model_retired": "the model is past its retirement date on this provider",
    "model_retiring": "the model retires within 90 days on this provider",
    "unknown_model": "a model id nobody knows is sent verbatim",
    "subagent_model_replaced": "a subagent's model request was replaced by the parent's model",
    "subagent_call_rejected": "the Agent tool call would be rejected and no subagent would run",
    "skill_model_replaced": "a skill's model override is not allowed; the session's model runs",
    "legacy_model_remapped": "a retired Opus id is silently sent as the latest Opus",
    "provider_alias_quirk": "this provider maps an alias to an unexpected model",
    "fallback_models_truncated": "more than three fallback models: the rest are never tried",
    "fallback_model_dropped": "a fallback model managed policy rules out is never tried",
    "model_override_not_applied": "a modelOverrides target managed policy rules out: not applied",
    "load_problem": "something could not be read while building the snapshot",
    # the release modelled (claude_models.installed / releases; added by the resolver)
    "claude_code_release": "the modelled Claude Code release is not the installed one, or the "
    "installed claude could not be read",
    "unmeasured_variable": "a variable the release reads whose effect was not measured is set",
}


RETIRING_SOON_DAYS: Final = 90


@record
class Parts:
    """What the resolver computed, handed to :func:`collect`."""

    main: MainSelection
    main_req: Request
    main_effort: EffortPick
    requested_effort: str | None  # the level that was picked before clamping
    side: SideQuery | None
    subagent: Subagent | None
    fallback_count: int
    fallback_names: tuple[str, ...] = ()  # the settings as given (at most three)
    fallback_wires: tuple[str, ...] = ()  # the same, resolved to wire ids
    fallback_dropped: tuple[tuple[str, str], ...] = ()  # (name, policy entry): never tried
    skill: Request | None = None
    skill_replaced: str | None = None
    decisions: Decisions | None = None  # every chain's decision (match on their steps)


def _w(code: str, message: str) -> Warning:
    return Warning(code, message)


def collect(ctx: Ctx, parts: Parts) -> tuple[Warning, ...]:
    out: list[Warning] = []
    snap = ctx.snap
    st = snap.settings
    for p in snap.problems:
        out.append(_w("load_problem", p))
    for layer in st.layers:
        for p in layer.problems:
            # a layer that kept values has bad keys; one with none could not be used at all
            code = "settings_wrong_type" if layer.raw else "settings_unusable"
            out.append(_w(code, p))
        for key in layer.unknown_keys:
            out.append(
                _w(
                    "settings_unknown_key",
                    f"{layer.where}: key '{key}' is not a Claude Code setting; kept as is, "
                    "not used (check its spelling)",
                )
            )
    out += _scope_warnings(ctx)
    out += _env_value_warnings(ctx)
    out += _model_warnings(ctx, parts)
    out += _effort_warnings(ctx, parts)
    out += _side_warnings(ctx, parts)
    out += _role_warnings(ctx, parts)
    out += _policy_warnings(ctx, parts)
    if parts.fallback_count > 3:
        out.append(
            _w(
                "fallback_models_truncated",
                f"{parts.fallback_count} fallback models given; Claude Code tries at most "
                "3, the rest are never reached",
            )
        )
    return checks.finish(ctx, parts, out)  # issue 16's checks, and each code's severity


def _policy_warnings(ctx: Ctx, parts: Parts) -> list[Warning]:
    """Knobs managed policy overrules (CHANGES.md, "Managed policy against the other knobs"):
    modelOverrides entries whose target policy rules out, dropped fallback models."""
    out: list[Warning] = []
    overrides = ctx.snap.settings.merged("modelOverrides")
    for key, s in overrides.items():
        model = ctx.reg.find(key)
        if model is None or model.first_party_id != key:
            continue  # keyed by anything but a first-party id: never applied at all
        target, _ = split_1m(s.value)
        why = policy_block(ctx, (target,), ctx.reg.find(target))
        if why is not None:
            out.append(
                _w(
                    "model_override_not_applied",
                    f"modelOverrides '{key}' -> '{s.value}' ({s.origin}) is not applied: "
                    f"{why} rules out its target; {key} runs as it is",
                )
            )
    for name, why in parts.fallback_dropped:
        out.append(
            _w(
                "fallback_model_dropped",
                f"fallback model '{name}' is never tried: {why} rules it out (remove it "
                "from --fallback-model / fallbackModel)",
            )
        )
    return out


def _role_warnings(ctx: Ctx, parts: Parts) -> list[Warning]:
    """Subagent, skill and fallback models: replaced, rejected, unknown or retiring."""
    out: list[Warning] = []
    sub = parts.subagent
    if sub is not None and sub.replaced and sub.request is not None:
        out.append(
            _w(
                "subagent_model_replaced",
                f"the Agent call ({sub.agent_type}) asked for '{sub.replaced}', which "
                f"availableModels ({ctx.allow_origin or '-'}) or managed deniedModels exclude; "
                f"the subagent silently runs the parent's {sub.request.model} (allow the "
                "model, or change the agent's model)",
            )
        )
    if sub is not None and sub.request is None and sub.error:
        out.append(
            _w(
                "subagent_call_rejected",
                f"the Agent call ({sub.agent_type}) would be rejected: {sub.error}",
            )
        )
    if parts.skill_replaced and parts.skill is not None:
        out.append(
            _w(
                "skill_model_replaced",
                f"the skill's model '{parts.skill_replaced}' is excluded by availableModels "
                f"({ctx.allow_origin or '-'}) or managed deniedModels; the skill runs the "
                f"session's {parts.skill.model} (allow it, or change the SKILL.md model)",
            )
        )
    for name, wire in zip(parts.fallback_names, parts.fallback_wires, strict=False):
        base = split_1m(name)[0]
        if ctx.reg.find(wire) is None and not _is_arn(wire) and base.lower() not in KNOWN_ALIASES:
            out.append(
                _w(
                    "unknown_model",
                    f"fallback model '{base}' is not a model Claude Code knows; it is sent "
                    f"verbatim{_suggest(base, ctx)}",
                )
            )
    seen = {parts.main_req.model}
    others: list[str] = []
    if parts.side is not None:
        others.append(parts.side.model)
    if sub is not None and sub.request is not None:
        others.append(sub.request.model)
    if parts.skill is not None:
        others.append(parts.skill.model)
    others += parts.fallback_wires
    for wire in others:
        if wire in seen:
            continue
        seen.add(wire)
        out += _retirement(ctx, ctx.reg.find(wire), wire, ctx.snap.today)
    return out


def _scope_warnings(ctx: Ctx) -> list[Warning]:
    out: list[Warning] = []
    st = ctx.snap.settings
    for s in st.everywhere("deniedModels"):
        if s.scope != Scope.MANAGED:
            out.append(
                _w(
                    "setting_ignored_in_scope",
                    f"{s.path}: deniedModels is honoured only from managed policy; this "
                    f"{s.scope} value has no effect (move it to managed-settings.json)",
                )
            )
    if ctx.snap.flags.print_mode:
        user = st.layer(Scope.USER)
        if user is not None and "effortLevel" in user.valid:
            out.append(
                _w(
                    "setting_ignored_in_scope",
                    f"{user.where}: user effortLevel is ignored in print mode (-p); use "
                    "--effort, CLAUDE_CODE_EFFORT_LEVEL or modelSettings.<id>.effortLevel",
                )
            )
        for s in st.everywhere("fastMode"):
            if s.scope != Scope.FLAG and s.value:
                out.append(
                    _w(
                        "setting_ignored_in_scope",
                        f"{s.path}: fastMode from {s.scope} settings is ignored in print "
                        "mode; only --settings '{\"fastMode\": true}' opts in",
                    )
                )
    return out


def _env_value_warnings(ctx: Ctx) -> list[Warning]:
    out: list[Warning] = []
    env = ctx.env
    for var in (E.MAX_OUTPUT_TOKENS, E.MAX_THINKING_TOKENS):
        raw = env.get(var)
        if raw is not None and raw.strip() and parse_positive_int(raw) is None:
            out.append(
                _w("env_invalid_value", f"{var}={raw!r} is not a whole number; it is ignored")
            )
    for var in (E.EFFORT_LEVEL, E.SUBAGENT_EFFORT):
        raw = env.get(var)
        if raw is not None and raw.strip() and valid_effort(raw) is None:
            out.append(
                _w(
                    "effort_invalid",
                    f"{var}={raw!r} is not an effort level ({', '.join(EFFORT_VALUES)}); "
                    "it is ignored",
                )
            )
    if ctx.provider_source is None:
        for var, _ in SWITCHES:
            raw = env.get(var)
            if (
                raw is not None
                and raw.strip()
                and raw.strip().lower() not in ("0", "false", "no", "off")
            ):
                out.append(
                    _w(
                        "env_invalid_value",
                        f"{var}={raw!r} is not 1/true; the provider stays first party",
                    )
                )
    return out


def _suggest(name: str, ctx: Ctx) -> str:
    ids: list[str] = []
    for m in ctx.reg.models:
        ids.append(m.id)
        ids += [i for i in m.ids.values() if i]
    ids += ["opus", "sonnet", "haiku", "fable", "opusplan", "best", "default"]
    import difflib  # only when an unknown id needs a suggestion

    close = difflib.get_close_matches(name, ids, n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""


def _model_warnings(ctx: Ctx, parts: Parts) -> list[Warning]:
    out: list[Warning] = []
    sel = parts.main
    r = sel.resolved
    req = parts.main_req
    if sel.requested is not None:
        # sel.why, not the final step: an enforced list then re-points the default
        what = (
            "is not in availableModels"
            if sel.why == "not_allowed"
            else "is in managed deniedModels"
        )
        out.append(
            _w(
                "model_replaced_by_default",
                f"{sel.requested.source} asks for '{sel.requested.setting}', which {what} "
                f"({ctx.allow_origin or 'managed policy'}); Claude Code silently runs "
                f"{req.model} instead",
            )
        )
    if ctx.allow is not None and not ctx.allow.allows(r.names, r.model):
        out.append(
            _w(
                "allowlist_excludes_model",
                f"availableModels ({ctx.allow_origin}) does not contain {req.model}, the "
                "model this session actually runs",
            )
        )
    if r.model is None and r.via == "id" and not _is_arn(r.wire):
        out.append(
            _w(
                "unknown_model",
                f"'{split_1m(r.typed)[0]}' is not a model Claude Code knows; it is sent "
                f"verbatim with max_tokens {req.max_tokens} and an assumed 1M window"
                f"{_suggest(split_1m(r.typed)[0], ctx)}",
            )
        )
    if r.via == "remap":
        out.append(
            _w(
                "legacy_model_remapped",
                f"'{r.typed}' is retired; Claude Code sends {req.model} instead (set "
                f"{E.DISABLE_LEGACY_MODEL_REMAP}=1 to send it as is)",
            )
        )
    env_model = E.get(ctx.env, E.MODEL)
    s_model = ctx.snap.settings.get("model")
    if sel.choice.step == "env" and s_model is not None and env_model:
        out.append(
            _w(
                "env_overrides_setting",
                f"ANTHROPIC_MODEL={env_model} overrides settings model "
                f"'{s_model.value}' ({s_model.origin})",
            )
        )
    quirk: Mapping[str, str] = ctx.reg.alias_quirks.get(ctx.provider, {})
    typed = split_1m(r.typed)[0].lower()
    if typed in quirk:
        out.append(
            _w(
                "provider_alias_quirk",
                f"on {ctx.provider}, '{typed}' resolves to {req.model} (observed in Claude "
                "Code 2.1.328); pin ANTHROPIC_DEFAULT_SONNET_MODEL to choose",
            )
        )
    out += _retirement(ctx, r.model or ctx.reg.find(req.model), req.model, ctx.snap.today)
    return out


def _is_arn(wire: str) -> bool:
    return wire.lower().startswith("arn:")


def _retirement(ctx: Ctx, model: Model | None, wire: str, today: date) -> list[Warning]:
    dep = ctx.reg.deprecation_for(model.id if model else wire)
    if dep is None:
        return []
    when = dep.retirement.get(ctx.provider)
    if when is None:
        return []
    days = (when - today).days
    if days < 0:
        return [
            _w(
                "model_retired",
                f"{wire} ({dep.name}) retired on {ctx.provider} on {when.isoformat()}; "
                "requests will fail: choose a current model with --model or settings model",
            )
        ]
    if days <= RETIRING_SOON_DAYS:
        return [
            _w(
                "model_retiring",
                f"{wire} ({dep.name}) retires on {ctx.provider} on {when.isoformat()} "
                f"({days} days); plan a move to a current model",
            )
        ]
    return []


def _effort_warnings(ctx: Ctx, parts: Parts) -> list[Warning]:
    out: list[Warning] = []
    pick = parts.main_effort
    for where, value in pick.garbage:
        if where not in (E.EFFORT_LEVEL,):
            out.append(
                _w(
                    "effort_invalid",
                    f"{where}: {value!r} is not an effort level ({', '.join(EFFORT_VALUES)}); "
                    "it is ignored",
                )
            )
    asked = parts.requested_effort
    sent = parts.main_req.effort
    if asked and asked not in ("auto", sent):
        name = parts.main_req.model
        if sent is None:
            out.append(
                _w(
                    "effort_dropped",
                    f"effort '{asked}' from {pick.source} is not sent: {name} takes no "
                    "effort parameter",
                )
            )
        else:
            out.append(
                _w(
                    "effort_clamped",
                    f"effort '{asked}' from {pick.source} is sent as '{sent}': {name} does "
                    f"not support {asked}",
                )
            )
    env_effort = valid_effort(ctx.env.get(E.EFFORT_LEVEL))
    if env_effort and pick.step == "env":
        shadowed = []
        if ctx.snap.flags.effort:
            shadowed.append(f"--effort {ctx.snap.flags.effort}")
        s = ctx.snap.settings.get("effortLevel")
        if s is not None:
            shadowed.append(f"effortLevel '{s.value}' ({s.origin})")
        ms = model_settings_effort(parts.main.resolved, ctx)
        if ms is not None:
            shadowed.append(f"{ms[1]} '{ms[2]}'")
        if shadowed:
            out.append(
                _w(
                    "env_overrides_setting",
                    f"CLAUDE_CODE_EFFORT_LEVEL={env_effort} overrides {' and '.join(shadowed)}",
                )
            )
    return out


def _side_warnings(ctx: Ctx, parts: Parts) -> list[Warning]:
    out: list[Warning] = []
    side = parts.side
    if side is None:
        return out
    main_model = parts.main.resolved.model
    cheap_main = main_model is not None and main_model.family == "haiku"
    side_step = parts.decisions.side.step if parts.decisions else None
    if side_step in ("main_loop", "denied") and not cheap_main:
        why = {
            "firstParty": "a custom ANTHROPIC_BASE_URL with an auth token or a non-console key",
            "foundry": "Foundry always uses the main-loop model",
            "mantle": "Mantle always uses the main-loop model",
        }.get(ctx.provider, "an explicit main model on a third-party provider")
        if side_step == "denied":
            why = "managed deniedModels covers the small/fast model"
        out.append(
            _w(
                "side_on_main_model",
                f"background side queries (hooks, WebFetch, titles) run on the main-loop "
                f"model {side.model} because of {why}; set "
                f"{E.DEFAULT_HAIKU_MODEL} to a cheaper model",
            )
        )
    haiku = E.get(ctx.env, E.DEFAULT_HAIKU_MODEL)
    if (
        haiku
        and ctx.provider not in ("firstParty", "gateway")
        and split_1m(haiku)[0].lower() in ("haiku", "sonnet", "opus", "fable")
    ):
        out.append(
            _w(
                "haiku_alias_sent_literally",
                f"{E.DEFAULT_HAIKU_MODEL}={haiku} is an alias; on {ctx.provider} it is sent "
                f"literally as the model id '{haiku}'; set a full {ctx.provider} model id",
            )
        )
    return out
