"""``claude-models explain``: every value with the file, flag or variable that decided it.

:func:`format_explain` is pure (resolution -> sections of rows); :func:`print_explain` draws
them with rich when it is installed (``claude-models[pretty]``; rich honours ``NO_COLOR``),
as plain aligned text otherwise. ``--json`` prints exactly what ``resolve --json`` prints.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from typing import TextIO

from claude_models.commands._common import print_json, resolution_of
from claude_models.result import Request, Resolution


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    value: str
    origin: str


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    rows: tuple[Row, ...]


def _v(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else "-"
    return str(value)


def _request_rows(req: Request) -> tuple[Row, ...]:
    model_origin = req.source if req.origin in (None, req.source) else f"{req.source}: {req.origin}"
    if req.setting is not None and req.setting != req.model:
        model_origin += f" (setting {req.setting!r})"
    thinking = (
        "none sent"
        if req.thinking is None
        else (
            req.thinking.type
            if req.thinking.budget_tokens is None
            else f"{req.thinking.type}, budget {req.thinking.budget_tokens}"
        )
    )
    return (
        Row("model", req.model, model_origin),
        Row("max_tokens", str(req.max_tokens), _v(req.max_tokens_source)),
        Row("effort", req.effort or "none sent", _v(req.effort_source)),
        Row("thinking", thinking, _v(req.thinking_source)),
        Row("context window", f"{req.context_window:,}", _v(req.context_source)),
        Row("betas", _v(req.betas), "context window / fast mode" if req.betas else "-"),
        Row("speed", _v(req.speed), "fast mode" if req.speed else "-"),
        Row("region", _v(req.region), _v(req.region_source)),
    )


def format_explain(res: Resolution) -> tuple[Section, ...]:
    """The resolution as titled sections of (name, value, origin) rows."""
    out = [
        Section(
            "session",
            (
                Row(
                    "provider",
                    res.provider,
                    res.provider_source or "default (no CLAUDE_CODE_USE_*)",
                ),
                Row("session", res.session, "-p/--print" if res.session == "print" else "no -p"),
            ),
        ),
        Section("main loop", _request_rows(res.main)),
        Section(
            "fallback models",
            (
                Row(
                    "chain",
                    _v(res.fallback_models),
                    res.fallback_source or "unset (--fallback-model, fallbackModel)",
                ),
            ),
        ),
    ]
    if res.side is not None:
        side = res.side
        fallback = (
            "CLAUDE_MODELS_SIDE_QUERY_FALLBACK unset: a refused side query fails, as in Claude Code"
            if side.fallback == "off"
            else "CLAUDE_MODELS_SIDE_QUERY_FALLBACK: a refused side query is retried once "
            "on the main-loop model"
        )
        out.append(
            Section(
                "side queries (haiku slot)",
                (
                    Row("model", side.model, side.source),
                    Row("effort", side.effort or "none sent", _v(side.effort_source)),
                    Row("max_tokens", str(side.max_tokens), "model default"),
                    Row("region", _v(side.region), "-"),
                    Row("runtime fallback", side.fallback, fallback),
                ),
            )
        )
    sub = res.subagent
    if sub is not None:
        title = f"subagent ({sub.agent_type})"
        if sub.request is None:
            out.append(Section(title, (Row("error", sub.error or "-", "Agent tool call"),)))
        else:
            rows = _request_rows(sub.request)
            if sub.replaced:
                rows += (Row("replaced", sub.replaced, "not allowed: the parent's model runs"),)
            out.append(Section(title, rows))
    fm = res.fast_mode
    out.append(Section("fast mode", (Row("state", fm.state, fm.reason or "-"),)))
    return tuple(out)


def format_plain(sections: tuple[Section, ...], res: Resolution) -> str:
    rows = [r for s in sections for r in s.rows]
    w_name = max(len(r.name) for r in rows)
    w_val = min(48, max(len(r.value) for r in rows))
    lines: list[str] = []
    for s in sections:
        lines.append(s.title.upper())
        for r in s.rows:
            lines.append(f"  {r.name:<{w_name}}  {r.value:<{w_val}}  {r.origin}")
        lines.append("")
    lines.append(format_warnings(res))
    return "\n".join(lines) + "\n"


def format_warnings(res: Resolution) -> str:
    if not res.warnings:
        return "WARNINGS\n  none"
    return "WARNINGS\n" + "\n".join(f"  [{w.code}] {w.message}" for w in res.warnings)


def print_explain(res: Resolution, out: TextIO = sys.stdout) -> None:
    sections = format_explain(res)
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # the [pretty] extra is optional
        out.write(format_plain(sections, res))
        return
    # Not a terminal (a pipe, a file): wide enough that no origin is cut.
    width = None if out.isatty() else 160
    console = Console(file=out, highlight=False, soft_wrap=False, width=width)
    table = Table(
        title="What Claude Code 2.1.328 would send",
        title_justify="left",
        show_lines=False,
        expand=False,
    )
    table.add_column("role", style="bold", overflow="fold")
    table.add_column("setting", overflow="fold")
    table.add_column("value", style="cyan", overflow="fold")
    table.add_column("decided by", style="dim", overflow="fold")
    for s in sections:
        for i, r in enumerate(s.rows):
            table.add_row(
                s.title if i == 0 else "",
                r.name,
                r.value,
                r.origin,
                end_section=i == len(s.rows) - 1,
            )
    console.print(table)
    if res.warnings:
        console.print("[bold yellow]Warnings[/]")
        for w in res.warnings:
            console.print(f"  [yellow]\\[{w.code}][/] {w.message}", markup=True)
    else:
        console.print("No warnings.")


ORDER = 20


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    p = sub.add_parser(
        "explain",
        parents=[common],
        help="every value with its origin, and the warnings",
        description="Show which model each role runs on, with which request, "
        "which file, flag or variable decided each value, and the "
        "warnings that apply.",
    )
    p.add_argument("--json", action="store_true", help="print what resolve --json prints")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    res = resolution_of(args)
    if args.json:
        print_json(res.to_json())
    else:
        print_explain(res)
    return 0
