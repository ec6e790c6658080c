"""What the commands that change settings share: print an outcome, persist its edits."""

from __future__ import annotations

import sys

from claude_models.actions.outcome import Outcome
from claude_models.actions.persist import persist
from claude_models.commands._common import say
from claude_models.snapshot import Snapshot


def finish(snap: Snapshot, out: Outcome) -> int:
    """Refused: the message on stderr, exit 1, nothing written. Else: write, then print the
    message and any notices on stdout, exit 0."""
    if not out.ok:
        say(out.message, file=sys.stderr)
        return 1
    persist(snap, out.edits)
    say(out.message)
    for notice in out.notices:
        say(notice)
    return 0
