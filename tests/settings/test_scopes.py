"""Policy is data: which scope may set which key lives in one table (settings/scopes.py)."""

from __future__ import annotations

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models.settings.scopes import MANAGED_WINS_OUTRIGHT


@pytest.mark.parametrize("key", sorted(MANAGED_WINS_OUTRIGHT - {"enforceAvailableModels"}))
def test_managed_list_replaces_lower_lists(key: str) -> None:
    """A managed list is the whole list: a user list's entries are not merged into it."""
    user = {key: ["haiku"]}
    managed = {key: ["sonnet"]}
    snap = Snapshot.of(user=user, managed=managed, flags=Flags(model="haiku", print_mode=True))
    model = resolve(snap).main.model
    # availableModels ["sonnet"]: haiku not allowed -> default; deniedModels ["sonnet"]: haiku runs
    expected = "claude-haiku-5-5" if key == "deniedModels" else "claude-opus-5-5"
    assert model == expected
