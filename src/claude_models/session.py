"""``/model``, ``/effort`` and ``/fast`` as a library: what each does to the session state and
the settings, and the message Claude Code prints (BEHAVIOUR.md 8d, seed lesson 6 and 7).

The planning functions are pure: :func:`set_model`, :func:`set_effort` and :func:`set_fast`
take a :class:`~.snapshot.Snapshot` and return an :class:`Outcome` (ok, message, notices, the
new :class:`~.snapshot.SessionState`, and the settings :class:`Edit` list to persist).
:func:`persist` writes edits through :mod:`.settings.write`. :class:`Session` strings them
together for an agent that keeps one session going::

    s = Session(load_snapshot(Flags()))
    print(s.model("sonnet").message)   # saved, and the session runs Sonnet 5.5
    s.effort("max")                    # this session only
    resolve(s.snapshot)                # what the next request would carry
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

from claude_models import env as E
from claude_models import providers
from claude_models._record import record, replace
from claude_models.account import is_subscriber
from claude_models.errors import UsageError
from claude_models.registry import FAMILY_ALIASES, registry, registry_of
from claude_models.selection import (
    Ctx,
    is_allowed,
    is_denied,
    resolve_setting,
    select_main,
    split_1m,
)
from claude_models.settings.layers import Layer, Settings
from claude_models.settings.load import (
    local_settings_path,
    project_settings_path,
    user_settings_path,
)
from claude_models.settings.scopes import Scope
from claude_models.settings.write import DELETE, WriteResult, apply_path, update_json_file
from claude_models.snapshot import SessionState, Snapshot

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
# Aliases the catalog resolves without a probe (besides the four family aliases).
KNOWN_ALIASES = frozenset({"best", "default", "opusplan", *FAMILY_ALIASES})

EFFORT_OPTIONS = "low, medium, high, xhigh, max, auto, ultracode [on|off]"
EFFORT_DESCRIPTIONS = {
    "low": "Quick, straightforward implementation with minimal overhead",
    "medium": "Balanced approach with standard implementation and testing",
    "high": "Comprehensive implementation with extensive testing and documentation",
    "xhigh": "Deeper reasoning than high, just below maximum (on supported models)",
    "max": "Maximum capability with deepest reasoning. May use excessive tokens resulting in "
    "long response times or overthinking. Use sparingly for the hardest tasks.",
}
SAVED_EFFORTS = ("low", "medium", "high", "xhigh")

FAST_HEADER = (
    "High-speed mode for {name}. Draws from usage credits at a higher rate. "
    "Separate rate limits apply."
)
FAST_UNAVAILABLE = "Fast mode is currently unavailable"
FAST_NOT_ON_PROVIDER = "Fast mode is not available on this provider"


@record
class Edit:
    """One settings change: set ``keys`` (a path into the JSON object) to ``value``, or remove
    it when ``value`` is :data:`~.settings.write.DELETE`."""

    scope: Scope
    keys: tuple[str, ...]
    value: Any

    def describe(self) -> str:
        dotted = ".".join(self.keys)
        return (
            f"{self.scope}: remove {dotted}" if self.value is DELETE else f"{dotted}={self.value!r}"
        )


@record
class Outcome:
    ok: bool  # False: Claude Code refuses (exit status 1), nothing saved
    message: str
    state: SessionState
    edits: tuple[Edit, ...] = ()
    notices: tuple[str, ...] = ()


class ProbeResultLike(Protocol):
    @property
    def verdict(self) -> str: ...
    @property
    def message(self) -> str: ...


Validator = Callable[[Snapshot, str], ProbeResultLike]


def live_validator() -> Validator:
    """The one-shot probe (``claude_models.live.probe.validate_model``), imported lazily."""
    try:
        probe = importlib.import_module("claude_models.live.probe")
    except ImportError:
        raise UsageError(
            "validating an unknown model id needs the live probe (claude_models.live.probe), "
            "which this installation lacks; pick a catalog model or alias"
        ) from None
    validator: Validator = probe.validate_model
    return validator


def _ctx(snap: Snapshot) -> Ctx:
    return Ctx.build(snap, registry_of(snap))


# -- /model -------------------------------------------------------------------------------------


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
    ctx = _ctx(snap)
    state = snap.session
    if setting.lower() == "default":
        name = model_name(_default_setting(ctx), ctx)
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


def _default_setting(ctx: Ctx) -> str:
    from claude_models.picker import default_model

    wire, _ = default_model(ctx)
    return wire


# -- /effort ------------------------------------------------------------------------------------


def effort_key(snap: Snapshot) -> str:
    """The ``modelSettings`` key ``/effort`` saves under: the running model's catalog id
    (``claude-haiku-4-5``, not the dated first-party id); the id itself for unknown models."""
    ctx = _ctx(snap)
    r = select_main(ctx).resolved
    return r.model.id if r.model is not None else r.wire


def set_effort(snap: Snapshot, level: str) -> Outcome:
    """``/effort LEVEL`` for the model the session runs now.

    low, medium, high, xhigh: saved under ``modelSettings.<catalog id>.effortLevel`` in user
    settings (even for a model without effort support); max: this session only; auto: the
    saved level is removed (the model's entry stays as ``{}``); anything else is refused.
    With ``CLAUDE_CODE_EFFORT_LEVEL`` set to another level the value is still saved and the
    message says the variable wins for now."""
    words = level.strip().lower().split()
    state = snap.session
    if (
        not words
        or words[0] not in (*EFFORT_DESCRIPTIONS, "auto", "ultracode")
        or (words[0] != "ultracode" and len(words) > 1)
    ):
        return Outcome(False, f"Unknown option: {level.strip()}. Options: {EFFORT_OPTIONS}", state)
    word = words[0]
    if word == "ultracode":
        return Outcome(
            False,
            "ultracode is an interactive Claude Code mode that claude-models does not model; "
            "nothing was changed",
            state,
        )
    key = effort_key(snap)
    path = ("modelSettings", key, "effortLevel")
    if word == "auto":
        return Outcome(
            True,
            "Effort level set to auto",
            replace(state, effort="auto"),
            (Edit(Scope.USER, path, DELETE),),
        )
    if word == "max":
        message = f"Set effort level to max (this session only): {EFFORT_DESCRIPTIONS['max']}"
        edits: tuple[Edit, ...] = ()
    else:
        message = (
            f"Set effort level to {word} (saved as your default for new sessions): "
            f"{EFFORT_DESCRIPTIONS[word]}"
        )
        edits = (Edit(Scope.USER, path, word),)
    env_level = E.get(snap.env, E.EFFORT_LEVEL)
    if env_level is not None and env_level.lower() != word:
        message = (
            f"{E.EFFORT_LEVEL}={env_level} overrides this session — clear it and {word} takes over"
        )
    return Outcome(True, message, replace(state, effort=word), edits)


# -- /fast --------------------------------------------------------------------------------------


def fast_unavailable(snap: Snapshot) -> tuple[str | None, bool]:
    """Why ``/fast`` cannot turn fast mode on here (``None``: it can), and whether the panel
    with its header opens at all (it does not on a provider without fast mode). First match:

    1. ``CLAUDE_CODE_DISABLE_FAST_MODE``
    2. not first party (Vertex outside global/us/eu included): not available on this provider
    3. ``availableModels`` / managed ``deniedModels`` exclude the fast-mode model
    4. an unknown subscription tier: a paid subscription is required (fails closed)
    5. a subscriber without extra usage billing
    6. the organisation's fast-mode status (``penguinModeOrgEnabled`` in ``~/.claude.json``,
       absent on a fresh install): currently unavailable
    """
    ctx = _ctx(snap)
    if E.is_truthy(ctx.env.get(E.DISABLE_FAST_MODE)):
        return f"Fast mode is disabled by {E.DISABLE_FAST_MODE}", True
    if ctx.provider not in providers.ACTS_AS_FIRST_PARTY:
        return FAST_NOT_ON_PROVIDER, False
    fm = resolve_setting(ctx.reg.fast_mode_model, ctx, explicit=False)
    if not is_allowed(fm, ctx) or is_denied(fm, ctx):
        return "Fast mode is not available: your organization restricts model selection", True
    tier = snap.subscription
    if tier == "unknown":
        return "Fast mode requires a paid subscription", True
    if is_subscriber(tier) and not snap.account.extra_usage:
        return "Fast mode requires extra usage billing", True
    if not snap.account.fast_mode_org_enabled:
        return FAST_UNAVAILABLE, True
    return None, True


def fast_header(snap: Snapshot) -> str:
    return FAST_HEADER.format(name=registry().get(registry().fast_mode_model).display_name)


def set_fast(snap: Snapshot, on: bool, *, save_model_switch: bool = False) -> Outcome:
    """``/fast on|off``. On: refused where fast mode is unavailable; saves ``fastMode: true``
    and switches the session to the fast-mode model only when the current model does not
    support fast mode (``save_model_switch`` also saves that model as the default, for the
    command line, where there is no session to keep it). Off: always saves ``fastMode:
    false``."""
    state = snap.session
    if not on:
        return Outcome(
            True,
            "Fast mode OFF",
            replace(state, fast_mode=False),
            (Edit(Scope.USER, ("fastMode",), False),),
        )
    why, panel = fast_unavailable(snap)
    if why is not None:
        return Outcome(False, f"{fast_header(snap)}\n{why}" if panel else why, state)
    ctx = _ctx(snap)
    current = select_main(ctx).resolved
    edits = [Edit(Scope.USER, ("fastMode",), True)]
    new_state = replace(state, fast_mode=True)
    message = "Fast mode ON"
    if current.model is None or not current.model.supports("fast_mode"):
        fast_model = ctx.reg.get(ctx.reg.fast_mode_model)
        new_state = replace(new_state, model=fast_model.family)
        message += f" · model set to {fast_model.display_name}"
        if save_model_switch:
            edits.append(Edit(Scope.USER, ("model",), fast_model.family))
    cooling = cooldown_message(new_state, snap.now)
    if cooling:
        message += f" · {cooling}"
    return Outcome(True, message, new_state, tuple(edits))


def start_cooldown(state: SessionState, until: float) -> SessionState:
    """Fast mode hit its limit or the service is overloaded: cooling down until ``until``."""
    return replace(state, fast_cooldown_until=until)


def clear_cooldown(state: SessionState) -> SessionState:
    return replace(state, fast_cooldown_until=None)


def cooldown_message(state: SessionState, now: float | None) -> str | None:
    """``fast mode cooling down · resets in 12 minutes``; ``None`` when not cooling down."""
    until = state.fast_cooldown_until
    if until is None or now is None or now >= until:
        return None
    minutes = max(1, math.ceil((until - now) / 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"fast mode cooling down · resets in {minutes} {unit}"


# -- persisting ---------------------------------------------------------------------------------


def scope_path(snap: Snapshot, scope: Scope) -> Path:
    if scope is Scope.USER:
        return user_settings_path(snap.env)
    cwd = Path(snap.cwd) if snap.cwd else Path.cwd()
    if scope is Scope.PROJECT:
        return project_settings_path(cwd)
    if scope is Scope.LOCAL:
        return local_settings_path(cwd)
    raise UsageError(f"{scope} settings are never written by claude-models")


def persist(snap: Snapshot, edits: Sequence[Edit]) -> list[WriteResult]:
    """Write ``edits``, one locked read-modify-write per file."""
    by_scope: dict[Scope, list[Edit]] = {}
    for e in edits:
        by_scope.setdefault(e.scope, []).append(e)
    out = []
    for scope, group in by_scope.items():

        def change(data: dict[str, Any], group: list[Edit] = group) -> dict[str, Any]:
            for e in group:
                apply_path(data, e.keys, e.value)
            return data

        out.append(update_json_file(scope_path(snap, scope), change, what=f"{scope} settings"))
    return out


def with_written(
    snap: Snapshot, results: Sequence[WriteResult], scopes: Sequence[Scope]
) -> Snapshot:
    """The snapshot with the written files' new contents as its layers."""
    layers = {la.scope: la for la in snap.settings.layers}
    for r, scope in zip(results, scopes, strict=True):
        layers[scope] = Layer.parse(scope, str(r.path), r.after)
    settings = Settings(tuple(layers.values()), session=snap.settings.session)
    return replace(snap, settings=settings)


