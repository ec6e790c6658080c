"""What the resolving subcommands share: flags -> snapshot -> resolution."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import MappingProxyType

from claude_models._record import replace
from claude_models.errors import UsageError
from claude_models.loader import load_snapshot
from claude_models.resolver import resolve
from claude_models.result import Resolution
from claude_models.settings.layers import Layer, Settings
from claude_models.settings.scopes import Scope
from claude_models.snapshot import Flags, Snapshot

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, TextIO


def check_choices(args: argparse.Namespace) -> None:
    """``--permission-mode`` and ``--subscription`` take only real values: a one-line error
    listing them (exit 2), as Claude Code refuses an unknown ``--permission-mode``."""
    from claude_models.cli import PERMISSION_MODES, SUBSCRIPTIONS

    mode = args.permission_mode
    if mode is not None and mode not in PERMISSION_MODES:
        raise UsageError(
            f"--permission-mode: {mode!r} is not a permission mode; use one of "
            + ", ".join(PERMISSION_MODES)
        )
    tier = args.subscription
    if tier is not None and tier.strip().lower() not in SUBSCRIPTIONS:
        raise UsageError(
            f"--subscription: {tier!r} is not a tier; use one of " + ", ".join(SUBSCRIPTIONS)
        )


def flags_of(args: argparse.Namespace) -> Flags:
    check_choices(args)
    return Flags(
        model=args.model,
        permission_mode=args.permission_mode,
        effort=args.effort,
        fallback_model=args.fallback_model,
        print_mode=args.print_mode,
        skill_model=args.skill_model,
    )


def snapshot_of(args: argparse.Namespace) -> Snapshot:
    snap = _load(args)
    if args.managed_settings and snap.settings.layer(Scope.MANAGED) is None:
        # Named but missing: no policy is in force; a layer that says so lets the checks name
        # it (claude_models.checks: managed_policy_missing). Nothing else reads it.
        missing = Layer(Scope.MANAGED, str(Path(args.managed_settings)), exists=False)
        settings = Settings((*snap.settings.layers, missing), session=snap.settings.session)
        snap = replace(snap, settings=settings)
    if not snap.agents:
        # Custom agents are read for every command, not only with --agent: the checks look at
        # their frontmatter models (claude_models.checks).
        from claude_models.agentfiles import load_agents

        found, problems = load_agents(Path(snap.cwd or "."), snap.paths.agents_dir.parent)
        if found or problems:
            snap = replace(
                snap, agents=MappingProxyType(found), problems=(*snap.problems, *problems)
            )
    return snap


def _load(args: argparse.Namespace) -> Snapshot:
    return load_snapshot(
        flags_of(args),
        cwd=args.cwd,
        settings_arg=args.settings,
        managed_path=args.managed_settings,
        agent_json=args.agent,
        subscription=args.subscription,
        today=args.today,
        claude_version=getattr(args, "claude_version", None),
    )


def resolution_of(args: argparse.Namespace) -> Resolution:
    return resolve(snapshot_of(args))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def say(text: str, *, file: TextIO | None = None, end: str = "\n", line: bool = False) -> None:
    """Human output: control characters spelled out (:mod:`claude_models.terminal`), never
    sent raw to the terminal; ``line=True`` for text that must stay one line."""
    from claude_models.terminal import clean, escape  # not on the --json path

    out = sys.stdout if file is None else file
    out.write((escape(text) if line else clean(text)) + end)
