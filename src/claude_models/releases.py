"""Which Claude Code releases claude-models models, and which behaviour rule starts where.

This is the one table that says how a release selects its rules: every behaviour change of
``spec/CHANGES.md`` is a :class:`Rule` with the first release that shows it. Chains never
compare versions themselves; they ask :func:`enabled` (or read :class:`ReleaseRules`) for the
release the snapshot models. Catalog changes (alias targets, retirement dates) are not rules:
they come with each release's registry data.
"""

from __future__ import annotations

from functools import cache

from claude_models._record import record

#: Every release the project models, oldest first. The last is the default target.
RELEASES: tuple[str, ...] = ("2.1.328", "2.1.329", "2.1.330", "2.1.331", "2.1.332")
OLDEST = RELEASES[0]
NEWEST = RELEASES[-1]


def parse_version(text: str) -> tuple[int, int, int]:
    """``"2.1.330"`` -> ``(2, 1, 330)``; ``ValueError`` for anything else."""
    parts = text.strip().split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 6 for p in parts):
        raise ValueError(f"not a Claude Code version: {text!r} (expected e.g. {NEWEST})")
    major, minor, patch = (int(p) for p in parts)
    return major, minor, patch


@record
class Rule:
    """One behaviour change, from the release that first shows it onwards."""

    name: str  # stable identifier, used by the chains and in `diff` / `releases`
    since: str  # first release that shows it (CHANGES.md bisected it there)
    summary: str  # the release note, one sentence


#: The rule table, in release order. Add a row when a release changes behaviour.
RULES: tuple[Rule, ...] = (
    Rule(
        "hook_side_query_retry_on_main",
        "2.1.330",
        "A refused hook side query retries on the main-loop model (after a 404: one "
        "non-streaming retry on the same model first; after a 403: at once). When the refused "
        "side model is the main-loop model it steps down along its fallback_3p chain instead.",
    ),
    Rule(
        "webfetch_vertex_stepdown",
        "2.1.330",
        "The WebFetch summariser does not fall back to the main-loop model; on Vertex it walks "
        "the refused model's fallback_3p chain until one answers.",
    ),
    Rule(
        "auto_3p_main_stepdown",
        "2.1.332",
        "With no fallback model configured, a main-loop model refused with 404 or 403 on "
        "Bedrock, Vertex or Foundry steps down its catalog fallback_3p chain (not for a full "
        "provider id; CLAUDE_CODE_NO_MODEL_FALLBACK / CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK "
        "turn it off); the new model gets its own defaults.",
    ),
)

_BY_NAME = {r.name: r for r in RULES}


def check_release(version: str) -> str:
    """``version`` if the project models it, else ``ValueError`` listing the modelled ones."""
    if version not in RELEASES:
        raise ValueError(
            f"Claude Code {version} is not a modelled release; modelled: {', '.join(RELEASES)}"
        )
    return version


def enabled(rule: str, version: str) -> bool:
    """Whether ``rule`` (a name from :data:`RULES`) is in force in Claude Code ``version``."""
    return parse_version(version) >= parse_version(_BY_NAME[rule].since)


@record
class ReleaseRules:
    """The rules in force in one release, as booleans the chains read."""

    version: str
    hook_side_query_retry_on_main: bool
    webfetch_vertex_stepdown: bool
    auto_3p_main_stepdown: bool


@cache
def rules_for(version: str) -> ReleaseRules:
    """The :class:`ReleaseRules` of a modelled release."""
    check_release(version)
    return ReleaseRules(
        version=version,
        hook_side_query_retry_on_main=enabled("hook_side_query_retry_on_main", version),
        webfetch_vertex_stepdown=enabled("webfetch_vertex_stepdown", version),
        auto_3p_main_stepdown=enabled("auto_3p_main_stepdown", version),
    )


__all__ = [
    "NEWEST",
    "OLDEST",
    "RELEASES",
    "RULES",
    "ReleaseRules",
    "Rule",
    "check_release",
    "enabled",
    "parse_version",
    "rules_for",
]
