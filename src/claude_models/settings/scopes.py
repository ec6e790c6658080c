"""The settings scopes, their order, and which keys each scope may set.

Lowest to highest (a higher scope's value wins)::

    user      ~/.claude/settings.json (or $CLAUDE_CONFIG_DIR/settings.json)
    project   <cwd>/.claude/settings.json
    local     <cwd>/.claude/settings.local.json
    flag      --settings FILE_OR_JSON
    managed   managed policy (/etc/claude-code/managed-settings.json on Linux; --managed-settings)

Protected keys (like git's "protected configuration") are data here, not scattered ``if``s:
:data:`HONOURED_FROM` says from which scopes a key is honoured at all, per session kind.
"""

from __future__ import annotations

import sys
from enum import StrEnum

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final


class Scope(StrEnum):
    USER = "user"
    PROJECT = "project"
    LOCAL = "local"
    FLAG = "flag"
    MANAGED = "managed"


LOW_TO_HIGH: Final[tuple[Scope, ...]] = (
    Scope.USER,
    Scope.PROJECT,
    Scope.LOCAL,
    Scope.FLAG,
    Scope.MANAGED,
)
HIGH_TO_LOW: Final[tuple[Scope, ...]] = tuple(reversed(LOW_TO_HIGH))
ALL: Final[frozenset[Scope]] = frozenset(LOW_TO_HIGH)

# key -> session kind ("print" | "interactive" | "any") -> scopes it is honoured from.
# A key not listed is honoured from every scope.
HONOURED_FROM: Final[dict[str, dict[str, frozenset[Scope]]]] = {
    # BEHAVIOUR.md 3: "deniedModels is honoured only from managed policy".
    "deniedModels": {"any": frozenset({Scope.MANAGED})},
    # BEHAVIOUR.md 6: "user-level effortLevel is ignored in print mode for every value".
    "effortLevel": {"print": ALL - {Scope.USER}},
    # BEHAVIOUR.md 8: "In print mode only --settings {"fastMode": true} opts in".
    "fastMode": {"print": frozenset({Scope.FLAG})},
}


# Keys whose managed value wins outright: a managed list replaces lower scopes' lists, never
# merges with them (object-valued keys such as modelSettings merge per entry instead).
# Settings.get honours this by walking scopes from the highest, managed first.
MANAGED_WINS_OUTRIGHT: Final[frozenset[str]] = frozenset(
    {"availableModels", "deniedModels", "enforceAvailableModels"}
)


def honoured_scopes(key: str, session: str) -> frozenset[Scope]:
    rule = HONOURED_FROM.get(key)
    if rule is None:
        return ALL
    return rule.get(session) or rule.get("any") or ALL


def managed_settings_path(platform: str = sys.platform) -> str:
    """Where Claude Code reads managed policy on this platform."""
    if platform == "darwin":
        return "/Library/Application Support/ClaudeCode/managed-settings.json"
    if platform.startswith("win"):
        return "C:\\Program Files\\ClaudeCode\\managed-settings.json"
    return "/etc/claude-code/managed-settings.json"
