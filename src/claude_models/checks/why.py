"""The right "why": when ``ANTHROPIC_DEFAULT_<FAMILY>_MODEL`` or an ``availableModels`` entry
re-points an alias, the origin names that variable or entry (not just "built-in default" or
"--model")."""

from __future__ import annotations

from claude_models import env as E
from claude_models.resolvers.setting import split_1m

TYPE_CHECKING = False
if TYPE_CHECKING:
    from claude_models.resolvers.context import Ctx
    from claude_models.resolvers.setting import Resolved


def repointed_by(ctx: Ctx, r: Resolved) -> str | None:
    """What re-pointed the alias behind ``r``, as words for an origin; ``None`` when the
    catalog's own alias target (or an explicit id) decided."""
    if r.via in E.FAMILY_OVERRIDE.values():
        where = ctx.snap.env_origins.get(r.via, "environment")
        return f"{r.via}={E.get(ctx.env, r.via)} ({where})"
    if r.via == "allowlist" and ctx.allow is not None:
        alias = split_1m(r.typed)[0].lower()
        specific = ctx.allow.specific_for(alias) if alias in E.FAMILY_OVERRIDE else ()
        entry = specific[0] if specific else r.typed
        return f"availableModels entry '{entry}' ({ctx.allow_origin})"
    return None


def with_why(origin: str | None, ctx: Ctx, r: Resolved) -> str | None:
    by = repointed_by(ctx, r)
    if by is None:
        return origin
    alias = split_1m(r.typed)[0]
    return f"{origin}; {alias} re-pointed by {by}" if origin else f"{alias} re-pointed by {by}"
