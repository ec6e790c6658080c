"""A running session for agents: ``/model``, ``/effort``, ``/fast`` applied in turn::

s = Session(load_snapshot())
print(s.model("sonnet").message)   # saved, and the session runs Sonnet 5.5
s.effort("max")                    # this session only
resolve(s.snapshot)                # what the next request would carry
"""

from __future__ import annotations

from claude_models._record import replace
from claude_models.actions.effort import set_effort
from claude_models.actions.fast import clear_cooldown, set_fast, start_cooldown
from claude_models.actions.model import set_model
from claude_models.actions.outcome import Outcome, Validator
from claude_models.actions.persist import persist, with_written
from claude_models.settings.scopes import Scope
from claude_models.snapshot import Snapshot


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
