"""``resetProToOpusDefault``: the one-time "your default is now Opus" notice for Pro.

The lesson: Pro subscribers on first party with no model of their own get
``opusProMigrationTimestamp`` (the REPL shows the upgrade notice once); everyone else is
silently marked done. Either way ``opusProMigrationComplete: true`` is recorded, and a completed
migration never runs again.

Today: the default for every tier is Opus 5.5. BEHAVIOUR.md 8c observed
``opusProMigrationComplete: true`` recorded on every fresh start (API key, first party).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.migrations import MigrationContext

NAME = "resetProToOpusDefault"
COMPLETE_KEY = "opusProMigrationComplete"
TIMESTAMP_KEY = "opusProMigrationTimestamp"


def apply(user: dict[str, Any], config: dict[str, Any], mctx: MigrationContext) -> None:
    if config.get(COMPLETE_KEY) is True:
        return
    if mctx.provider == "firstParty" and mctx.tier == "pro" and not user.get("model"):
        config[TIMESTAMP_KEY] = mctx.now_ms
    config[COMPLETE_KEY] = True
