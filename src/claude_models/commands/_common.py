"""What the resolving subcommands share: flags -> snapshot -> resolution."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TextIO

from claude_models.loader import load_snapshot
from claude_models.resolver import resolve
from claude_models.result import Resolution
from claude_models.snapshot import Flags, Snapshot


def flags_of(args: argparse.Namespace) -> Flags:
    return Flags(
        model=args.model,
        permission_mode=args.permission_mode,
        effort=args.effort,
        fallback_model=args.fallback_model,
        print_mode=args.print_mode,
        skill_model=args.skill_model,
    )


def snapshot_of(args: argparse.Namespace) -> Snapshot:
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
