"""Where the settings files are: computed once, at load, from the process environment.

Claude Code finds its files before it reads any settings (it needs them to read the
settings), so a settings ``env`` block that sets ``CLAUDE_CONFIG_DIR`` or ``HOME`` changes what
the resolvers see but never which files are read or written. :class:`SettingsPaths` is stored
on the snapshot; the loader reads from it and every writer (``/model``, ``/effort``, ``/fast``,
``migrate``) writes to it, so a write always lands in the file that was read.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from claude_models._record import record
from claude_models.env import CONFIG_DIR, HOME
from claude_models.errors import SettingsError

CACHE_HOME = "XDG_CACHE_HOME"


def home_dir(env: Mapping[str, str]) -> Path:
    home = env.get(HOME, "").strip()
    return Path(home) if home else Path.home()


def expand_user(value: str, where: str) -> Path:
    """``~`` and ``~user`` expanded; an unknown user is a one-line error naming ``where``."""
    try:
        return Path(value).expanduser()
    except RuntimeError:
        raise SettingsError(
            f"{where}: cannot expand {value.split('/', maxsplit=1)[0]!r} (no such user or "
            "no home); use an absolute path"
        ) from None


def config_dir(env: Mapping[str, str]) -> Path:
    """``$CLAUDE_CONFIG_DIR`` or ``~/.claude``."""
    custom = env.get(CONFIG_DIR, "").strip()
    if custom:
        return expand_user(custom, CONFIG_DIR)
    return home_dir(env) / ".claude"


def global_config_path(env: Mapping[str, str]) -> Path:
    """Claude Code's global state file: ``~/.claude.json`` (inside CLAUDE_CONFIG_DIR if set)."""
    custom = env.get(CONFIG_DIR, "").strip()
    if custom:
        return expand_user(custom, CONFIG_DIR) / ".claude.json"
    return home_dir(env) / ".claude.json"


def user_settings_path(env: Mapping[str, str]) -> Path:
    return config_dir(env) / "settings.json"


def lock_folder(env: Mapping[str, str]) -> Path:
    """Where claude-models' write locks live (:mod:`.lock`), never beside a settings file:
    ``$XDG_CACHE_HOME/claude-models/locks``, else ``~/.cache/claude-models/locks`` (the cache
    folder ``installed.py`` uses). A relative ``XDG_CACHE_HOME`` is ignored, as the XDG
    specification says: the folder must not depend on the working directory."""
    cache = env.get(CACHE_HOME, "").strip()
    base = Path(cache) if cache and Path(cache).is_absolute() else home_dir(env) / ".cache"
    return base / "claude-models" / "locks"


def project_settings_path(cwd: Path) -> Path:
    return cwd / ".claude" / "settings.json"


def local_settings_path(cwd: Path) -> Path:
    return cwd / ".claude" / "settings.local.json"


@record
class SettingsPaths:
    """The files of one session, fixed by the process environment (never settings ``env``).

    Holds the inputs (``HOME``, ``CLAUDE_CONFIG_DIR``, the working directory) as they were when
    the snapshot was made; each path is a pure function of them, so building one costs nothing
    on the resolve path.
    """

    #: ``HOME`` of the process (``None``: the user's home directory)
    home: str | None = None
    #: ``CLAUDE_CONFIG_DIR`` of the process (``None`` or empty: ``~/.claude``)
    config: str | None = None
    #: the working directory (``None``: the current directory, looked up when needed)
    cwd: str | None = None
    #: ``XDG_CACHE_HOME`` of the process (``None``: ``~/.cache``), where the write locks live
    cache: str | None = None

    @classmethod
    def of(cls, env: Mapping[str, str], *, cwd: str | None = None) -> SettingsPaths:
        return cls(env.get(HOME), env.get(CONFIG_DIR), cwd, env.get(CACHE_HOME))

    @property
    def _env(self) -> dict[str, str]:
        given = ((HOME, self.home), (CONFIG_DIR, self.config), (CACHE_HOME, self.cache))
        return {k: v for k, v in given if v is not None}

    @property
    def _cwd(self) -> Path:
        return Path(self.cwd) if self.cwd is not None else Path.cwd()

    @property
    def user(self) -> Path:
        """``~/.claude/settings.json`` or ``$CLAUDE_CONFIG_DIR/settings.json``"""
        return user_settings_path(self._env)

    @property
    def global_config(self) -> Path:
        """``~/.claude.json`` or ``$CLAUDE_CONFIG_DIR/.claude.json``"""
        return global_config_path(self._env)

    @property
    def agents_dir(self) -> Path:
        """where user-scope custom agents live: ``<config dir>/agents``"""
        return config_dir(self._env) / "agents"

    @property
    def locks(self) -> Path:
        """the folder of the write locks: ``$XDG_CACHE_HOME/claude-models/locks`` or
        ``~/.cache/claude-models/locks``"""
        return lock_folder(self._env)

    @property
    def project(self) -> Path:
        """``<cwd>/.claude/settings.json``"""
        return project_settings_path(self._cwd)

    @property
    def local(self) -> Path:
        """``<cwd>/.claude/settings.local.json``"""
        return local_settings_path(self._cwd)
