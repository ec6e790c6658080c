"""``claude-models effort set LEVEL``: ``/effort LEVEL`` for the model the session runs."""

from __future__ import annotations

import argparse
import sys

from claude_models.actions.effort import EFFORT_OPTIONS, effort_key, set_effort
from claude_models.actions.outcome import Outcome
from claude_models.commands._common import snapshot_of
from claude_models.commands._writes import finish
from claude_models.snapshot import Snapshot

ORDER = 32


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "effort",
        parents=[common],
        help="set the effort level the way /effort does",
        description="Save an effort level for the current model as /effort does "
        "(modelSettings.<catalog id>.effortLevel in user settings; max is session-only, "
        "auto clears it).",
    )
    p.add_argument("action", choices=["set"], help="set")
    p.add_argument("level", nargs="+", metavar="LEVEL", help=EFFORT_OPTIONS)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    snap = snapshot_of(args)
    out = set_effort(snap, " ".join(args.level))
    code = finish(snap, out)
    if out.ok:
        # stdout keeps Claude Code's own message; which model it was saved for goes to stderr
        print(saved_for(snap, out), file=sys.stderr)
    return code


def saved_for(snap: Snapshot, out: Outcome) -> str:
    """Which model the level was saved for (``/effort`` saves per model, which surprises)."""
    key = effort_key(snap)
    if not out.edits:
        return f"(for {key}, this session only: nothing saved)"
    where = snap.paths.user
    return (
        f"(saved for {key} as modelSettings.{key}.effortLevel in {where}; other models keep "
        "their own level)"
    )
