"""``claude-models validate MODEL [--json]``: the ``/model`` probe (seed lesson 11).

One request, ``max_tokens: 1``, user text ``Hi``, no retries, a timeout. Exit 0 when the model
answered, 1 when it is not found, access is denied or something else went wrong.
"""

from __future__ import annotations

import argparse
import sys

from claude_models._record import asdict
from claude_models.commands._common import print_json, say, snapshot_of
from claude_models.resolvers.context import context_of
from claude_models.resolvers.policy import policy_block
from claude_models.resolvers.setting import resolve_setting
from claude_models.snapshot import Snapshot

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


def format_result(
    verdict: str, message: str, suggestion: str | None, fallback: str | None = None
) -> str:
    line = f"{LABELS.get(verdict, verdict)}: {message}"
    if fallback:
        line += f". As the main loop, {fallback}"
    elif suggestion:
        line += f". Try --model to switch to {suggestion}"
    return line


def policy_refusal(snap: Snapshot, model: str) -> tuple[str, str] | None:
    """The wire id and the message ``validate`` gives instead of probing a model that managed
    ``deniedModels`` denies or an enforced ``availableModels`` excludes (``None``: probe)."""
    ctx = context_of(snap)
    r = resolve_setting(model, ctx, explicit=True)
    why = policy_block(ctx, r.names, r.model)
    if why is None:
        return None
    return r.wire, f"{model} is ruled out by {why}; nothing was sent"


def run(args: argparse.Namespace) -> int:
    from claude_models.live import profiles
    from claude_models.live.probe import validate_model

    snap = snapshot_of(args)
    refused = policy_refusal(snap, args.model)
    if refused is not None:
        # managed policy rules the model out: nothing is sent (issue 12 item 2)
        wire, message = refused
        if args.json:
            print_json(
                {
                    "model": wire,
                    "verdict": "ruled_out_by_policy",
                    "status": None,
                    "message": message,
                    "suggestion": None,
                }
            )
        else:
            say(f"claude-models: error: validate: {message}", file=sys.stderr, line=True)
        return 1
    snap = profiles.with_profiles(snap, profiles.wait(snap.env, 3.0))
    result = validate_model(snap, args.model)
    if args.json:
        print_json(asdict(result))
    else:
        stream = sys.stdout if result.verdict == "available" else sys.stderr
        say(
            format_result(result.verdict, result.message, result.suggestion, result.fallback),
            file=stream,
            line=True,
        )
    return 0 if result.verdict == "available" else 1
