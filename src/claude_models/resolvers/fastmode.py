"""Fast mode: ONE gate for ``resolve``, ``explain`` and ``/fast on`` (BEHAVIOUR.md 8 and 8d).

:data:`GATE` is the table; the first row whose check fails decides. ``resolve`` walks the rows
marked for it, ``/fast on`` (:func:`command_refusal`) the rows marked for the command, so the
two can never disagree on a row they share:

====================  ==================================  =========================  =======
step                  blocks when                         reason (resolve)           used by
====================  ==================================  =========================  =======
disabled_by_env       ``CLAUDE_CODE_DISABLE_FAST_MODE``   ``disabled_by_env``        both
provider              Bedrock, Foundry, Mantle, ...       ``not_first_party``        both
vertex_location       Vertex outside global, us, eu       ``disabled_by_env``        both
model_not_allowed     availableModels / managed           ``model_not_allowed``      both
                      deniedModels exclude Opus 5.5
tier_unknown          a subscriber of unknown tier        ``paid_subscription_...``  both
managed_off           managed ``fastMode: false``         ``preference``             both
extra_usage           a subscriber without extra usage    (not modelled)             /fast
org_disabled          ``penguinModeOrgEnabled`` unset     (not modelled)             /fast
opt_in                not opted in (print mode: only      ``sdk_opt_in_required``    resolve
                      flag settings ``fastMode: true``)
cooldown              a cooldown still running            ``cooldown``               resolve
====================  ==================================  =========================  =======

After the gate, the main-loop model decides: one that supports fast mode runs ``on``;
otherwise ``off`` with no reason. The /fast-only rows are the server-side answers Claude Code
gets for the command (docs/decisions/writes.md); ``resolve`` reports what the configuration
allows (docs/DECISIONS.md).
"""

from __future__ import annotations

from collections.abc import Callable

from claude_models import env as E
from claude_models import providers
from claude_models._record import record
from claude_models.account import is_subscriber
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.policy import is_allowed, is_denied
from claude_models.resolvers.setting import Resolved, resolve_setting
from claude_models.result import FastMode
from claude_models.settings.scopes import Scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final, Literal

    from claude_models.kinds import FastStep as FastStep
    from claude_models.kinds import Used as Used


