"""Writing a planner's edits: each scope's file is the one the snapshot read
(:attr:`~claude_models.snapshot.Snapshot.paths`), one locked read-modify-write per file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from claude_models._record import replace
from claude_models.actions.outcome import Edit
from claude_models.errors import UsageError
from claude_models.settings.layers import Layer, Settings
from claude_models.settings.scopes import Scope
from claude_models.settings.write import WriteResult, apply_path, update_json_file
from claude_models.snapshot import Snapshot

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def scope_path(snap: Snapshot, scope: Scope) -> Path:
    """The file ``scope`` was read from (:attr:`Snapshot.paths`), where its edits go."""
    paths = (
        snap.paths
        if snap.paths.cwd is not None or snap.cwd is None
        else replace(snap.paths, cwd=snap.cwd)
    )
    if scope is Scope.USER:
        return paths.user
    if scope is Scope.PROJECT:
        return paths.project
    if scope is Scope.LOCAL:
        return paths.local
    raise UsageError(f"{scope} settings are never written by claude-models")


def persist(snap: Snapshot, edits: Sequence[Edit]) -> list[WriteResult]:
    """Write ``edits``, one locked read-modify-write per file."""
    by_scope: dict[Scope, list[Edit]] = {}
    for e in edits:
        by_scope.setdefault(e.scope, []).append(e)
    out = []
    for scope, group in by_scope.items():

        def change(data: dict[str, Any], group: list[Edit] = group) -> dict[str, Any]:
            for e in group:
                apply_path(data, e.keys, e.value)
            return data

        path = scope_path(snap, scope)
        # project and local files may not lead out of the project (settings/write.py)
        within = None if scope is Scope.USER else path.parent.parent
        out.append(
            update_json_file(
                path, change, what=f"{scope} settings", within=within, locks=snap.paths.locks
            )
        )
    return out


def with_written(
    snap: Snapshot, results: Sequence[WriteResult], scopes: Sequence[Scope]
) -> Snapshot:
    """The snapshot with the written files' new contents as its layers."""
    layers = {la.scope: la for la in snap.settings.layers}
    for r, scope in zip(results, scopes, strict=True):
        layers[scope] = Layer.parse(scope, str(r.path), r.after)
    settings = Settings(tuple(layers.values()), session=snap.settings.session)
    return replace(snap, settings=settings)
