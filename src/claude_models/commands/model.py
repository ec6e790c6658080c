"""``claude-models model set M [--scope user|project|local]``: ``/model M``, persisted."""

from __future__ import annotations

import argparse

from claude_models.actions.model import set_model
from claude_models.commands._common import snapshot_of
from claude_models.commands._writes import finish
from claude_models.settings.scopes import Scope

ORDER = 31


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "model",
        parents=[common],
        help="set the model the way /model does",
        description="Save a model as /model does: as typed (an alias, an id of any provider, "
        "with [1m]); 'default' removes it. Exit 1 where Claude Code refuses.",
    )
    p.add_argument("action", choices=["set"], help="set")
    p.add_argument(
        "value", metavar="M", help="opus, sonnet, haiku, fable, opusplan, an id, default"
    )
    p.add_argument(
        "--scope",
        choices=["user", "project", "local"],
        default="user",
        help="which settings file to save in (default: user)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    snap = snapshot_of(args)
    return finish(snap, set_model(snap, args.value, scope=Scope(args.scope)))
