"""``claude-models effort set LEVEL``: ``/effort LEVEL`` for the model the session runs."""

from __future__ import annotations

import argparse

from claude_models.actions.effort import EFFORT_OPTIONS, set_effort
from claude_models.commands._common import snapshot_of
from claude_models.commands._writes import finish

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
    return finish(snap, set_effort(snap, " ".join(args.level)))
