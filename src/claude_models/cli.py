"""The ``claude-models`` command line: argparse, pure ``format_*`` functions, thin printing.

Each subcommand lives in :mod:`claude_models.commands` as a module with ``register(sub,
common)``; :mod:`claude_models.commands._parser` builds argparse's parser from them. This file
turns :class:`~.errors.ModelSystemError` into a one-line error with exit status 2, and
dispatches. A command line made only of a command's known flags (``resolve --json -p
--model opus``) is read here without argparse (:func:`fast_args`): argparse's import, its
parser and its translations are a third of a cold ``resolve``; anything else (help, errors,
abbreviations, ``--``, a value that starts with ``-``) goes to argparse.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace

from claude_models.errors import ModelSystemError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final, NoReturn

PROG = "claude-models"
# Claude Code 2.1.332's --permission-mode values (its binary lists exactly these).
PERMISSION_MODES = ("default", "acceptEdits", "plan", "bypassPermissions", "dontAsk", "auto")
# --subscription: API key (api) or a subscription tier (claude_models.loader.SUBSCRIPTION_TYPES).
SUBSCRIPTIONS = ("api", "pro", "max", "team", "team_standard", "team_premium", "enterprise")

# The flags every resolving command takes, in help order: (spellings, dest, metavar, help);
# a metavar of None is an on/off flag. argparse's parser is built from this table
# (commands/_parser.py) and fast_args reads command lines with it.
COMMON_OPTIONS: Final[tuple[tuple[tuple[str, ...], str, str | None, str], ...]] = (
    (("--model",), "model", "M", "as claude --model"),
    (
        ("--permission-mode",),
        "permission_mode",
        "MODE",
        f"as claude --permission-mode: {', '.join(PERMISSION_MODES)}",
    ),
    (("--effort",), "effort", "LEVEL", "as claude --effort"),
    (("--settings",), "settings", "FILE_OR_JSON", "as claude --settings"),
    (("--fallback-model",), "fallback_model", "A[,B...]", "as claude --fallback-model"),
    (("-p", "--print"), "print_mode", None, "resolve a non-interactive session (claude -p)"),
    (("--agent",), "agent", "JSON", "also resolve this Agent tool call"),
    (
        ("--skill-model",),
        "skill_model",
        "M",
        "also resolve a skill whose SKILL.md frontmatter says model: M",
    ),
    (
        ("--managed-settings",),
        "managed_settings",
        "PATH",
        "read managed policy from PATH instead of the platform path",
    ),
    (("--cwd",), "cwd", "DIR", "the project directory (default: current)"),
    (
        ("--subscription",),
        "subscription",
        "TIER",
        f"subscription tier where it cannot be read: {', '.join(SUBSCRIPTIONS)}",
    ),
    (
        ("--today",),
        "today",
        "YYYY-MM-DD",
        "the date retirement warnings are computed for (default: today)",
    ),
    (
        ("--claude-version",),
        "claude_version",
        "V",
        "model Claude Code release V (also CLAUDE_MODELS_CLAUDE_VERSION; default: the "
        "installed claude's release, else the newest modelled)",
    ),
)


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


def fast_args(argv: Sequence[str]) -> SimpleNamespace | None:
    """What argparse would make of ``argv``, read without argparse, or ``None`` to let
    argparse read it: only a command whose module has a ``SWITCHES`` table (its own on/off
    flags; it takes the :data:`COMMON_OPTIONS` and nothing else), followed only by those
    flags spelled out whole (``--model M`` or ``--model=M``, each once; a separate value
    must not start with ``-``). ``tests/test_cli_fast.py`` holds it to argparse's answers."""
    if not argv or not _is_command_word(argv[0]):
        return None
    name = f"claude_models.commands.{argv[0]}"
    try:
        __import__(name)  # not importlib.import_module: importlib is ~1% of a cold run
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise
        return None  # not a command: argparse says so
    module = sys.modules[name]
    switches = getattr(module, "SWITCHES", None)
    if switches is None:
        return None
    values: dict[str, object] = {"command": argv[0]}
    flags: dict[str, str] = {}
    options: dict[str, str] = {}
    for spellings, dest, metavar, _ in COMMON_OPTIONS:
        values[dest] = None if metavar is not None else False
        for spelling in spellings:
            (options if metavar is not None else flags)[spelling] = dest
    for flag, dest, _ in switches:
        values[dest] = False
        flags[flag] = dest
    seen: set[str] = set()
    rest = iter(argv[1:])
    for arg in rest:
        if arg in flags:
            dest = flags[arg]
            value: object = True
        else:
            option, eq, given = arg.partition("=")
            if option not in options:
                return None
            dest = options[option]
            if not eq:
                given = next(rest, "-")
                if given.startswith("-"):
                    return None
            value = given
        if dest in seen:
            return None
        seen.add(dest)
        values[dest] = value
    values["run"] = module.run
    return SimpleNamespace(**values)


def _is_command_word(word: str) -> bool:
    return word.isidentifier() and word.islower() and not word.startswith("_")


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

    try:
        sys.stderr.write(f"{PROG}: error: {escape(message)}\n")
        sys.stderr.flush()
    except OSError:
        pass
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


def console() -> NoReturn:
    """The ``claude-models`` executable (and ``python -m claude_models``): :func:`main`, then
    exit with its status. After a command whose module says ``READ_ONLY`` (it reads files and
    prints, nothing more: ``resolve``, ``explain``), once its output is flushed, the process
    ends at once (``os._exit``): nothing is left to run (no thread, temporary file or exit
    handler of ours), and the interpreter's teardown, which frees every object one by one, was
    a tenth of a cold ``resolve``."""
    code = main()
    if _read_only_done:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass  # main() has dealt with a closed stdout already
        os._exit(code)
    raise SystemExit(code)


_read_only_done = False


def _main(argv: list[str]) -> int:
    global _read_only_done  # noqa: PLW0603 - read once, by console(), after main() returns
    fast = fast_args(argv)
    if fast is not None:
        done: int = fast.run(fast)
        _read_only_done = bool(getattr(sys.modules[fast.run.__module__], "READ_ONLY", False))
        return done
    from claude_models.commands._parser import build_parser

    args = build_parser(_command_word(argv)).parse_args(argv)
    code: int = args.run(args)
    return code


def _closed_pipe() -> int:
    """stdout's reader is gone: nothing more can be said; point stdout at /dev/null so the
    interpreter's final flush does not complain, and exit as a SIGPIPE-killed tool would."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except OSError:
        pass
    import signal

    return 128 + signal.SIGPIPE
