"""``migrateOpusToOpus1m``: Max and Team Premium ``opus`` pins to ``opus[1m]``.

The lesson: where the Opus 1M merge is on (first party, 1M not disabled, tier known), a user
settings ``model`` of exactly ``opus`` becomes ``opus[1m]``, except that when ``opus[1m]``
resolves to the same model as the built-in default the key is removed instead: storing it
would only pin what the default already gives.

Today: Opus 5.5 is natively 1M and the merged default of these tiers is ``opus[1m]``, so a
plain ``opus`` pin resolves like the default and the key is removed; with an
``ANTHROPIC_DEFAULT_MODEL`` (or other default) that differs, ``opus[1m]`` is written. Other
tiers, providers and values are left alone (BEHAVIOUR.md 8c: ``opus`` stays for API-key users).
"""

from __future__ import annotations

from claude_models.resolvers.main import default_choice, default_setting, opus_1m_merge
from claude_models.resolvers.setting import resolve_setting

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.migrations import MigrationContext

NAME = "migrateOpusToOpus1m"
TIERS = frozenset({"max", "team_premium"})


def apply(user: dict[str, Any], config: dict[str, Any], mctx: MigrationContext) -> None:
    ctx = mctx.ctx
    if mctx.tier not in TIERS or not opus_1m_merge(ctx) or user.get("model") != "opus":
        return
    upgraded = resolve_setting("opus[1m]", ctx, explicit=False)
    # the default as with no model set
    default = resolve_setting(default_setting(ctx, default_choice(ctx.env)), ctx, explicit=False)
    if (upgraded.wire, upgraded.one_m) == (default.wire, default.one_m):
        del user["model"]
    else:
        user["model"] = "opus[1m]"