def __getattr__(name: str) -> object:
    """``FastStep`` and ``Used``: now in :mod:`claude_models.kinds`."""
    if name in ("FastStep", "Used"):
        from claude_models import kinds

        return getattr(kinds, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


VERTEX_FAST_LOCATIONS = ("global", "us", "eu")


@record
class Block:
    """A gate row that failed: the row's step and reason, and the sentences it gives."""

    step: FastStep
    reason: str | None  # resolve's ``fast_mode.reason``
    why: str  # for explain (``fast_mode.detail``)
    command: str  # what ``/fast on`` prints
    panel: bool  # ``/fast`` shows its panel header above ``command``


@record
class Row:
    step: FastStep
    used: Used
    check: Callable[[Ctx, float | None], Block | None]


def _disabled(ctx: Ctx, now: float | None) -> Block | None:
    if not E.is_truthy(ctx.env.get(E.DISABLE_FAST_MODE)):
        return None
    return Block(
        "disabled_by_env",
        "disabled_by_env",
        f"{E.DISABLE_FAST_MODE} is set",
        f"Fast mode is disabled by {E.DISABLE_FAST_MODE}",
        True,
    )


NOT_ON_PROVIDER: Final = "Fast mode is not available on this provider"


def _provider(ctx: Ctx, now: float | None) -> Block | None:
    if ctx.provider in providers.ACTS_AS_FIRST_PARTY or ctx.provider == "vertex":
        return None
    return Block(
        "provider",
        "not_first_party",
        f"fast mode is first-party only; this session uses {ctx.provider}",
        NOT_ON_PROVIDER,
        False,
    )


def _vertex_location(ctx: Ctx, now: float | None) -> Block | None:
    if ctx.provider != "vertex":
        return None
    loc, _ = providers.region("vertex", ctx.reg.get(ctx.reg.fast_mode_model), ctx.env)
    if (loc or "").lower() in VERTEX_FAST_LOCATIONS:
        return None
    return Block(
        "vertex_location",
        "disabled_by_env",
        f"Vertex location {loc} has no fast mode (needs global, us or eu)",
        NOT_ON_PROVIDER,
        False,
    )


def _model_allowed(ctx: Ctx, now: float | None) -> Block | None:
    fast_model = ctx.reg.get(ctx.reg.fast_mode_model)
    fm = resolve_setting(fast_model.id, ctx, explicit=False)
    if not is_allowed(fm, ctx) or is_denied(fm, ctx):
        return Block(
            "model_not_allowed",
            "model_not_allowed",
            f"{fast_model.display_name}, the fast-mode model, is not allowed here",
            "Fast mode is not available: your organization restricts model selection",
            True,
        )
    if ctx.allow is None:
        return None
    # BEHAVIOUR.md 3: the default is never filtered, and fast mode then says model_not_allowed
    # (measured with the default re-pointed by its pin: ls_default_pin_sonnetword_opus_list)
    from claude_models.resolvers.main import select_main  # main imports this module's peers

    main = select_main(ctx).resolved
    if ctx.allow.allows((main.wire,), main.model):  # the model it runs, not the alias typed
        return None
    return Block(
        "model_not_allowed",
        "model_not_allowed",
        f"{main.wire}, the default the main loop runs, is not in availableModels "
        "(the default is never filtered)",
        "Fast mode is not available: your organization restricts model selection",
        True,
    )


def _tier_unknown(ctx: Ctx, now: float | None) -> Block | None:
    if ctx.snap.subscription != "unknown":
        return None
    return Block(
        "tier_unknown",
        "paid_subscription_required",
        "subscription tier unknown: fast mode fails closed",
        "Fast mode requires a paid subscription",
        True,
    )


MANAGED_OFF: Final = "Fast mode is turned off by your organization's managed settings"


def _managed_off(ctx: Ctx, now: float | None) -> Block | None:
    """Managed ``fastMode: false`` turns fast mode off with reason ``preference``, whatever
    flag settings, the session or any other scope say (CHANGES.md, measured on 2.1.328 and
    2.1.332). Read from the managed layer alone: in print mode ``fastMode`` is otherwise
    honoured only from flag settings."""
    s = ctx.snap.settings.get("fastMode", scopes=frozenset({Scope.MANAGED}))
    if s is None or s.value is not False:
        return None
    why = f"managed policy sets fastMode: false ({s.origin})"
    return Block("managed_off", "preference", why, f"{MANAGED_OFF} ({s.origin})", True)


def _extra_usage(ctx: Ctx, now: float | None) -> Block | None:
    if not is_subscriber(ctx.snap.subscription) or ctx.snap.account.extra_usage:
        return None
    msg = "Fast mode requires extra usage billing"
    return Block("extra_usage", None, msg, msg, True)


FAST_UNAVAILABLE: Final = "Fast mode is currently unavailable"


def _org(ctx: Ctx, now: float | None) -> Block | None:
    if ctx.snap.account.fast_mode_org_enabled:
        return None
    return Block(
        "org_disabled",
        None,
        "the organisation's fast-mode status (penguinModeOrgEnabled) is not on",
        FAST_UNAVAILABLE,
        True,
    )


def _opt_in(ctx: Ctx, now: float | None) -> Block | None:
    if opted_in(ctx) is not None:
        return None
    why = (
        "only --settings '{\"fastMode\": true}' opts in to fast mode in print mode"
        if ctx.snap.flags.print_mode
        else "fast mode was not turned on (/fast)"
    )
    return Block("opt_in", "sdk_opt_in_required", why, why, False)


def _cooldown(ctx: Ctx, now: float | None) -> Block | None:
    until = ctx.snap.session.fast_cooldown_until
    if until is None or now is None or now >= until:
        return None
    why = "fast mode is cooling down"
    return Block("cooldown", "cooldown", why, why, False)


#: The fast-mode gate, first failing row wins (see the module docstring's table).
GATE: Final[tuple[Row, ...]] = (
    Row("disabled_by_env", "both", _disabled),
    Row("provider", "both", _provider),
    Row("vertex_location", "both", _vertex_location),
    Row("model_not_allowed", "both", _model_allowed),
    Row("tier_unknown", "both", _tier_unknown),
    Row("managed_off", "both", _managed_off),
    Row("extra_usage", "command", _extra_usage),
    Row("org_disabled", "command", _org),
    Row("opt_in", "resolve", _opt_in),
    Row("cooldown", "resolve", _cooldown),
)


def first_block(ctx: Ctx, user: Literal["resolve", "command"], now: float | None) -> Block | None:
    """The first row of :data:`GATE` used by ``user`` that blocks fast mode, or ``None``."""
    for row in GATE:
        if row.used in ("both", user):
            block = row.check(ctx, now)
            if block is not None:
                return block
    return None


def command_refusal(ctx: Ctx) -> Block | None:
    """Why ``/fast on`` is refused here (``None``: it is not)."""
    return first_block(ctx, "command", None)


def fast_capability(ctx: Ctx) -> str:
    """The catalog capability that says a model runs fast here."""
    return "vertex_fast_mode" if ctx.provider == "vertex" else "fast_mode"


@record
class FastDecision:
    mode: FastMode
    why: str  # a sentence for explain
    step: FastStep = "model_lacks"  # the gate row that blocked, or what the model decided


def fast_mode(ctx: Ctx, main: Resolved, *, now: float | None = None) -> FastDecision:
    """Fast mode for the session: the gate (rows for resolve), then the main-loop model."""
    block = first_block(ctx, "resolve", now)
    if block is not None:
        state = "cooldown" if block.step == "cooldown" else "off"
        return FastDecision(FastMode(state, block.reason), block.why, block.step)
    opted = opted_in(ctx)
    model = main.model
    if model is not None and model.supports(fast_capability(ctx)):
        return FastDecision(
            FastMode("on", None),
            f"{model.display_name} runs in fast mode (fastMode: {opted})",
            "model_supports",
        )
    name = model.display_name if model else main.wire
    return FastDecision(
        FastMode("off", None),
        f"opted in ({opted}), but {name} does not support fast mode",
        "model_lacks",
    )


def opted_in(ctx: Ctx) -> str | None:
    """Where fast mode was turned on, or ``None`` when it was not."""
    snap = ctx.snap
    if snap.flags.print_mode:
        s = snap.settings.get("fastMode", scopes=frozenset({Scope.FLAG}))
        return s.origin if s and s.value is True else None
    if snap.session.fast_mode is not None:
        return "/fast (session)" if snap.session.fast_mode else None
    s = snap.settings.get("fastMode")
    return s.origin if s and s.value is True else None
