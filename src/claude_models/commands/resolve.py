"""``claude-models resolve [--json]``: the machine-readable answer (spec/CLI.md)."""

from __future__ import annotations

import argparse

from claude_models.commands._common import print_json, snapshot_of

ORDER = 10


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "resolve",
        parents=[common],
        help="what Claude Code would send, as JSON",
        description="Print what Claude Code would send, and why, as JSON.",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON (the default and only format; accepted for scripts)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from claude_models.checks.layers import layers
    from claude_models.resolver import resolve

    snap = snapshot_of(args)
    res = resolve(snap)
    data = res.to_json()
    data["layers"] = layers(snap, res)  # every layer's value of each model key (additive)
    print_json(data)
    return 0
