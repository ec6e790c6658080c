"""``python -m tools.follow fetch|observe|score|drift``: see docs/FOLLOWING.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.follow.observe import HarnessError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """Bad arguments: one line, exit 2."""
        sys.stderr.write(f"{self.prog}: {message}\n")
        raise SystemExit(2)


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m tools.follow", description="Follow Claude Code releases.")
    sub = p.add_subparsers(dest="cmd", required=True, parser_class=_Parser)
    f = sub.add_parser("fetch", help="install a release into the cache; print its binary")
    f.add_argument("version")
    f.add_argument("--cache", type=Path, default=None, help="cache folder (default ~/.cache/...)")
    o = sub.add_parser("observe", help="run the real binary on the scenario corpus")
    o.add_argument("--claude", required=True, metavar="BIN")
    o.add_argument("--out", required=True, type=Path, metavar="DIR")
    o.add_argument("--only", nargs="+", metavar="NAME")
    o.add_argument("--allow-managed", action="store_true")
    o.add_argument("--jobs", type=int, default=2)
    o.add_argument("--timeout", type=float, default=90.0)
    s = sub.add_parser("score", help="compare stored observations with resolve and ask")
    s.add_argument("--observed", required=True, type=Path, metavar="DIR")
    s.add_argument("--only", nargs="+", metavar="NAME")
    s.add_argument("--no-ask", action="store_true", help="compare resolve only")
    s.add_argument("--jobs", type=int, default=2)
    k = sub.add_parser("known", help="list the scenarios resolve still answers otherwise")
    k.add_argument("--observed", required=True, type=Path, metavar="DIR")
    k.add_argument("--file", type=Path, default=Path("tests/observed/KNOWN_DIFFS.json"))
    k.add_argument("--write", action="store_true", help="rewrite FILE (reasons kept)")
    k.add_argument("--jobs", type=int, default=2)
    d = sub.add_parser("drift", help="what changed between two releases' observations")
    d.add_argument("dir_a", type=Path)
    d.add_argument("dir_b", type=Path)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.cmd == "fetch":
            from tools.follow import fetch

            print(fetch.fetch(args.version, cache=args.cache))
            return 0
        if args.cmd == "observe":
            from tools.follow import observe

            if args.jobs < 1 or args.timeout <= 0:
                raise HarnessError("--jobs must be at least 1 and --timeout positive")
            written, skipped = observe.observe_all(
                observe.binary_path(args.claude),
                args.out,
                only=args.only,
                allow_managed=args.allow_managed,
                jobs=args.jobs,
                timeout=args.timeout,
            )
            print(f"{written} scenarios observed into {args.out}, {skipped} skipped")
            return 0
        if args.cmd == "score":
            from tools.follow import score

            return score.main(args.observed, only=args.only, ask=not args.no_ask, jobs=args.jobs)
        if args.cmd == "known":
            from tools.follow import score

            return score.known(args.observed, args.file, write=args.write, jobs=args.jobs)
        from tools.follow import drift

        return drift.main(args.dir_a, args.dir_b)
    except HarnessError as exc:
        sys.stderr.write(f"python -m tools.follow {args.cmd}: {exc}\n")
        return 2
    except BrokenPipeError:  # e.g. `| head`: the reader left; say nothing more
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except KeyboardInterrupt:
        sys.stderr.write(f"python -m tools.follow {args.cmd}: interrupted\n")
        return 130


if __name__ == "__main__":
    sys.exit(main())
