"""The signed-in account as Claude Code caches it in ``~/.claude.json``, and the gates it drives.

Pure: :func:`account_from_global` reads an already-parsed global config. What it reads:

- ``oauthAccount`` present: the user signed in with a Claude subscription. Its tier comes from
  ``organizationType`` (``claude_max`` -> max, ``claude_pro`` -> pro, ``claude_team`` -> team
  standard, or team premium when ``organizationRateLimitTier`` names premium,
  ``claude_enterprise`` -> enterprise); anything else is ``unknown`` (gates fail closed).
- ``oauthAccount.hasExtraUsageEnabled``: extra-usage billing (1M context and fast mode for
  subscribers need it).
- ``penguinModeOrgEnabled``: the organisation's fast-mode status as Claude Code last fetched it
  (absent on a fresh install, hence "Fast mode is currently unavailable", BEHAVIOUR.md 8d).

The 1M gates (seed lesson section 5, ``checkOpus1mAccess``): ``CLAUDE_CODE_DISABLE_1M_CONTEXT``
closes them; a subscriber needs extra usage; API-key users always have access; an unknown tier
fails closed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from claude_models import env as E
from claude_models._record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ORG_TYPES = {
    "claude_max": "max",
    "claude_pro": "pro",
    "claude_team": "team_standard",
    "claude_enterprise": "enterprise",
}
SUBSCRIBER_TIERS = frozenset({"pro", "max", "team_standard", "team_premium", "enterprise"})
NOW_VAR = "CLAUDE_MODELS_NOW"  # epoch seconds: pins "now" (cooldowns, migration timestamps)


@record
class Account:
    tier: str | None = None  # None: no oauthAccount in ~/.claude.json
    extra_usage: bool = False
    fast_mode_org_enabled: bool = False


def account_from_global(config: Mapping[str, Any]) -> Account:
    fast = config.get("penguinModeOrgEnabled") is True
    oauth = config.get("oauthAccount")
    if not isinstance(oauth, dict):
        return Account(None, False, fast)
    org = oauth.get("organizationType")
    tier = ORG_TYPES.get(org, "unknown") if isinstance(org, str) else "unknown"
    rate = oauth.get("organizationRateLimitTier")
    if tier == "team_standard" and isinstance(rate, str) and "premium" in rate.lower():
        tier = "team_premium"
    return Account(tier, oauth.get("hasExtraUsageEnabled") is True, fast)


def now_from(env: Mapping[str, str], fallback: float) -> float:
    raw = E.get(env, NOW_VAR)
    if raw is None:
        return fallback
    try:
        value = float(raw)
    except ValueError:
        return fallback
    return value if math.isfinite(value) else fallback  # nan/inf: as unreadable


def is_subscriber(tier: str) -> bool:
    """A Claude subscription (unknown tiers included: they are subscribers of unknown kind)."""
    return tier in SUBSCRIBER_TIERS or tier == "unknown"


def one_m_access(tier: str, extra_usage: bool, env: Mapping[str, str]) -> tuple[bool, str]:
    """May this session use a ``[1m]`` beta context window? And why (for explain)."""
    if E.is_truthy(env.get(E.DISABLE_1M_CONTEXT)):
        return False, E.DISABLE_1M_CONTEXT
    if tier == "unknown":
        return False, "subscription tier unknown (fails closed)"
    if is_subscriber(tier):
        if extra_usage:
            return True, "subscriber with extra usage"
        return False, "subscriber without extra usage billing"
    return True, "API key"
