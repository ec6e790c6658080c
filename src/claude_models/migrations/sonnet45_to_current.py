"""``migrateSonnet45ToSonnet46``: subscribers' explicit Sonnet 4.5 pins back to ``sonnet``.

The lesson: Pro, Max and Team Premium on first party only; an explicit Sonnet 4.5 id becomes
the ``sonnet`` alias (then 4.6), and ``sonnet45To46MigrationTimestamp`` is recorded for the
"new version" notice, except for brand-new users (``numStartups`` <= 1).

Today: ``sonnet`` is Sonnet 5.5, so the move is 4.5 -> 5.5; the key keeps Claude Code's name.
A ``[1m]`` suffix is kept (``sonnet[1m]``). API-key, Team Standard and Enterprise users, and
every third-party provider, are left alone (BEHAVIOUR.md 8c: ``claude-sonnet-4-5-20250929``
is not rewritten for an API-key user).
"""

from __future__ import annotations

from claude_models.resolvers.setting import split_1m

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.migrations import MigrationContext

NAME = "migrateSonnet45ToSonnet46"
TIERS = frozenset({"pro", "max", "team_premium"})
SONNET_45_IDS = frozenset(
    {"claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "sonnet-4-5-20250929", "sonnet-4-5"}
)
TIMESTAMP_KEY = "sonnet45To46MigrationTimestamp"


def apply(user: dict[str, Any], config: dict[str, Any], mctx: MigrationContext) -> None:
    if mctx.provider != "firstParty" or mctx.tier not in TIERS:
        return
    model = user.get("model")
    if not isinstance(model, str):
        return
    base, one_m = split_1m(model)
    if base not in SONNET_45_IDS:
        return
    user["model"] = "sonnet[1m]" if one_m else "sonnet"
    startups = config.get("numStartups")
    if isinstance(startups, int) and startups > 1:
        config[TIMESTAMP_KEY] = mctx.now_ms
