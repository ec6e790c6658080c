"""``claude-models migrate [--dry-run] [--json]``: Claude Code's start-up migrations, shown
as a unified diff per file and applied safely (only user settings and ``~/.claude.json``)."""

from __future__ import annotations

import argparse

from claude_models import migrations
from claude_models.commands._common import print_json, say, snapshot_of

ORDER = 40


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "migrate",
        parents=[common],
        help="run Claude Code's settings migrations (show the diff first with --dry-run)",
        description="Apply the settings migrations Claude Code runs at start-up to user "
        "settings and ~/.claude.json, printing a unified diff of each file changed. Project, "
        "local and managed settings are never touched.",
    )
    p.add_argument("--dry-run", action="store_true", help="show the diff, change nothing")
    p.add_argument(
        "--json", action="store_true", help="print files, before/after and diffs as JSON"
    )
    p.set_defaults(run=run)


def format_plan(plan: migrations.Plan) -> str:
    if not plan.files:
        return "Nothing to migrate.\n"
    return "".join(f.diff() for f in plan.files)


def run(args: argparse.Namespace) -> int:
    snap = snapshot_of(args)
    plan = migrations.plan(snap) if args.dry_run else migrations.run(snap)
    if args.json:
        print_json(plan.to_json())
    else:
        say(format_plan(plan), end="")
    return 0
