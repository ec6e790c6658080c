"""``ANTHROPIC_BETAS``: the betas a user adds to every model request.

Measured with the real binary (docs/decisions/measure.md; the ``ub_`` scenarios of
``tools/follow/scenarios.py``), the same in 2.1.328, 2.1.331 and 2.1.332:

- the value is split on ``,`` only; each part is trimmed, empty parts are dropped, case is
  kept, and a part with spaces inside is sent as it is;
- a part containing ``afk-mode`` (any case) is dropped, and so is the generally-available
  ``mid-conversation-system-2026-04-07`` (Claude Code logs "the header is not sent");
- on first party, a gateway, Foundry, Anthropic on AWS and Anthropic on Google Cloud every other
  part is sent; on Bedrock, Vertex and Mantle only the betas Claude Code itself knows are
  (:data:`KNOWN`), the rest are dropped; Bedrock sends the context-1m beta in the body's
  ``anthropic_beta``, as it does its own;
- they go after Claude Code's own betas on every model request: the main loop, its retries and
  fallbacks, subagents and side queries. Nothing is de-duplicated: ``sonnet[1m]`` with
  ``ANTHROPIC_BETAS=context-1m-2025-08-07`` sends the beta twice (``resolve`` lists it once);
- they change no other field: a context-1m beta given this way does not change the reported
  context window (``claude-sonnet-4-5`` stays 200k), and ``CLAUDE_CODE_DISABLE_1M_CONTEXT``
  does not remove it.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Final

VARIABLE: Final = "ANTHROPIC_BETAS"

#: Generally available: named in ``ANTHROPIC_BETAS``, never sent.
NOT_SENT: Final = frozenset({"mid-conversation-system-2026-04-07"})

#: The betas Claude Code passes on Bedrock, Vertex and Mantle (its own list, identical in
#: 2.1.328 and 2.1.332; afk-mode is dropped before, mid-conversation-system is never sent).
KNOWN: Final = frozenset(
    {
        "claude-code-20250219",
        "interleaved-thinking-2025-05-14",
        "context-1m-2025-08-07",
        "context-management-2025-06-27",
        "structured-outputs-2025-12-15",
        "web-search-2025-03-05",
        "effort-2025-11-24",
        "tool-search-tool-2025-10-19",
        "dangerous-tool-use-2026-09-03",
        "fallback-credit-2026-06-01",
        "thinking-token-count-2026-05-13",
        "thinking-binding-controls-2026-08-01",
        "thinking-display-updates-2026-08-18",
    }
)

#: Providers on which every beta of ``ANTHROPIC_BETAS`` is sent.
PASS_ALL: Final = frozenset(
    {"firstParty", "gateway", "foundry", "anthropicAws", "anthropicGoogleCloud"}
)


def parse(value: str | None, provider: str) -> tuple[str, ...]:
    """The betas ``ANTHROPIC_BETAS=value`` adds on ``provider``, in order, each once."""
    if not value:
        return ()
    out: list[str] = []
    for part in value.split(","):
        beta = part.strip()
        if not beta or "afk-mode" in beta.lower() or beta in NOT_SENT or beta in out:
            continue
        if provider in PASS_ALL or beta in KNOWN:
            out.append(beta)
    return tuple(out)


def user_betas(env: Mapping[str, str], provider: str) -> tuple[str, ...]:
    """:func:`parse` of the environment's ``ANTHROPIC_BETAS``."""
    return parse(env.get(VARIABLE), provider)


def merged(own: tuple[str, ...], user: tuple[str, ...]) -> tuple[str, ...]:
    """A request's own betas, then the user's it does not already carry."""
    if not user:
        return own
    return own + tuple(b for b in user if b not in own)


__all__ = ["KNOWN", "NOT_SENT", "PASS_ALL", "VARIABLE", "merged", "parse", "user_betas"]
