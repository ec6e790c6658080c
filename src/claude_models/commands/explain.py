"""``claude-models explain``: every value with the file, flag or variable that decided it.

:func:`format_explain` is pure (resolution -> sections of rows); :func:`print_explain` draws
them with rich when it is installed (``claude-models[pretty]``; rich honours ``NO_COLOR``),
as plain aligned text otherwise. ``--json`` prints exactly what ``resolve --json`` prints.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Mapping

from claude_models import env as E
from claude_models._record import record
from claude_models.commands._common import print_json, snapshot_of
from claude_models.resolver import resolve
from claude_models.result import Request, Resolution, SideQuery
from claude_models.settings.scopes import Scope
from claude_models.snapshot import Snapshot
from claude_models.terminal import escape as one_line
from claude_models.terminal import join_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, Final, TextIO


@record
class Row:
    name: str
    value: str
    origin: str


@record
class Section:
    title: str
    rows: tuple[Row, ...]


SETTINGS_SCOPES = ("user", "project", "local", "flag", "managed")


def _v(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) if value else "-"
    return str(value)


def origin_of(source: str | None, origin: str | None) -> str:
    """``git config --show-origin`` style: the scope and file of a settings value, the
    variable of an env value (and the settings file whose ``env`` block set it), the flag."""
    if not source:
        return "-"
    if source in SETTINGS_SCOPES:
        return f"{source} settings: {origin}" if origin else f"{source} settings"
    if source == "default":
        return f"built-in default ({origin})" if origin else "built-in default"
    if origin and origin != source:
        return f"{source} ({origin})"
    return source


def _request_rows(req: Request) -> tuple[Row, ...]:
    model_origin = origin_of(req.source, req.origin)
    if req.setting is not None and req.setting != req.model:
        model_origin += f"; setting {req.setting!r}"
    thinking = (
        "none sent"
        if req.thinking is None
        else (
            req.thinking.type
            if req.thinking.budget_tokens is None
            else f"{req.thinking.type}, budget {req.thinking.budget_tokens}"
        )
    )
    beta_origin = []
    if any(b.startswith("context-1m") for b in req.betas):
        beta_origin.append(f"context-1m: {req.context_source}")
    if any(b.startswith("fast-mode") for b in req.betas):
        beta_origin.append("fast-mode: fast mode on")
    return (
        Row("model", req.model, model_origin),
        Row("max_tokens", str(req.max_tokens), _v(req.max_tokens_source)),
        Row("effort", req.effort or "none sent", _v(req.effort_source)),
        Row("thinking", thinking, _v(req.thinking_source)),
        Row("context window", f"{req.context_window:,}", _v(req.context_source)),
        Row("betas", _v(req.betas), "; ".join(beta_origin) or "-"),
        Row("speed", _v(req.speed), "fast mode on" if req.speed else "-"),
        Row("region", _v(req.region), _v(req.region_source)),
    )


def _policy_rows(snap: Snapshot) -> tuple[Row, ...]:
    """The settings files read, and the model policy in force, each with its file."""
    rows: list[Row] = []
    for scope in SETTINGS_SCOPES:
        layer = snap.settings.layer(Scope(scope))
        if layer is not None:
            if not layer.exists:  # a named managed policy that is not there: nothing in force
                state = "missing: not in force"
            else:
                state = "unusable" if layer.problems and not layer.raw else "read"
            rows.append(Row(f"{scope} settings", state, layer.where))
    st = snap.settings
    allow = st.get("availableModels", scopes=frozenset({Scope.MANAGED})) or st.get(
        "availableModels"
    )
    rows.append(
        Row(
            "availableModels",
            _v(allow.value) if allow is not None and allow.value else ("[]" if allow else "-"),
            allow.origin if allow is not None else "unset: every model allowed",
        )
    )
    enforce = st.get("enforceAvailableModels")
    rows.append(
        Row(
            "enforceAvailableModels",
            str(bool(enforce and enforce.value)).lower(),
            enforce.origin if enforce is not None else "unset",
        )
    )
    denied = st.get("deniedModels")
    ignored = [s for s in st.everywhere("deniedModels") if s.scope != Scope.MANAGED]
    rows.append(
        Row(
            "deniedModels",
            _v(denied.value) if denied is not None else "-",
            denied.origin
            if denied is not None
            else (
                "ignored outside managed policy: " + ", ".join(s.origin for s in ignored)
                if ignored
                else "unset"
            ),
        )
    )
    return tuple(rows)


def format_explain(res: Resolution, snap: Snapshot | None = None) -> tuple[Section, ...]:
    """The resolution as titled sections of (name, value, origin) rows. With the snapshot,
    also the settings files read and the model policy in force, with their files."""
    origins = snap.env_origins if snap is not None else {}
    provider_origin = res.provider_source or "default (no CLAUDE_CODE_USE_* set)"
    if res.provider_source and res.provider_source in origins:
        provider_origin = f"{res.provider_source} ({origins[res.provider_source]})"
    out = [
        Section(
            "session",
            (
                Row("provider", res.provider, provider_origin),
                Row("session", res.session, "-p/--print" if res.session == "print" else "no -p"),
            ),
        ),
    ]
    if snap is not None:
        out.append(Section("settings and policy", _policy_rows(snap)))
    out += [
        Section("main loop", _request_rows(res.main)),
        Section(
            "fallback models",
            (
                Row(
                    "chain",
                    _v(res.fallback_models),
                    res.fallback_source or "unset (--fallback-model, fallbackModel)",
                ),
                *_refusal_rows(res),
            ),
        ),
    ]
    if res.side is not None:
        side = res.side
        own = side.retry is not None and bool(side.retry.models)
        fallback = (
            f"{E.SIDE_QUERY_FALLBACK} unset: a refused side query fails, as in Claude Code"
            if side.fallback == "off" and not own
            else f"{E.SIDE_QUERY_FALLBACK} unset: nothing added to Claude Code's own retry"
            if side.fallback == "off"
            else f"{E.SIDE_QUERY_FALLBACK}: a refused side query is retried once "
            "on the main-loop model"
        )
        out.append(
            Section(
                "side queries (haiku slot)",
                (
                    Row("model", side.model, side.source),
                    Row("effort", side.effort or "none sent", _v(side.effort_source)),
                    Row("max_tokens", str(side.max_tokens), "model default"),
                    Row("thinking", "none sent", "side queries never think"),
                    Row("region", _v(side.region), "-"),
                    Row("runtime fallback", side.fallback, fallback),
                    *_side_refusal_rows(side),
                ),
            )
        )
    sub = res.subagent
    if sub is not None:
        title = f"subagent ({sub.agent_type})"
        if sub.request is None:
            out.append(Section(title, (Row("error", sub.error or "-", "--agent (Agent call)"),)))
        else:
            rows = _request_rows(sub.request)
            if sub.replaced:
                rows += (Row("replaced", sub.replaced, "not allowed: the parent's model runs"),)
            out.append(Section(title, rows))
    if res.skill is not None:
        out.append(Section("skill (--skill-model)", _request_rows(res.skill)))
    fm = res.fast_mode
    out.append(
        Section(
            "fast mode",
            (
                Row("state", fm.state, fm.detail or "-"),
                Row("reason", _v(fm.reason), "fast_mode_disabled_reason"),
                *_fast_on_row(snap),
            ),
        )
    )
    # every value shown on one line, its control characters spelled out (terminal.py)
    return tuple(
        Section(
            s.title,
            tuple(Row(one_line(r.name), one_line(r.value), one_line(r.origin)) for r in s.rows),
        )
        for s in out
    )


def release_line(res: Resolution) -> str:
    """The first line: which Claude Code release the answer models, and where that came from."""
    if res.claude_code is None:
        return "Modelling Claude Code (release unknown)"
    return f"Modelling {res.claude_code.described}"


def _refusal_rows(res: Resolution) -> tuple[Row, ...]:
    """What the modelled release does when the main-loop model is refused, with no fallback."""
    sd = res.main_stepdown
    if sd is None:
        return ()
    return (Row("step-down", _v(sd.models), f"{sd.rule}: a refused main model walks these"),)


def _side_refusal_rows(side: SideQuery) -> tuple[Row, ...]:
    rows = []
    if side.retry is not None and side.retry.models:
        rows.append(Row("on refusal (hooks)", _v(side.retry.models), f"{side.retry.rule}"))
    if side.webfetch is not None and side.webfetch.models:
        rows.append(Row("on refusal (WebFetch)", _v(side.webfetch.models), f"{side.webfetch.rule}"))
    return tuple(rows)


def _fast_on_row(snap: Snapshot | None) -> tuple[Row, ...]:
    """What ``fast on`` (``/fast on``) would answer here, from the same gate and in the same
    words, so explain and ``fast on`` never disagree (issue 16)."""
    if snap is None:
        return ()
    from claude_models.resolvers.context import context_of
    from claude_models.resolvers.fastmode import command_refusal

    block = command_refusal(context_of(snap))
    if block is None:
        return (Row("fast on", "allowed", "no gate refuses /fast on here"),)
    return (Row("fast on", f"refused: {block.command}", block.why),)


def format_plain(sections: tuple[Section, ...], res: Resolution) -> str:
    rows = [r for s in sections for r in s.rows]
    w_name = max(len(r.name) for r in rows)
    w_val = min(48, max(len(r.value) for r in rows))
    lines: list[str] = []
    for s in sections:
        lines.append(s.title.upper())
        for r in s.rows:
            lines.append(f"  {r.name:<{w_name}}  {r.value:<{w_val}}  {r.origin}".rstrip())
        lines.append("")
    lines.append(format_warnings(res))
    return "\n".join(lines) + "\n"


def _terminal_width(out: TextIO, environ: Mapping[str, str]) -> int:
    raw = environ.get("COLUMNS", "")
    if raw.isdigit() and int(raw) > 0:
        return int(raw)
    try:
        return os.get_terminal_size(out.fileno()).columns
    except (OSError, ValueError, io.UnsupportedOperation):
        return 80


def format_warnings(res: Resolution) -> str:
    if not res.warnings:
        return "WARNINGS\n  none"
    return "WARNINGS\n" + join_lines(f"  [{w.code}] {w.message}" for w in res.warnings)


def table_width(sections: tuple[Section, ...]) -> int:
    """The width at which the explain table needs no folding (four columns, borders, padding)."""
    rows = [r for s in sections for r in s.rows]
    cols = (
        max(len(s.title) for s in sections),
        max(len(r.name) for r in rows),
        max(len(r.value) for r in rows),
        max(len(r.origin) for r in rows),
    )
    return max(100, sum(max(c, 10) for c in cols) + 13)


def print_explain(
    res: Resolution,
    snap: Snapshot | None = None,
    out: TextIO = sys.stdout,
    environ: Mapping[str, str] | None = None,
) -> None:
    """Draw :func:`format_explain` with rich on a terminal; plain text (:func:`format_plain`)
    on a pipe or a file, and without rich. ``NO_COLOR`` (any non-empty value) turns every
    escape off, even with ``FORCE_COLOR``; ``FORCE_COLOR`` draws the coloured table on output
    that is not a terminal."""
    environ = os.environ if environ is None else environ
    sections = format_explain(res, snap)
    out.write(release_line(res) + "\n")
    no_color = bool(environ.get("NO_COLOR"))
    tty = out.isatty()
    if not tty and (no_color or not environ.get("FORCE_COLOR")):
        # Not a terminal (a pipe, a file): plain lines, one value each, never folded or padded
        # to a table's width (issue 16: "a plain stable layout when stdout is not a terminal");
        # the same text with or without rich.
        out.write(format_plain(sections, res))
        return
    try:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table
    except ImportError:  # the [pretty] extra is optional
        out.write(format_plain(sections, res))
        return
    # FORCE_COLOR on a pipe (``| less -R``): the table, wide enough that no row folds.
    width = None if tty else table_width(sections)
    narrow = tty and _terminal_width(out, environ) < table_width(sections)

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich exits 1; cli.main ends quietly as grep
            raise BrokenPipeError

    console = _Console(
        file=out,
        highlight=False,
        soft_wrap=narrow,
        width=width,
        color_system=None if no_color else "auto",
        no_color=no_color,
    )
    if narrow:
        # A terminal too narrow for the table (80 columns): one value a line instead of a
        # table that would fold a model id or a path in two; the terminal may soft-wrap.
        for s in sections:
            console.print(f"[bold]{escape(s.title.upper())}[/]")
            for r in s.rows:
                console.print(f"  {escape(r.name)}: [cyan]{escape(r.value)}[/]")
                if r.origin and r.origin != "-":
                    console.print(f"      [dim]decided by: {escape(r.origin)}[/]")
        _print_warnings(console, res)
        return
    table = Table(
        title=f"What Claude Code {res.claude_code.version if res.claude_code else ''} would send",
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
                escape(s.title) if i == 0 else "",
                escape(r.name),
                escape(r.value),
                escape(r.origin),
                end_section=i == len(s.rows) - 1,
            )
    console.print(table)
    _print_warnings(console, res)


def _print_warnings(console: Any, res: Resolution) -> None:
    from rich.markup import escape

    if res.warnings:
        console.print("[bold yellow]Warnings[/]")
        for w in res.warnings:
            console.print(
                f"  [yellow]\\[{w.code}][/] {escape(one_line(w.message))}",
                markup=True,
                soft_wrap=True,
            )
    else:
        console.print("No warnings.")


ORDER = 20
# It reads and prints, nothing more: cli.console ends the process once its output is out.
READ_ONLY: Final = True
# The command's own on/off flags: (flag, dest, help); cli.fast_args reads them too.
SWITCHES: Final = (
    ("--json", "json", "print what resolve --json prints"),
    (
        "--all",
        "all",
        "also every layer's value of each model key, the winner marked with * "
        "(like git config --show-origin)",
    ),
)


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
    from claude_models.commands._parser import add_switches

    add_switches(p, SWITCHES)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from claude_models.checks.layers import format_layers, layers

    snap = snapshot_of(args)
    res = resolve(snap)
    if args.json:
        data = res.to_json()
        data["layers"] = layers(snap, res)
        print_json(data)
    else:
        print_explain(res, snap)
        if getattr(args, "all", False):
            sys.stdout.write("\nEVERY LAYER (* wins; the rest are shadowed or ignored)\n")
            sys.stdout.write(format_layers(layers(snap, res)))
    return 0
