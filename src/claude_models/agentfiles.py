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


def parse_frontmatter(text: str) -> dict[str, str]:
    """The ``key: value`` scalars between the leading ``---`` lines (quotes removed).

    Nested YAML (lists, maps) is skipped: the model system reads only scalars.
    """
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    out: dict[str, str] = {}
    for line in lines[1:]:
        if line.strip() == "---":
            return out
        if not line or line[0] in " \t-#":
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        v = value.strip()
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
            v = v[1:-1]
        elif " #" in v:
            v = v.split(" #", 1)[0].rstrip()
        out[key.strip()] = v
    return {}  # no closing ---: not frontmatter


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
            fm = parse_frontmatter(text)
            name = fm.get("name") or path.stem
            agents[name] = AgentDef(
                name=name,
                model=fm.get("model") or None,
                effort=fm.get("effort") or None,
                path=str(path),
                scope=scope,
            )
    return agents, problems
