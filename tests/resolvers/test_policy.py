"""availableModels / deniedModels matching: family, version prefix, exact id."""

from __future__ import annotations

import pytest

from claude_models.registry import registry
from claude_models.resolvers.policy import ModelList


def _allows(entries: list[str], name: str) -> bool:
    return ModelList.of(entries).allows([name], registry().find(name))


@pytest.mark.parametrize(
    ("entries", "name", "allowed"),
    [
        (["opus"], "claude-opus-4-6", True),
        (["opus"], "claude-sonnet-5-5", False),
        (["opus", "opus-4-5"], "claude-opus-5-5", False),  # narrowed family
        (["opus", "opus-4-5"], "claude-opus-4-5-20251101", True),
        (["opus-4-5"], "claude-opus-4-5-20251101", True),  # version prefix
        (["claude-opus-4-5"], "claude-opus-4-5-20251101", True),
        (["opus-4-5"], "claude-opus-4-50", False),  # only at a segment boundary
        (["claude-opus-4-6"], "us.anthropic.claude-opus-4-6-v1", True),  # any spelling
        (["claude-sonnet-4-5-20250929"], "claude-sonnet-4-5@20250929", True),
        (["SONNET"], "claude-sonnet-5-5", True),  # case-insensitive
        ([], "claude-opus-5-5", False),  # an empty list allows nothing
        (["sonnet[1m]"], "claude-sonnet-5-5", True),
    ],
)
def test_allows(entries: list[str], name: str, allowed: bool) -> None:
    assert _allows(entries, name) is allowed


def test_denied_has_no_narrowing() -> None:
    denied = ModelList.of(["opus", "opus-4-5"])
    m = registry().get("claude-opus-5-5")
    assert denied.denies([m.id], m)


def test_specific_entries_in_order() -> None:
    lst = ModelList.of(["opus", "claude-opus-4-6", "opus-4-5", "sonnet"])
    assert lst.specific_for("opus") == ["claude-opus-4-6", "opus-4-5"]
