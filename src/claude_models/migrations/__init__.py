"""Start-up settings migrations (BEHAVIOUR.md 8c, seed lesson section 10).

Each migration is its own module with ``NAME`` (Claude Code's function name) and
``apply(user, config, ctx)``: it changes the **user** settings object and the global config
(``~/.claude.json``) in place, and nothing else. Project, local, flag and managed settings are
never even read here. Every migration is idempotent: run on its own output it changes nothing.

:data:`MIGRATIONS` is the order Claude Code runs them in. :func:`migrate` is the pure core;
:func:`plan` reads the two files and says what would change (``migrate --dry-run``), and
:func:`run` does the same under both files' locks and writes exactly that.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

from claude_models._record import record
from claude_models.resolvers.context import Ctx, context_of
from claude_models.settings.write import (
    WriteResult,
    read_object,
    render,
    target_of,
    update_json_files,
)
from claude_models.snapshot import Snapshot

MIGRATION_VERSION = 15  # what 2.1.328 records in ~/.claude.json (BEHAVIOUR.md 8c)


@record
class MigrationContext:
    """What migrations may look at: the provider, tier and environment, and the clock."""

    ctx: Ctx
    now_ms: int

    @classmethod
    def of(cls, snap: Snapshot) -> MigrationContext:
        now = snap.now if snap.now is not None else 0.0
        return cls(context_of(snap), int(now * 1000))

    @property
    def provider(self) -> str:
        return self.ctx.provider

    @property
    def tier(self) -> str:
        return self.ctx.snap.subscription

    @property
    def env(self) -> Mapping[str, str]:
        return self.ctx.env


Apply = Callable[[dict[str, Any], dict[str, Any], MigrationContext], None]


def _modules() -> tuple[ModuleType, ...]:
    from claude_models.migrations import (
        fennec_to_opus,
        legacy_opus_to_current,
        opus_to_opus1m,
        reset_pro_to_opus_default,
        sonnet1m_to_sonnet45,
        sonnet45_to_current,
    )

    return (
        fennec_to_opus,
        legacy_opus_to_current,
        sonnet1m_to_sonnet45,
        sonnet45_to_current,
        opus_to_opus1m,
        reset_pro_to_opus_default,
    )


MIGRATIONS: tuple[ModuleType, ...] = _modules()


@record
class Outcome:
    user: dict[str, Any]
    config: dict[str, Any]
    applied: tuple[str, ...]  # NAMEs of the migrations that changed something


def migrate(user: Mapping[str, Any], config: Mapping[str, Any], mctx: MigrationContext) -> Outcome:
    """Every migration in order over copies of the user settings and the global config, then
    ``migrationVersion`` recorded. Pure."""
    import copy

    u: dict[str, Any] = copy.deepcopy(dict(user))
    c: dict[str, Any] = copy.deepcopy(dict(config))
    applied: list[str] = []
    for module in MIGRATIONS:
        before = (copy.deepcopy(u), copy.deepcopy(c))
        apply: Apply = module.apply
        apply(u, c, mctx)
        if (u, c) != before:
            applied.append(module.NAME)
    version = c.get("migrationVersion")
    if not isinstance(version, int) or isinstance(version, bool) or version < MIGRATION_VERSION:
        c["migrationVersion"] = MIGRATION_VERSION
        applied.append("migrationVersion")
    return Outcome(u, c, tuple(applied))


@record
class FileChange:
    path: str
    scope: str  # "user" | "global"
    before_text: str
    after_text: str
    existed: bool

    @property
    def changed(self) -> bool:
        return self.before_text != self.after_text

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before_text.splitlines(keepends=True),
                self.after_text.splitlines(keepends=True),
                fromfile=self.path if self.existed else "/dev/null",
                tofile=self.path,
            )
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "scope": self.scope,
            "before": self.before_text if self.existed else None,
            "after": self.after_text,
            "diff": self.diff(),
        }


@record
class Plan:
    files: tuple[FileChange, ...]  # only files that change
    applied: tuple[str, ...]
    written: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "applied": self.written,
            "migrations": list(self.applied),
            "files": [f.to_json() for f in self.files],
        }


def _paths(snap: Snapshot) -> tuple[Path, Path]:
    """The user settings and global config the snapshot read (never a settings ``env``'s)."""
    return target_of(snap.paths.user), target_of(snap.paths.global_config)


def _change(
    path: Path, scope: str, before: dict[str, Any] | None, text: str, after: dict[str, Any]
) -> FileChange | None:
    if after == (before if before is not None else {}):
        return None
    return FileChange(str(path), scope, text, render(text, after), before is not None)


def plan(snap: Snapshot) -> Plan:
    """What :func:`run` would write, read without any lock and without writing."""
    user_path, config_path = _paths(snap)
    user, user_text = read_object(user_path, what="user settings")
    config, config_text = read_object(config_path, what="global config")
    out = migrate(user or {}, config or {}, MigrationContext.of(snap))
    files = [
        _change(user_path, "user", user, user_text, out.user),
        _change(config_path, "global", config, config_text, out.config),
    ]
    return Plan(tuple(f for f in files if f is not None), out.applied, False)


def run(snap: Snapshot) -> Plan:
    """Migrate for real: both files locked, re-read, migrated and written atomically."""
    user_path, config_path = _paths(snap)
    mctx = MigrationContext.of(snap)
    applied: list[str] = []

    def change(objs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = migrate(objs[0], objs[1], mctx)
        applied[:] = out.applied  # called again if a file changed meanwhile
        return [out.user, out.config]

    results = update_json_files(
        [(user_path, "user settings"), (config_path, "global config")],
        change,
        locks=snap.paths.locks,
    )
    files = [_result_change(r, scope) for r, scope in zip(results, ("user", "global"), strict=True)]
    return Plan(tuple(f for f in files if f is not None), tuple(applied), True)


def _result_change(r: WriteResult, scope: str) -> FileChange | None:
    if not r.written:
        return None
    return FileChange(str(r.path), scope, r.before_text, r.after_text, r.before is not None)
