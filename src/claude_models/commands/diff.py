"""``claude-models diff --from A [--to B] [--json]``: what an upgrade changes for this user.

Resolves the user's own configuration (the same inputs as ``resolve``) under two Claude Code
releases and prints only what differs (main loop, side queries and what a refusal does,
subagent, fallbacks and step-downs, fast mode, warnings), each with the release note that
explains it: a catalog alias move names the alias and provider, a rule change quotes the rule.
"""

from __future__ import annotations

import argparse

from claude_models._record import replace
from claude_models.changes import Difference, between, compare
from claude_models.commands._common import print_json, snapshot_of
from claude_models.errors import UsageError
from claude_models.releases import NEWEST, RELEASES, check_release
from claude_models.result import Resolution

ORDER = 60


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "diff",
        parents=[common],
        help="what upgrading Claude Code changes for this configuration",
        description="Resolve this configuration under two Claude Code releases and print only "
        "what differs, each with the release note that explains it.",
    )
    p.add_argument("--from", dest="release_from", metavar="V", required=True, help="old release")
    p.add_argument("--to", dest="release_to", metavar="V", help=f"new release (default: {NEWEST})")
    p.add_argument("--json", action="store_true", help="print the differences as JSON")
    p.set_defaults(run=run)


def _release(flag: str, value: str) -> str:
    try:
        return check_release(value.strip())
    except ValueError:
        raise UsageError(
            f"{flag}: {value!r} is not a modelled release; modelled: {', '.join(RELEASES)}"
        ) from None


def resolutions(args: argparse.Namespace) -> tuple[str, str, Resolution, Resolution]:
    start = _release("--from", args.release_from)
    end = _release("--to", args.release_to or NEWEST)
    if getattr(args, "claude_version", None):
        raise UsageError("diff compares --from and --to; --claude-version does not apply")
    snap = snapshot_of(args)
    from claude_models.resolver import resolve

    old = resolve(replace(snap, claude_version=start, claude_code=None))
    new = resolve(replace(snap, claude_version=end, claude_code=None))
    return start, end, old, new


def format_diff(start: str, end: str, provider: str, diffs: list[Difference]) -> str:
    head = f"Claude Code {start} -> {end}, provider {provider}:"
    if not diffs:
        return f"{head} no difference for this configuration.\n"
    lines = [head]
    for d in diffs:
        lines.append(f"  {d.what}: {d.before}")
        lines.append(f"  {' ' * len(d.what)}  -> {d.after}")
        for n in d.notes:
            lines.append(f"      {n.release}: {n.text}")
        if not d.notes:
            lines.append("      (follows from the configuration under the new release)")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    start, end, old, new = resolutions(args)
    diffs = compare(old, new, between(start, end))
    if args.json:
        print_json(
            {
                "from": start,
                "to": end,
                "provider": new.provider,
                "differences": [d.to_json() for d in diffs],
            }
        )
    else:
        print(format_diff(start, end, new.provider, diffs), end="")
    return 0
