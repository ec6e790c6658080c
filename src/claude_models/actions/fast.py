"""``/fast on|off`` as a pure planner, and the fast-mode cooldown.

Whether ``/fast on`` is refused is the one fast-mode gate of :mod:`claude_models.resolvers.
fastmode` (its rows marked for the command); this module adds only the messages and the model
switch."""

from __future__ import annotations

import math

from claude_models._record import replace
from claude_models.actions.outcome import Edit, Outcome
from claude_models.registry import registry
from claude_models.resolvers.context import context_of
from claude_models.resolvers.fastmode import command_refusal
from claude_models.resolvers.main import select_main
from claude_models.settings.scopes import Scope
from claude_models.snapshot import SessionState, Snapshot

FAST_HEADER = (
    "High-speed mode for {name}. Draws from usage credits at a higher rate. "
    "Separate rate limits apply."
)


def fast_unavailable(snap: Snapshot) -> tuple[str | None, bool]:
    """Why ``/fast`` cannot turn fast mode on here (``None``: it can), and whether the panel
    with its header opens at all (it does not on a provider without fast mode): the rows of
    :data:`claude_models.fastmode.GATE` that ``/fast`` uses, first match."""
    block = command_refusal(context_of(snap))
    return (None, True) if block is None else (block.command, block.panel)


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
    ctx = context_of(snap)
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
