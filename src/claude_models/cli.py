"""The ``claude-models`` command line: argparse, pure ``format_*`` functions, thin printing.

Each subcommand lives in :mod:`claude_models.commands` as a module with ``register(sub,
common)``; this file only builds the parser, turns :class:`~.errors.ModelSystemError` into a
one-line error with exit status 2, and dispatches.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from claude_models.errors import ModelSystemError

PROG = "claude-models"
# Claude Code 2.1.332's --permission-mode values (its binary lists exactly these).
PERMISSION_MODES = ("default", "acceptEdits", "plan", "bypassPermissions", "dontAsk", "auto")
# --subscription: API key (api) or a subscription tier (claude_models.loader.SUBSCRIPTION_TYPES).
SUBSCRIPTIONS = ("api", "pro", "max", "team", "team_standard", "team_premium", "enterprise")


def terminal_columns() -> int:
    """``shutil.get_terminal_size().columns`` without importing :mod:`shutil` (with bz2, lzma
    and zlib: ~3 ms of every cold run): ``COLUMNS``, else the terminal's width, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose help formatter is told the width: argparse's own asks
    :mod:`shutil` for it, which every ``add_argument`` imports (subparsers are this class too)."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        return self.formatter_class(prog=self.prog, width=terminal_columns() - 2)  # type: ignore[call-arg]


def common_parser() -> argparse.ArgumentParser:
    """The flags every resolving command takes, spelled as Claude Code spells them."""
    p = Parser(add_help=False)
    g = p.add_argument_group("Claude Code flags and inputs")
    g.add_argument("--model", metavar="M", help="as claude --model")
    g.add_argument(
        "--permission-mode",
        metavar="MODE",
        help=f"as claude --permission-mode: {', '.join(PERMISSION_MODES)}",
    )
    g.add_argument("--effort", metavar="LEVEL", help="as claude --effort")
    g.add_argument("--settings", metavar="FILE_OR_JSON", help="as claude --settings")
    g.add_argument("--fallback-model", metavar="A[,B...]", help="as claude --fallback-model")
    g.add_argument(
        "-p",
        "--print",
        dest="print_mode",
        action="store_true",
        help="resolve a non-interactive session (claude -p)",
    )
    g.add_argument("--agent", metavar="JSON", help="also resolve this Agent tool call")
    g.add_argument(
        "--skill-model",
        metavar="M",
        help="also resolve a skill whose SKILL.md frontmatter says model: M",
    )
    g.add_argument(
        "--managed-settings",
        metavar="PATH",
        help="read managed policy from PATH instead of the platform path",
    )
    g.add_argument("--cwd", metavar="DIR", help="the project directory (default: current)")
    g.add_argument(
        "--subscription",
        metavar="TIER",
        help=f"subscription tier where it cannot be read: {', '.join(SUBSCRIPTIONS)}",
    )
    g.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        help="the date retirement warnings are computed for (default: today)",
    )
    g.add_argument(
        "--claude-version",
        metavar="V",
        help="model Claude Code release V (also CLAUDE_MODELS_CLAUDE_VERSION; default: the "
        "installed claude's release, else the newest modelled)",
    )
    return p


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser, or (``only``) one with just that subcommand: a command's module is
    imported only when it runs or when help lists every command."""
    parser = Parser(
        prog=PROG,
        description="Which model Claude Code runs, with which request, and why "
        "(the release is --claude-version, else the installed claude's, else the newest).",
    )
    from claude_models import __version__

    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    common = common_parser()
    names = command_names()
    for module in command_modules([only] if only in names else names):
        module.register(sub, common)
    return parser


def command_names() -> list[str]:
    """The public modules of :mod:`claude_models.commands`: one per subcommand. A new
    subcommand is a new module there; nothing else changes."""
    from claude_models import commands

    # A directory listing, not pkgutil.iter_modules, which imports inspect (~5 ms a run).
    return sorted(
        path.stem
        for folder in commands.__path__
        for path in Path(folder).iterdir()
        if path.suffix == ".py" and not path.name.startswith("_")
    )


def command_modules(names: Sequence[str]) -> list[ModuleType]:
    """The named command modules, in their ``ORDER`` (help order)."""
    found = [importlib.import_module(f"claude_models.commands.{name}") for name in names]
    return sorted(found, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


def _command_word(argv: Sequence[str]) -> str | None:
    """The subcommand the user typed (the first argument that is not an option)."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
        if arg in ("-h", "--help", "--version"):
            return None
    return None


def error(message: str, code: int = 2) -> int:
    """One line on stderr (control characters spelled out: terminal.py), and the status."""
    from claude_models.terminal import escape

    with contextlib.suppress(OSError):
        sys.stderr.write(f"{PROG}: error: {escape(message)}\n")
        sys.stderr.flush()
    return code


def main(argv: Sequence[str] | None = None) -> int:
    """The command line. Never a traceback: a :class:`~.errors.ModelSystemError` is one line
    and exit 2; anything unexpected is one line naming the exception's type and exit 1
    (``CLAUDE_MODELS_DEBUG=1`` prints the traceback too); a reader that closed the pipe
    (``doctor | head -1``) ends the run quietly with status 141, what the shell reports for
    ``grep`` killed by SIGPIPE."""
    try:
        code = _main(sys.argv[1:] if argv is None else list(argv))
        sys.stdout.flush()  # a closed pipe shows here, not as "Exception ignored" at exit
    except BrokenPipeError:
        return _closed_pipe()
    except SystemExit:
        # argparse's --help, --version and usage errors: it swallows a failed write, and the
        # closed pipe would show only at the interpreter's last flush (exit 0, or 120 with
        # "Exception ignored"); flushed here, it exits 141 as grep --help | true does
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            return _closed_pipe()
        raise
    except KeyboardInterrupt:
        return 130
    except ModelSystemError as exc:
        return error(str(exc))
    except Exception as exc:
        # RecursionError, MemoryError's kin and bugs alike
        if os.environ.get("CLAUDE_MODELS_DEBUG") == "1":
            import traceback

            traceback.print_exc()
        return error(
            f"unexpected {type(exc).__name__} (a bug in claude-models); "
            "rerun with CLAUDE_MODELS_DEBUG=1 to see where, and report it",
            1,
        )
    return code


def _main(argv: list[str]) -> int:
    parser = build_parser(_command_word(argv))
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


def _closed_pipe() -> int:
    """stdout's reader is gone: nothing more can be said; point stdout at /dev/null so the
    interpreter's final flush does not complain, and exit as a SIGPIPE-killed tool would."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    import signal

    return 128 + signal.SIGPIPE
