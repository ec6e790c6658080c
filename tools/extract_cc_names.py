"""Extract the environment variable names and settings keys Claude Code knows from its binary.

Reads the bundled JavaScript of a Claude Code release as text (printable byte runs, like
``strings``); never runs it. Writes ``src/claude_models/_data/claude_code_names.json``:

- ``env``: every ``CLAUDE_CODE_*`` / ``ANTHROPIC_*`` (and ``VERTEX_REGION_*``, ``CLAUDE_*``) name
  that the code reads: ``process.env.NAME``, ``env.NAME`` / ``env?.NAME``, ``env.get("NAME")``,
  a member read on an alias of ``process.env`` (``s.NAME``) or a string literal ``"NAME"`` (the
  lists of names Claude Code passes to its readers). Names that only occur in prose, and the
  run-together leftovers of the binary's string tables (``..._TASKS0``), are left out.
- ``settings_keys``: the top-level keys of the settings schema (the zod object whose entries read
  ``key:()=>schema.describe(...)``), found from ``availableModels``.

Usage: ``python tools/extract_cc_names.py [BINARY] [--release 2.1.332]``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "claude_models" / "_data" / "claude_code_names.json"
CACHE = Path.home() / ".cache" / "claude-models" / "claude-code"
TAIL = "node_modules/@anthropic-ai/claude-code-linux-x64/claude"

NAME = rb"(?:CLAUDE_CODE_|ANTHROPIC_|VERTEX_REGION_|CLAUDE_)[A-Z0-9_]*[A-Z0-9]"
READS = [
    rb"process\.env\.(" + NAME + rb")\b",
    rb"process\.env\[[\"'`](" + NAME + rb")[\"'`]\]",
    rb"\benv\??\.(" + NAME + rb")\b",
    rb"\benv\.get\([\"'`](" + NAME + rb")[\"'`]\)",
    rb"\b[A-Za-z_$][A-Za-z0-9_$]{0,3}\??\.(" + NAME + rb")\b(?![A-Za-z0-9_$])",
    rb"[\"'`](" + NAME + rb")[\"'`]",
]


def printable_runs(data: bytes, minimum: int = 6) -> list[bytes]:
    """What ``strings -n 6`` prints: runs of printable ASCII (tab included)."""
    return re.findall(rb"[\t\x20-\x7e]{%d,}" % minimum, data)


def env_names(runs: list[bytes]) -> list[str]:
    found: set[str] = set()
    pats = [re.compile(p) for p in READS]
    for run in runs:
        if b"CLAUDE_" not in run and b"ANTHROPIC_" not in run and b"VERTEX_REGION_" not in run:
            continue
        for pat in pats:
            found.update(m.decode() for m in pat.findall(run))
    # A string table runs names together with the next byte: drop X0 / XY when X is a name too.
    return sorted(n for n in found if not (len(n) > 1 and n[:-1] in found))


def _skip_template(line: str, j: int, stack: list[int]) -> int:
    """From inside a template literal at ``j``: the index after its closing backtick, or after
    a ``${`` (pushed on ``stack`` as -1, code follows)."""
    n = len(line)
    while j < n:
        if line[j] == "\\":
            j += 2
        elif line[j] == "`":
            return j + 1
        elif line.startswith("${", j):
            stack.append(-1)
            return j + 2
        else:
            j += 1
    return n


def _object_keys(line: str, anchor: str) -> list[str]:
    """The ``key:()=>`` keys of the object literal that holds ``anchor`` (a tiny JS scanner:
    quoted strings, template literals with ``${}``, nesting)."""
    at = line.find(anchor)
    if at < 0:
        return []
    stack: list[int] = []  # open braces/brackets/parens; -1 marks a template ``${``
    keys: dict[int, list[str]] = {}
    owner: int | None = None
    key_re = re.compile(r"([A-Za-z_$][A-Za-z0-9_$]*):\(\)=>")
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in "\"'":
            j = i + 1
            while j < n and line[j] != c:
                j += 2 if line[j] == "\\" else 1
            i = j + 1
            continue
        if c == "`":
            i = _skip_template(line, i + 1, stack)
            continue
        if c == "}" and stack and stack[-1] == -1:
            stack.pop()
            i = _skip_template(line, i + 1, stack)
            continue
        if c in "{[(":
            stack.append(i)
        elif c in "}])" and stack:
            stack.pop()
        if c in "{," and stack:
            m = key_re.match(line, i + 1)
            if m:
                keys.setdefault(stack[-1], []).append(m.group(1))
                if m.start() == at:
                    owner = stack[-1]
        i += 1
    return keys.get(owner, []) if owner is not None else []


def settings_keys(runs: list[bytes]) -> list[str]:
    for run in runs:
        if b"availableModels:()=>" in run and b"effortLevel:()=>" in run:
            line = run.decode("latin-1")
            at = line.find("availableModels:()=>")
            # A regex literal earlier in the line can throw the scanner off; start it at a few
            # points before the schema and keep the answer most starts agree on.
            votes: dict[tuple[str, ...], int] = {}
            for back in range(5_000, 100_001, 5_000):
                keys = _object_keys(line[max(0, at - back) :], "availableModels:()=>")
                if "model" in keys and "permissions" in keys and "$schema" in keys:
                    found = tuple(sorted(set(keys)))
                    votes[found] = votes.get(found, 0) + 1
            if votes:
                best, _ = max(votes.items(), key=lambda kv: kv[1])
                return list(best)
    return []


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", nargs="?", help="path of the claude binary (default: the cache)")
    ap.add_argument("--release", default="2.1.332")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args(argv)
    binary = Path(args.binary) if args.binary else CACHE / args.release / TAIL
    runs = printable_runs(binary.read_bytes())
    env = env_names(runs)
    keys = settings_keys(runs)
    if not env or not keys:
        print(
            f"nothing found in {binary}: env {len(env)}, settings keys {len(keys)}", file=sys.stderr
        )
        return 1
    out = {
        "note": (
            "Names read from the bundled JavaScript of Claude Code (strings only, never run) "
            "by tools/extract_cc_names.py: environment variables the code reads, and the "
            "top-level keys of its settings schema."
        ),
        "release": args.release,
        "env": env,
        "settings_keys": keys,
    }
    Path(args.out).write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(env)} variables, {len(keys)} settings keys ({args.release})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
