"""Custom subagents: ``<cwd>/.claude/agents/*.md`` and ``~/.claude/agents/*.md``.

Only the YAML frontmatter's scalar keys are read (``name``, ``model``, ``effort``); a project
agent beats a user agent of the same name. A file that cannot be read is skipped with a
problem line; a project file that escapes the project through a symlink is refused.
"""

from __future__ import annotations

from pathlib import Path

from claude_models.errors import SettingsError
from claude_models.settings.load import read_text_file
from claude_models.snapshot import AgentDef

MAX_AGENT_FILES = 10_000


# The keys the model system reads; syntax outside the supported subset is reported for these.
READ_KEYS = ("name", "model", "effort")
NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_ESCAPES = {
    "0": "\0", "a": "\a", "b": "\b", "t": "\t", "\t": "\t", "n": "\n", "v": "\v",
    "f": "\f", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
_HEX = {"x": 2, "u": 4, "U": 8}


class _UnsupportedError(ValueError):
    """YAML outside the subset (anchors, aliases, tags, block scalars, flow collections)."""


def parse_frontmatter(text: str) -> dict[str, str]:
    """The ``key: value`` scalars of the frontmatter (see :func:`read_frontmatter`)."""
    return read_frontmatter(text)[0]


def read_frontmatter(text: str) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The top-level scalars of the YAML frontmatter, and ``(key, reason)`` for each key the
    model system reads whose value is outside the subset Claude Code documents.

    The subset: a leading ``---`` line (after an optional BOM), ``key: value`` lines, values
    plain, ``'single'`` or ``"double"`` quoted (with YAML's escapes), ``# comments`` after
    whitespace, CRLF line ends, a closing ``---`` (or ``...``). ``null``/``~``/empty is no
    value. Nested YAML (lists, maps) is skipped: the model system reads only scalars. Anchors,
    aliases, tags, block scalars (``|``, ``>``), flow collections and values continued on
    the next line are refused for the keys read (``name``, ``model``, ``effort``).
    """
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines or lines[0].rstrip() != "---":
        return {}, []
    out: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    inline: str | None = None  # the key whose value sits on the previous top-level line
    for line in lines[1:]:
        if line.rstrip() in ("---", "..."):
            return out, problems
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t":
            if inline in READ_KEYS:  # the value goes on over this line
                out.pop(inline, None)
                problems.append((inline, "a value continued on the next line is not supported"))
                inline = None
            continue
        inline = None
        if line[0] == "-":
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or not key or (value and value[0] not in " \t"):
            continue  # not a mapping line (a URL-like plain scalar, a sequence item)
        value = value.strip()
        if not value or value.startswith("#"):
            out.pop(key, None)  # no value, or a nested block (its indented lines are skipped)
            continue
        inline = key
        try:
            scalar = _scalar(value)
        except _UnsupportedError as exc:
            if key in READ_KEYS:
                problems.append((key, str(exc)))
            out.pop(key, None)
            inline = None
            continue
        if scalar is None:
            out.pop(key, None)
        else:
            out[key] = scalar
    return {}, []  # no closing ---: not frontmatter


def _scalar(v: str) -> str | None:
    if v[:1] == '"':
        body, rest = _double(v)
    elif v[:1] == "'":
        end = 1
        while True:
            end = v.find("'", end)
            if end < 0:
                raise _UnsupportedError("an unclosed single-quoted value is not supported")
            if v[end + 1 : end + 2] == "'":
                end += 2
                continue
            break
        body, rest = v[1:end].replace("''", "'"), v[end + 1 :]
    else:
        if v[:1] in ("&", "*", "!", "|", ">", "[", "{", "@", "`", "%"):
            kinds = {
                "&": "an anchor", "*": "an alias", "!": "a tag", "|": "a block scalar",
                ">": "a block scalar", "[": "a flow sequence", "{": "a flow mapping",
            }  # fmt: skip
            raise _UnsupportedError(f"{kinds.get(v[0], 'a reserved character')} is not supported")
        plain = v
        for i, ch in enumerate(v):
            if ch == "#" and i > 0 and v[i - 1] in " \t":
                plain = v[:i]
                break
        plain = plain.strip()
        return None if plain in NULLS else plain
    rest = rest.strip()
    if rest and not rest.startswith("#"):
        raise _UnsupportedError("text after the closing quote is not supported")
    return body


def _double(v: str) -> tuple[str, str]:
    out: list[str] = []
    i = 1
    while i < len(v):
        ch = v[i]
        if ch == '"':
            return "".join(out), v[i + 1 :]
        if ch == "\\" and i + 1 < len(v):
            esc = v[i + 1]
            if esc in _HEX:
                digits = v[i + 2 : i + 2 + _HEX[esc]]
                try:
                    out.append(chr(int(digits, 16)))
                except ValueError:
                    raise _UnsupportedError(f"the escape \\{esc}{digits} is not valid") from None
                i += 2 + _HEX[esc]
                continue
            if esc not in _ESCAPES:
                raise _UnsupportedError(f"the escape \\{esc} is not valid")
            out.append(_ESCAPES[esc])
            i += 2
            continue
        out.append(ch)
        i += 1
    raise _UnsupportedError("an unclosed double-quoted value is not supported")


def load_agents(cwd: Path, config_dir: Path) -> tuple[dict[str, AgentDef], list[str]]:
    """Custom agents by name, and problem lines."""
    agents: dict[str, AgentDef] = {}
    problems: list[str] = []
    # user first, project second: the project's definition of a name wins
    for scope, folder, within in (
        ("user", config_dir / "agents", None),
        ("project", cwd / ".claude" / "agents", cwd),
    ):
        try:
            files = sorted(folder.glob("*.md"))[:MAX_AGENT_FILES]
        except OSError:
            continue
        for path in files:
            try:
                text = read_text_file(path, what=f"{scope} agent", within=within)
            except SettingsError as exc:
                problems.append(str(exc))
                continue
            if text is None:
                continue
            fm, bad = read_frontmatter(text)
            problems += [
                f"{path}: frontmatter '{key}': {why}; the key is ignored (use a plain or "
                "quoted value on one line)"
                for key, why in bad
            ]
            name = fm.get("name") or path.stem
            agents[name] = AgentDef(
                name=name,
                model=fm.get("model") or None,
                effort=fm.get("effort") or None,
                path=str(path),
                scope=scope,
            )
    return agents, problems
