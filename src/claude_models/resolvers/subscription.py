"""The subscription tier of a session: the ``--subscription`` flag, an OAuth token with
``CLAUDE_CODE_SUBSCRIPTION_TYPE``, a /login session's ``oauthAccount``, else API key
(docs/DECISIONS.md "Subscriptions and fast mode")."""

from __future__ import annotations

from collections.abc import Mapping

from claude_models import env as E
from claude_models.decision import Decision, Origin

TYPE_CHECKING = False
if TYPE_CHECKING:
    from claude_models.kinds import TierStep

# CLAUDE_CODE_SUBSCRIPTION_TYPE values -> tiers (see docs/DECISIONS.md)
SUBSCRIPTION_TYPES = {
    "pro": "pro",
    "max": "max",
    "team": "team_standard",
    "team_standard": "team_standard",
    "team_premium": "team_premium",
    "enterprise": "enterprise",
}


def subscription_decision(
    env: Mapping[str, str], flag: str | None = None, stored: str | None = None
) -> Decision[TierStep]:
    """The tier chain. First match wins:

    1. ``given``: the ``--subscription`` flag
    2. ``oauth_env``: ``CLAUDE_CODE_OAUTH_TOKEN``, the tier of ``CLAUDE_CODE_SUBSCRIPTION_TYPE``
       (``unknown`` when it cannot be told)
    3. ``login``: ``~/.claude.json``'s ``oauthAccount`` tier (``stored``, a /login session),
       unless an API key or auth token is in the environment
    4. ``api``: no subscription
    """
    if flag:
        tier = SUBSCRIPTION_TYPES.get(flag.strip().lower(), flag.strip().lower())
        return Decision(tier, "given", Origin("flag", "--subscription"))
    if not E.get(env, E.OAUTH_TOKEN):
        if stored is not None and not (E.get(env, E.API_KEY) or E.get(env, E.AUTH_TOKEN)):
            return Decision(stored, "login", Origin("settings", "oauthAccount"))
        return Decision("api", "api")
    kind = (E.get(env, E.SUBSCRIPTION_TYPE) or "").lower()
    tier = SUBSCRIPTION_TYPES.get(kind, "unknown")
    return Decision(tier, "oauth_env", Origin("env", E.SUBSCRIPTION_TYPE))


def subscription_from_env(
    env: Mapping[str, str], flag: str | None = None, stored: str | None = None
) -> str:
    """The tier of :func:`subscription_decision`."""
    return subscription_decision(env, flag, stored).value or "api"
