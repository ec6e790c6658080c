"""``claude-models releases [--json]``: the modelled Claude Code releases and their changes.

Catalog changes (alias targets per provider, retirement dates, model facts) are computed from
each release's data against the release before it; behaviour changes are the rules of
:mod:`claude_models.releases` that start there.
"""

from __future__ import annotations

import argparse

from claude_models.changes import release_changes
from claude_models.commands._common import print_json
from claude_models.releases import NEWEST, RELEASES

ORDER = 61


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "releases",
        help="the Claude Code releases modelled, and what each changed",
        description="List the Claude Code releases claude-models models and what each changed "
        "in the model catalog and in behaviour.",
    )
    p.add_argument("--json", action="store_true", help="print the releases as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    listed = [(v, release_changes(v)) for v in RELEASES]
    if args.json:
        print_json(
            {
                "newest": NEWEST,
                "releases": [
                    {"version": v, "changes": [c.to_json() for c in changes]}
                    for v, changes in listed
                ],
            }
        )
        return 0
    lines = []
    for i, (v, changes) in enumerate(listed):
        tag = " (newest, the default)" if v == NEWEST else ""
        lines.append(f"{v}{tag}")
        if i == 0:
            lines.append("  the first modelled release (BEHAVIOUR.md)")
        elif not changes:
            lines.append("  no observed change")
        lines += [f"  [{c.kind}] {c.text}" for c in changes]
    print("\n".join(lines))
    return 0
