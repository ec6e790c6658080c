"""``migrateFennecToOpus``: codename aliases to their public equivalents (Anthropic staff only).

The lesson: ant-only (``USER_TYPE=ant``); ``fennec-latest`` -> ``opus``,
``fennec-latest[1m]`` -> ``opus[1m]``, ``fennec-fast-latest`` -> ``opus[1m]`` plus
``fastMode: true``, ``opus-4-5-fast`` -> ``opus`` plus ``fastMode: true``; user settings only.

Today: ``opus`` is Opus 5.5, so these land on Opus 5.5. For everyone else it does nothing:
BEHAVIOUR.md 8c observed ``fennec-latest`` left alone (and sent as is) for an API-key user.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.migrations import MigrationContext

NAME = "migrateFennecToOpus"
USER_TYPE = "USER_TYPE"
# old value -> (new value, turn fast mode on)
REWRITES: dict[str, tuple[str, bool]] = {
    "fennec-latest": ("opus", False),
    "fennec-latest[1m]": ("opus[1m]", False),
    "fennec-fast-latest": ("opus[1m]", True),
    "opus-4-5-fast": ("opus", True),
}


def apply(user: dict[str, Any], config: dict[str, Any], mctx: MigrationContext) -> None:
    if mctx.env.get(USER_TYPE) != "ant":
        return
    model = user.get("model")
    if not isinstance(model, str) or model not in REWRITES:
        return
    new, fast = REWRITES[model]
    user["model"] = new
    if fast:
        user["fastMode"] = True
