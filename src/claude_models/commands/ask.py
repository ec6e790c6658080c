"""``claude-models ask PROMPT [--json] [--side | --agent JSON]``: one real request in a role.

The request is exactly what ``resolve`` says for that role; the main loop walks its fallback
chain (BEHAVIOUR.md 7), a side query follows section 4 (or the opt-in main-model fallback), a
subagent runs the ``--agent`` tool call's request. Prints ``{"models_tried", "model", "ok",
"status", "error", "text"}``; exit 0 when answered, 1 when not.
"""

from __future__ import annotations

import argparse
import sys

from claude_models.commands._common import print_json, say, snapshot_of
from claude_models.errors import LiveError, ModelURLError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

ORDER = 40
# How long ``ask`` lets a started Bedrock profile listing land before it sends built-in ids.
PROFILE_WAIT: Final = 3.0


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "ask",
        parents=[common],
        help="send one real request as the main loop, a side query or a subagent",
        description=(
            "Send PROMPT as Claude Code would: as the main loop (with its fallback models), "
            "as a side query (--side) or as the subagent of an Agent tool call (--agent JSON)."
        ),
    )
    p.add_argument("prompt", metavar="PROMPT")
    p.add_argument("--side", action="store_true", help="send it as a background side query")
    p.add_argument("--json", action="store_true", help="print the outcome as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from claude_models.live import chain, profiles

    if args.side and args.agent:
        raise UsageError("ask: --side and --agent are two different roles; give one")
    snap = snapshot_of(args)
    snap = profiles.with_profiles(snap, profiles.wait(snap.env, PROFILE_WAIT))
    try:
        if args.side:
            out = chain.run_side(snap, args.prompt)
        elif args.agent:
            out = chain.run_subagent(snap, args.prompt)
        else:
            out = chain.run_main(snap, args.prompt)
    except (LiveError, ModelURLError) as exc:
        from claude_models.masking import mask

        out = chain.Outcome(error=mask(str(exc), snap.env))
    if args.json:
        print_json(out.to_json())
    elif out.ok:
        say(out.text or "")
    else:
        say(f"claude-models: {out.error}", file=sys.stderr, line=True)
    return 0 if out.ok else 1
