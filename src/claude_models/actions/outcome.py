"""What every planner returns: :class:`Outcome` (and its settings :class:`Edit` list), and the
probe a planner may call for an id the catalog does not know."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol

from claude_models._record import record
from claude_models.errors import UsageError
from claude_models.settings.scopes import Scope
from claude_models.settings.write import DELETE
from claude_models.snapshot import SessionState, Snapshot


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
