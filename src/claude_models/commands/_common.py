"""What the resolving subcommands share: flags -> snapshot -> resolution."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

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
