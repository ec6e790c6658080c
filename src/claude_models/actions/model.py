"""``/model VALUE`` as a pure planner (BEHAVIOUR.md 8d): refusals, messages, the edit saved."""

from __future__ import annotations

from claude_models import env as E
from claude_models._record import replace
from claude_models.actions.outcome import Edit, Outcome, Validator, live_validator
from claude_models.actions.picker import default_model
from claude_models.errors import UsageError
from claude_models.registry import FAMILY_ALIASES
from claude_models.resolvers.context import Ctx, context_of
from claude_models.resolvers.policy import is_allowed, is_denied
from claude_models.resolvers.setting import KNOWN_ALIASES, resolve_setting, split_1m
from claude_models.settings.scopes import Scope
from claude_models.settings.write import DELETE
from claude_models.snapshot import Snapshot

SAVABLE_SCOPES = (Scope.USER, Scope.PROJECT, Scope.LOCAL)


NOT_AVAILABLE = "Model '{model}' is not available. Your organization restricts model selection."


NOT_FOUND = "Model '{model}' not found"


UNRECOGNIZED = (
    'Claude Code doesn\'t recognize the model "{model}", so it assumes a context window of 1m '
    "tokens. If its window is smaller, set CLAUDE_CODE_DISABLE_1M_CONTEXT=1 to work with 200k."
)


SAVED = {
    Scope.USER: "saved as your default for new sessions",
    Scope.PROJECT: "saved as this project's default for new sessions (.claude/settings.json)",
    Scope.LOCAL: "saved as your default in this project (.claude/settings.local.json)",
}


def model_name(setting: str, ctx: Ctx) -> str:
    """How ``/model`` names a setting in its message: ``Haiku 5.5``, ``Opus in plan mode, else
    Sonnet``, the id itself for a model nobody knows."""
    base, one_m = split_1m(setting)
    if base.lower() == "opusplan":
        return "Opus in plan mode, else Sonnet"
    r = resolve_setting(setting, ctx, explicit=False)
    if r.model is None:
        return base
    family = base.lower() if base.lower() in FAMILY_ALIASES else None
    name = (family and E.get(ctx.env, f"{E.FAMILY_OVERRIDE[family]}_NAME")) or r.model.display_name
    return f"{name} (1M context)" if one_m and r.model.beta_1m else name


def is_known(setting: str, ctx: Ctx) -> bool:
    """Known without a probe: an alias, a catalog model in any spelling, a family override
    target, or the ``ANTHROPIC_CUSTOM_MODEL_OPTION`` the admin configured."""
    base, _ = split_1m(setting)
    if base.lower() in KNOWN_ALIASES or ctx.reg.find(base) is not None:
        return True
    configured = {E.get(ctx.env, var) for var in E.FAMILY_OVERRIDE.values()}
    configured.add(E.get(ctx.env, E.CUSTOM_MODEL_OPTION))
    return base in configured


def set_model(
    snap: Snapshot,
    value: str,
    *,
    scope: Scope = Scope.USER,
    validate: Validator | None = None,
) -> Outcome:
    """``/model VALUE``: the session switches and ``model`` is saved as typed in ``scope``;
    ``default`` removes the key. Refused: a model ``availableModels`` or managed
    ``deniedModels`` excludes, and an unknown id the probe does not find. ``validate`` is
    called only for ids the catalog does not know (default: the live probe)."""
    if scope not in SAVABLE_SCOPES:
        raise UsageError(f"--scope: {scope} cannot be written; use user, project or local")
    setting = value.strip()
    if not setting:
        raise UsageError("model set: give a model, an alias such as opus, or default")
    ctx = context_of(snap)
    state = snap.session
    if setting.lower() == "default":
        name = model_name(default_setting_for_message(ctx), ctx)
        return Outcome(
            True,
            f"Set model to {name} (default) and {SAVED[scope]}",
            replace(state, model=None),
            (Edit(scope, ("model",), DELETE),),
        )
    r = resolve_setting(setting, ctx, explicit=True)
    if not is_allowed(r, ctx) or is_denied(r, ctx):
        return Outcome(False, NOT_AVAILABLE.format(model=setting), state)
    notices: tuple[str, ...] = ()
    if not is_known(setting, ctx):
        result = (validate or live_validator())(snap, split_1m(setting)[0])
        if result.verdict == "not_found":
            return Outcome(False, NOT_FOUND.format(model=setting), state)
        if result.verdict != "available":
            detail = result.message or result.verdict
            return Outcome(False, f"Model '{setting}' could not be validated: {detail}", state)
        notices = (UNRECOGNIZED.format(model=split_1m(setting)[0]),)
    return Outcome(
        True,
        f"Set model to {model_name(setting, ctx)} and {SAVED[scope]}",
        replace(state, model=setting),
        (Edit(scope, ("model",), setting),),
        notices,
    )


def default_setting_for_message(ctx: Ctx) -> str:

    wire, _ = default_model(ctx)
    return wire
