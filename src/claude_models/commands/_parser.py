"""argparse's side of the command line: the parser, built from the flag tables in
:mod:`claude_models.cli` (which also reads the simplest command lines itself, without
importing argparse: ``cli.fast_args``)."""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from claude_models.cli import COMMON_OPTIONS, PROG, terminal_columns


class Parser(argparse.ArgumentParser):
    """argparse's parser, whose help formatter is told the width: argparse's own asks
    :mod:`shutil` for it, which every ``add_argument`` imports (subparsers are this class too)."""

    def _get_formatter(self) -> argparse.HelpFormatter:
        return self.formatter_class(prog=self.prog, width=terminal_columns() - 2)  # type: ignore[call-arg]


def common_parser() -> argparse.ArgumentParser:
    """The flags every resolving command takes, spelled as Claude Code spells them
    (:data:`claude_models.cli.COMMON_OPTIONS`)."""
    p = Parser(add_help=False)
    g = p.add_argument_group("Claude Code flags and inputs")
    for flags, dest, metavar, text in COMMON_OPTIONS:
        if metavar is None:
            g.add_argument(*flags, dest=dest, action="store_true", help=text)
        else:
            g.add_argument(*flags, dest=dest, metavar=metavar, help=text)
    return p


def add_switches(p: argparse.ArgumentParser, switches: Sequence[tuple[str, str, str]]) -> None:
    """A command's own on/off flags (its ``SWITCHES`` table, which ``cli.fast_args`` reads too)."""
    for flag, dest, text in switches:
        p.add_argument(flag, dest=dest, action="store_true", help=text)


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
