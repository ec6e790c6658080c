"""``/effort LEVEL`` as a pure planner (BEHAVIOUR.md 8d): the levels it takes, what is saved
where, and the message."""

from __future__ import annotations

from claude_models import env as E
from claude_models._record import replace
from claude_models.actions.outcome import Edit, Outcome
from claude_models.resolvers.context import context_of
from claude_models.resolvers.main import select_main
from claude_models.settings.scopes import Scope
from claude_models.settings.write import DELETE
from claude_models.snapshot import Snapshot

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


def effort_key(snap: Snapshot) -> str:
    """The ``modelSettings`` key ``/effort`` saves under: the running model's catalog id
    (``claude-haiku-4-5``, not the dated first-party id); the id itself for unknown models."""
    ctx = context_of(snap)
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
