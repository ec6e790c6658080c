"""``migrateLegacyOpusToCurrent``: retired Opus 4.0 / 4.1 pins to the ``opus`` alias.

Exactly as BEHAVIOUR.md 8c observed in 2.1.328:

- user settings ``model`` of ``claude-opus-4-1-20250805``, ``claude-opus-4-1`` or
  ``claude-opus-4-20250514`` becomes ``opus`` (today Opus 5.5), and ``~/.claude.json`` gains
  ``legacyOpusMigrationTimestamp`` (epoch milliseconds) so the REPL can say so once;
- first party only (on Bedrock the file is not rewritten);
- off with ``CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP`` (which also stops the run-time remap);
- left alone: ``sonnet[1m]``, ``claude-sonnet-4-5-20250929``, ``opus``, ``opusplan``,
  ``claude-opus-4-5-20251101``, ``claude-opus-4-6``, retired non-Opus ids
  (``claude-3-5-haiku-20241022``, ``claude-3-7-sonnet-20250219``, ``claude-sonnet-4-20250514``),
  ``fennec-latest``, ``effortLevel: "max"``, and anything with a ``[1m]`` suffix.

Today: ``opus`` resolves to Opus 5.5, the model the run-time remap sends for these ids.
"""

from __future__ import annotations

from claude_models import env as E

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.migrations import MigrationContext

NAME = "migrateLegacyOpusToCurrent"
LEGACY_OPUS_IDS = frozenset(
    {"claude-opus-4-1-20250805", "claude-opus-4-1", "claude-opus-4-20250514"}
)
TIMESTAMP_KEY = "legacyOpusMigrationTimestamp"


def apply(user: dict[str, Any], config: dict[str, Any], mctx: MigrationContext) -> None:
    if mctx.provider != "firstParty" or E.is_truthy(mctx.env.get(E.DISABLE_LEGACY_MODEL_REMAP)):
        return
    if user.get("model") in LEGACY_OPUS_IDS:
        user["model"] = "opus"
        config[TIMESTAMP_KEY] = mctx.now_ms