class Session:
    """A running session for agents: each command updates the state, persists its edits
    (unless ``persist=False``) and keeps :attr:`snapshot` current for :func:`~.resolve`."""

    def __init__(self, snapshot: Snapshot, *, save: bool = True) -> None:
        self.snapshot = snapshot
        self.save = save

    def _apply(self, out: Outcome) -> Outcome:
        if not out.ok:
            return out
        snap = replace(self.snapshot, session=out.state)
        if self.save and out.edits:
            scopes = list(dict.fromkeys(e.scope for e in out.edits))
            snap = with_written(snap, persist(snap, out.edits), scopes)
        self.snapshot = snap
        return out

    def model(
        self, value: str, *, scope: Scope = Scope.USER, validate: Validator | None = None
    ) -> Outcome:
        return self._apply(set_model(self.snapshot, value, scope=scope, validate=validate))

    def effort(self, level: str) -> Outcome:
        return self._apply(set_effort(self.snapshot, level))

    def fast(self, on: bool) -> Outcome:
        return self._apply(set_fast(self.snapshot, on))

    def cooldown(self, until: float) -> None:
        state = start_cooldown(self.snapshot.session, until)
        self.snapshot = replace(self.snapshot, session=state)

    def clear_cooldown(self) -> None:
        state = clear_cooldown(self.snapshot.session)
        self.snapshot = replace(self.snapshot, session=state)
