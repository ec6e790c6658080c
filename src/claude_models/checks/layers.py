"""Every layer's value of each model key, like ``git config --show-origin``: the winner marked,
shadowed values kept. ``explain --all`` prints it; ``resolve --json`` adds it as ``layers``.

For each key the candidates are listed highest precedence first: flags, environment variables
(with the settings file whose ``env`` block set them), then the settings scopes managed > flag
> local > project > user. ``wins`` marks the one the resolution used (none when the built-in
default decided; a ``default`` row then says so); ``honoured`` is false where Claude Code
ignores the key in that scope (``deniedModels`` outside managed, user ``effortLevel`` in print
mode); ``valid`` is false for a value of the wrong type.
"""

from __future__ import annotations

from claude_models import env as E
from claude_models.result import Resolution
from claude_models.settings.scopes import HIGH_TO_LOW, honoured_scopes
from claude_models.snapshot import Snapshot

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

KEYS: Final = (
    "model",
    "effortLevel",
    "availableModels",
    "enforceAvailableModels",
    "deniedModels",
    "fallbackModel",
    "modelOverrides",
    "modelSettings",
    "fastMode",
    "alwaysThinkingEnabled",
)
# The variables that choose models, shown with where they were set.
ENV_KEYS: Final = (
    E.MODEL,
    E.DEFAULT_MODEL,
    E.DEFAULT_OPUS_MODEL,
    E.DEFAULT_SONNET_MODEL,
    E.DEFAULT_HAIKU_MODEL,
    E.DEFAULT_FABLE_MODEL,
    E.SMALL_FAST_MODEL,
    E.SUBAGENT_MODEL,
    E.EFFORT_LEVEL,
)


def _row(source: str, where: str, value: object, **kw: Any) -> dict[str, Any]:
    return {
        "source": source,
        "where": where,
        "value": value,
        "wins": False,
        "honoured": kw.get("honoured", True),
        "valid": kw.get("valid", True),
    }


def _settings_rows(snap: Snapshot, key: str) -> list[dict[str, Any]]:
    st = snap.settings
    allowed = honoured_scopes(key, st.session)
    rows = []
    for scope in HIGH_TO_LOW:
        layer = st.layer(scope)
        if layer is None or key not in layer.raw:
            continue
        rows.append(
            _row(
                str(scope),
                layer.where,
                layer.raw[key],
                honoured=scope in allowed,
                valid=key in layer.valid,
            )
        )
    return rows


def _mark(rows: list[dict[str, Any]], pick: Any) -> None:
    for row in rows:
        if pick(row):
            row["wins"] = True
            return


def layers(snap: Snapshot, res: Resolution) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    flags = snap.flags
    env = snap.env
    origins = snap.env_origins

    # model: --model > ANTHROPIC_MODEL > settings > ANTHROPIC_DEFAULT_MODEL > built-in default
    rows: list[dict[str, Any]] = []
    if snap.session.model:
        rows.append(_row("session", "/model", snap.session.model))
    if flags.model:
        rows.append(_row("--model", "command line", flags.model))
    if E.get(env, E.MODEL):
        rows.append(_row(E.MODEL, origins.get(E.MODEL, "environment"), E.get(env, E.MODEL)))
    rows += _settings_rows(snap, "model")
    if E.get(env, E.DEFAULT_MODEL):
        where = origins.get(E.DEFAULT_MODEL, "environment")
        rows.append(_row(E.DEFAULT_MODEL, where, E.get(env, E.DEFAULT_MODEL)))
    source = res.main.source
    if source in ("default", "availableModels", "deniedModels"):
        rows.append(_row(source, res.main.origin or "built-in", res.main.model))
    _mark(rows, lambda r: r["source"] == source and r["honoured"] and r["valid"])
    out["model"] = rows

    # effortLevel: CLAUDE_CODE_EFFORT_LEVEL > /effort > --effort > settings
    rows = []
    if env.get(E.EFFORT_LEVEL):
        rows.append(
            _row(E.EFFORT_LEVEL, origins.get(E.EFFORT_LEVEL, "environment"), env[E.EFFORT_LEVEL])
        )
    if snap.session.effort:
        rows.append(_row("session", "/effort", snap.session.effort))
    if flags.effort:
        rows.append(_row("--effort", "command line", flags.effort))
    rows += _settings_rows(snap, "effortLevel")
    effort_source = res.main.effort_source or ""
    _mark(
        rows,
        lambda r: effort_source.startswith(r["source"]) and r["honoured"] and r["valid"],
    )
    out["effortLevel"] = rows

    for key in KEYS[2:]:
        rows = _settings_rows(snap, key)
        if key == "fallbackModel" and flags.fallback_model:
            rows.insert(0, _row("--fallback-model", "command line", flags.fallback_model))
        won = snap.settings.get(key)
        if key == "fallbackModel" and flags.fallback_model:
            _mark(rows, lambda r: r["source"] == "--fallback-model")
        elif won is not None:
            _mark(rows, lambda r, w=won: r["source"] == str(w.scope) and r["valid"])
        out[key] = rows

    for var in ENV_KEYS:
        rows = []
        for scope in HIGH_TO_LOW:
            layer = snap.settings.layer(scope)
            block = layer.raw.get("env") if layer is not None else None
            if isinstance(block, dict) and var in block:
                rows.append(_row(f"{scope} env", layer.where if layer else "", block[var]))
        if var in env and var not in origins:
            rows.append(_row("environment", "shell", env[var]))
        if rows:
            winner = origins.get(var)
            _mark(rows, lambda r, w=winner: w is None or w.startswith(r["source"].split()[0]))
            out[var] = rows
    return out


def format_layers(found: dict[str, list[dict[str, Any]]]) -> str:
    """Plain text, one value a line: ``*`` marks the winner, the rest are shadowed. Values and
    files are never wrapped (grep-able)."""
    from claude_models.terminal import escape as one_line

    lines: list[str] = []
    for key, rows in found.items():
        lines.append(key)
        if not rows:
            lines.append("    (unset)")
            continue
        for r in rows:
            mark = "*" if r["wins"] else " "
            notes = []
            if not r["honoured"]:
                notes.append("ignored in this scope")
            if not r["valid"]:
                notes.append("wrong type, ignored")
            if not r["wins"] and r["honoured"] and r["valid"]:
                notes.append("shadowed")
            value = r["value"] if isinstance(r["value"], str) else _json(r["value"])
            note = f"  ({', '.join(notes)})" if notes else ""
            # control characters spelled out: a value cannot forge a line (terminal.py)
            lines.append(one_line(f"  {mark} {r['source']}: {value}  [{r['where']}]{note}"))
    return "\n".join(lines) + "\n"


def _json(value: object) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
