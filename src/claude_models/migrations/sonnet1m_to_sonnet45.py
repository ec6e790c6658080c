"""``migrateSonnet1mToSonnet45``: once pinned ``sonnet[1m]`` to ``sonnet-4-5-20250929[1m]``.

The lesson: Sonnet 4.6 1M went to a different access group than Sonnet 4.5 1M, so users who
had ``sonnet[1m]`` were pinned to the 4.5 build they had access to
(``sonnet1m45MigrationComplete``).

Today: the ``sonnet`` alias is Sonnet 5.5, natively 1M for everyone, so there is no access
split left to protect and ``sonnet[1m]`` means what it says. BEHAVIOUR.md 8c observed
``sonnet[1m]`` left alone, and no completion flag written. This migration therefore does
nothing; it stays in the list so the order matches Claude Code's and a catalog change can
bring it back in one place.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.migrations import MigrationContext

NAME = "migrateSonnet1mToSonnet45"


def apply(user: dict[str, Any], config: dict[str, Any], mctx: MigrationContext) -> None:
    return None
