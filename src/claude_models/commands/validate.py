"""``claude-models validate MODEL [--json]``: the ``/model`` probe (seed lesson 11).

One request, ``max_tokens: 1``, user text ``Hi``, no retries, a timeout. Exit 0 when the model
answered, 1 when it is not found, access is denied or something else went wrong.
"""

from __future__ import annotations

import argparse
import sys

from claude_models._record import asdict
from claude_models.commands._common import print_json, say, snapshot_of

ORDER = 45
LABELS = {
    "available": "available",
    "not_found": "not found",
    "access_denied": "access denied",
    "other": "other",
}


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "validate",
        parents=[common],
        help="probe whether this account can call MODEL (max_tokens 1)",
        description="Send the one-token probe Claude Code's /model sends for MODEL.",
    )
    p.add_argument("model", metavar="MODEL")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(run=run)


def format_result(verdict: str, message: str, suggestion: str | None) -> str:
    line = f"{LABELS.get(verdict, verdict)}: {message}"
    if suggestion:
        line += f". Try --model to switch to {suggestion}"
    return line


def run(args: argparse.Namespace) -> int:
    from claude_models.live import profiles
    from claude_models.live.probe import validate_model

    snap = snapshot_of(args)
    snap = profiles.with_profiles(snap, profiles.wait(snap.env, 3.0))
    result = validate_model(snap, args.model)
    if args.json:
        print_json(asdict(result))
    else:
        stream = sys.stdout if result.verdict == "available" else sys.stderr
        say(
            format_result(result.verdict, result.message, result.suggestion), file=stream, line=True
        )
    return 0 if result.verdict == "available" else 1
