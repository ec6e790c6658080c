"""``claude-models resolve [--json]``: the machine-readable answer (spec/CLI.md)."""

from __future__ import annotations

from claude_models.commands._common import print_json, snapshot_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Final

ORDER = 10
# It reads and prints, nothing more: cli.console ends the process once its output is out.
READ_ONLY: Final = True
# The command's own on/off flags: (flag, dest, help); cli.fast_args reads them too.
SWITCHES: Final = (
    ("--json", "json", "print JSON (the default and only format; accepted for scripts)"),
)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "resolve",
        parents=[common],
        help="what Claude Code would send, as JSON",
        description="Print what Claude Code would send, and why, as JSON.",
    )
    from claude_models.commands._parser import add_switches

    add_switches(p, SWITCHES)
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
