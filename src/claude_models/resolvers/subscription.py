"""The subscription tier of a session: the ``--subscription`` flag, an OAuth token with
``CLAUDE_CODE_SUBSCRIPTION_TYPE``, a /login session's ``oauthAccount``, else API key
(docs/DECISIONS.md "Subscriptions and fast mode")."""

from __future__ import annotations

from collections.abc import Mapping

from claude_models import env as E

# CLAUDE_CODE_SUBSCRIPTION_TYPE values -> tiers (see docs/DECISIONS.md)
SUBSCRIPTION_TYPES = {
    "pro": "pro",
    "max": "max",
    "team": "team_standard",
    "team_standard": "team_standard",
    "team_premium": "team_premium",
    "enterprise": "enterprise",
}


def subscription_from_env(
    env: Mapping[str, str], flag: str | None = None, stored: str | None = None
) -> str:
    """``api`` without an OAuth token; the tier of CLAUDE_CODE_SUBSCRIPTION_TYPE (or the
    ``--subscription`` flag) with one; ``unknown`` when the tier cannot be told. ``stored``: the
    tier of ``~/.claude.json``'s ``oauthAccount`` (a /login session), used when neither the flag
    nor an OAuth token nor an API key / auth token in the environment says otherwise."""
    if flag:
        return SUBSCRIPTION_TYPES.get(flag.strip().lower(), flag.strip().lower())
    if not E.get(env, E.OAUTH_TOKEN):
        if stored is not None and not (E.get(env, E.API_KEY) or E.get(env, E.AUTH_TOKEN)):
            return stored
        return "api"
    kind = (E.get(env, E.SUBSCRIPTION_TYPE) or "").lower()
    return SUBSCRIPTION_TYPES.get(kind, "unknown")
