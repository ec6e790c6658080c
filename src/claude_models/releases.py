"""Which Claude Code releases claude-models models, and which behaviour rule starts where.

This is the one table that says how a release selects its rules: every behaviour change of
``spec/CHANGES.md`` is a :class:`Rule` with the first release that shows it. Chains never
compare versions themselves; they ask :func:`enabled` (or read :class:`ReleaseRules`) for the
release the snapshot models. Catalog changes (alias targets, retirement dates) are not rules:
they come with each release's registry data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from claude_models._record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.registry import Registry

#: The registry data of each modelled release: ``_data/claude-code-<V>.json``.
DATA_DIR = Path(__file__).parent / "_data"
DATA_PREFIX, DATA_SUFFIX = "claude-code-", ".json"


def parse_version(text: str) -> tuple[int, int, int]:
    """``"2.1.330"`` -> ``(2, 1, 330)``; ``ValueError`` for anything else."""
    parts = text.strip().split(".")
    if len(parts) != 3 or not all(p.isdigit() and len(p) <= 6 for p in parts):
        raise ValueError(f"not a Claude Code version: {text!r} (expected e.g. {NEWEST})")
    major, minor, patch = (int(p) for p in parts)
    return major, minor, patch


def _modelled() -> tuple[str, ...]:
    """The releases that have registry data, oldest first: adding a release is adding its data
    file (``tools/build_registry.py --release V``), nothing to edit here."""
    found = []
    # a listing, not a glob: ~20 us on every cold start; no data dir: a broken install
    names = os.listdir(DATA_DIR) if DATA_DIR.is_dir() else []  # noqa: PTH208
    for name in names:
        if name.startswith(DATA_PREFIX) and name.endswith(DATA_SUFFIX):
            version = name[len(DATA_PREFIX) : -len(DATA_SUFFIX)]
            try:
                found.append((parse_version(version), version))
            except ValueError:
                continue
    return tuple(v for _, v in sorted(found))


#: Every release the project models, oldest first. The last is the default target.
RELEASES: tuple[str, ...] = _modelled()
OLDEST = RELEASES[0] if RELEASES else "0.0.0"
NEWEST = RELEASES[-1] if RELEASES else "0.0.0"


def data_file(version: str) -> Path:
    """The registry data file of a modelled release."""
    return DATA_DIR / f"{DATA_PREFIX}{version}{DATA_SUFFIX}"


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

#: Variables a release's model code reads whose effect claude-models does not model: named
#: when set, so a user knows the answer may not account for them. variable -> first release
#: whose binary reads it. CHANGES.md named five for 2.1.332 (docs/decisions/measure.md measured
#: them): ``ANTHROPIC_BETAS`` (``claude_models.betas``) and the two refusal switches
#: (``stepdown.refusal_fallback``) are modelled, the same from 2.1.328 on;
#: ``CLAUDE_CODE_TOTAL_TOKENS_REMINDER`` only changes message text (a ``<total_tokens>``
#: block), so none of them is listed.
UNMEASURED_VARIABLES: dict[str, str] = {
    "CLAUDE_CODE_MODEL_NOBODY_CHOSE": "2.1.330",
}

#: What was measured of each (the warning says it); docs/decisions/measure.md has the runs.
UNMEASURED_NOTES: dict[str, str] = {
    "CLAUDE_CODE_MODEL_NOBODY_CHOSE": (
        "its effect was not measured: nothing changed in a local session (its code drops "
        "--model only in a remote self-hosted runner session on Bedrock, Vertex or Mantle, "
        "which was not reproduced)"
    ),
}


def unmeasured_set(env: Mapping[str, str], version: str) -> list[str]:
    """The variables of :data:`UNMEASURED_VARIABLES` set in ``env`` that ``version`` reads."""
    return [
        var
        for var, since in UNMEASURED_VARIABLES.items()
        if env.get(var, "").strip() and parse_version(version) >= parse_version(since)
    ]


def unmeasured_message(var: str, version: str) -> str:
    """The ``unmeasured_variable`` warning for ``var`` (never its value)."""
    note = UNMEASURED_NOTES.get(var)
    if note is None:
        return (
            f"{var} is set: Claude Code {version} reads it in its model code, "
            "but its effect was not measured; this answer does not account for it"
        )
    return (
        f"{var} is set: Claude Code {version} reads it in its model code; {note}; "
        "this answer does not account for it"
    )


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


@record
class ClaudeCode:
    """Which Claude Code release a snapshot models, where that came from, and what is installed
    (``resolve --json``'s ``claude_code``, spec/CLI.md)."""

    version: str  # the modelled release: its rules, and its catalog unless catalog="installed"
    # "--claude-version" | "CLAUDE_MODELS_CLAUDE_VERSION" | "installed" | "newest modelled",
    # or "snapshot" for a library Snapshot built with an explicit claude_version
    source: str
    installed: str | None = None  # the release of the `claude` on PATH, when it could be told
    installed_path: str | None = None
    catalog: str = "bundled"  # "installed": read from the installed (newer) binary
    notes: tuple[str, ...] = ()  # detection problems and release mismatches (warnings)
    # the registry read from the installed binary (catalog="installed"), else None
    registry: Registry | None = field(default=None, compare=False, hash=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        installed = (
            {"version": self.installed, "path": self.installed_path}
            if self.installed is not None
            else None
        )
        return {
            "version": self.version,
            "source": self.source,
            "installed": installed,
            "catalog": self.catalog,
        }

    @property
    def described(self) -> str:
        """``Claude Code 2.1.332 (installed)``: the release and where the choice came from."""
        where = {
            "installed": f"installed at {self.installed_path}",
            "newest modelled": "newest modelled; "
            + ("the claude on PATH was ignored" if self.notes else "no claude found"),
            "snapshot": "given to the snapshot",
        }.get(self.source, self.source)
        if self.source == "installed" and self.installed not in (None, self.version):
            where = f"installed {self.installed} at {self.installed_path}"
        catalog = ", catalog read from the installed binary" if self.catalog == "installed" else ""
        return f"Claude Code {self.version} ({where}{catalog})"


def claude_code_of(version: str, given: ClaudeCode | None) -> ClaudeCode:
    """A snapshot's :class:`ClaudeCode`: the loader's when it set one, else the snapshot's
    ``claude_version`` as given by the library caller (or the default, the newest)."""
    if given is not None:
        return given
    source = "newest modelled" if version == NEWEST else "snapshot"
    return ClaudeCode(version=version, source=source)


__all__ = [
    "DATA_DIR",
    "NEWEST",
    "OLDEST",
    "RELEASES",
    "RULES",
    "UNMEASURED_NOTES",
    "UNMEASURED_VARIABLES",
    "ClaudeCode",
    "ReleaseRules",
    "Rule",
    "check_release",
    "claude_code_of",
    "data_file",
    "enabled",
    "parse_version",
    "rules_for",
    "unmeasured_message",
    "unmeasured_set",
]
