"""``claude-models models [--json]``: the ``/model`` picker's options for this user, in order."""

from __future__ import annotations

import argparse

from claude_models.actions.picker import Option, options
from claude_models.commands._common import print_json, say, snapshot_of
from claude_models.terminal import join_lines

ORDER = 30


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "models",
        parents=[common],
        help="the /model picker's options for this user",
        description="List what /model would offer this user (tier, provider, availableModels), "
        "in picker order, with the value each option saves.",
    )
    p.add_argument("--json", action="store_true", help='print {"options": [...]} (spec/CLI.md)')
    p.set_defaults(run=run)


def format_options(opts: tuple[Option, ...]) -> str:
    width = max(len(o.label) for o in opts)
    lines = []
    for o in opts:
        saves = "removes model" if o.value is None else f"saves {o.value}"
        lines.append(f"{o.label:<{width}}  {o.description}  [{saves}]")
    return join_lines(lines) + "\n"  # a newline in a label or description forges no line


def run(args: argparse.Namespace) -> int:
    opts = options(snapshot_of(args))
    if args.json:
        print_json({"options": [o.to_json() for o in opts]})
    else:
        say(format_options(opts), end="")
    return 0
