"""The main-loop effort chain (resolvers/effort.py): settings values Claude Code drops."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve

# (case, settings by scope, interactive?, expected effort) on first party, opus-5-5 (default
# effort medium). Measured with the real binaries: tests/observed/2.1.3{28,32}/ef_*_max.json.
CASES: list[tuple[str, dict[str, Any], bool, str]] = [
    ("project max dropped", {"project": {"effortLevel": "max"}}, False, "medium"),
    ("flag max dropped", {"flag": {"effortLevel": "max"}}, False, "medium"),
    ("project high kept", {"project": {"effortLevel": "high"}}, False, "high"),
    (
        "max dropped, the next layer decides",
        {"flag": {"effortLevel": "max"}, "project": {"effortLevel": "low"}},
        False,
        "low",
    ),
    ("user max dropped in a terminal", {"user": {"effortLevel": "max"}}, True, "medium"),
]


@pytest.mark.parametrize(
    ("settings", "interactive", "effort"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_settings_effort_max_is_dropped(
    settings: dict[str, Any], interactive: bool, effort: str
) -> None:
    flags = Flags(model="opus", print_mode=not interactive)
    res = resolve(Snapshot.of(flags=flags, **settings))
    assert res.main.effort == effort


@pytest.mark.parametrize("where", ["--effort", "session"])
def test_max_outside_settings_still_applies(where: str) -> None:
    from claude_models import SessionState

    if where == "--effort":
        snap = Snapshot.of(flags=Flags(model="opus", print_mode=True, effort="max"))
    else:
        snap = Snapshot.of(flags=Flags(model="opus"), session=SessionState(effort="max"))
    assert resolve(snap).main.effort == "max"
