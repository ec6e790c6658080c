"""``claude-models fast on|off``: ``/fast``, persisted in user settings."""

from __future__ import annotations

import argparse

from claude_models.actions.fast import set_fast
from claude_models.commands._common import snapshot_of
from claude_models.commands._writes import finish

ORDER = 33


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "fast",
        parents=[common],
        help="turn fast mode on or off the way /fast does",
        description="Turn fast mode on or off as /fast does. On switches to the fast-mode "
        "model only when the current one lacks fast mode (saved as the default model, since "
        "there is no session to keep it). Exit 1 where fast mode is unavailable.",
    )
    p.add_argument("state", choices=["on", "off"])
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    snap = snapshot_of(args)
    return finish(snap, set_fast(snap, args.state == "on", save_model_switch=True))
