"""Reading settings files: the only file I/O of the resolve path.

Files are only ever read here. A file that is missing is simply absent; one that cannot be
used (not JSON, not an object, not a regular file, too large, a project file that escapes its
tree through a symlink) becomes a layer with a ``problems`` line and no values, exactly as
Claude Code goes on without it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from claude_models.errors import SettingsError
from claude_models.safeio import JsonTextError, loads, read_regular
from claude_models.settings.layers import Layer
from claude_models.settings.paths import expand_user
from claude_models.settings.scopes import Scope

MAX_SETTINGS_BYTES = 64 * 1024 * 1024


def read_text_file(path: Path, *, what: str, within: Path | None = None) -> str | None:
    """The file's text, ``None`` if it does not exist; :class:`SettingsError` if unusable.

    ``within``: the real path must stay inside this directory (project files may not reach
    outside the project through symlinks). Only regular files are opened, so a FIFO or a
    device never blocks the read.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SettingsError(
            f"{path}: cannot read {what} ({exc.strerror}); fix its permissions", path=str(path)
        ) from None
    if not stat.S_ISREG(st.st_mode):
        raise SettingsError(f"{path}: {what} is not a regular file; ignored", path=str(path))
    if st.st_size > MAX_SETTINGS_BYTES:
        raise SettingsError(
            f"{path}: {what} is {st.st_size} bytes, over the {MAX_SETTINGS_BYTES} byte limit; "
            "ignored",
            path=str(path),
        )
    if within is not None:
        real, root = os.path.realpath(path), os.path.realpath(within)
        if os.path.commonpath([real, root]) != root:
            raise SettingsError(
                f"{path}: {what} is a symlink to {real}, outside {root}; ignored",
                path=str(path),
            )
    try:
        # never blocks: O_NONBLOCK, and a 0-byte pseudo-file (/proc/kmsg) is not read at all
        raw = read_regular(path, max_bytes=MAX_SETTINGS_BYTES)
        return None if raw is None else raw.decode("utf-8")
    except OverflowError:
        raise SettingsError(f"{path}: {what} grew over the size limit; ignored") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path}: {what} is not UTF-8 text; ignored", path=str(path)) from None
    except OSError as exc:
        raise SettingsError(
            f"{path}: cannot read {what} ({exc.strerror})", path=str(path)
        ) from None


def parse_json_text(text: str, *, where: str) -> object:
    try:
        return loads(text)  # strict: NaN/Infinity are not JSON (JSON.parse refuses them)
    except JsonTextError as exc:
        raise SettingsError(
            f"{where}: not valid JSON ({exc}); the file is ignored until it is fixed",
            path=where,
        ) from None


def load_file_layer(scope: Scope, path: Path, *, within: Path | None = None) -> Layer | None:
    """The layer for a settings file, ``None`` when the file does not exist."""
    try:
        text = read_text_file(path, what=f"{scope} settings", within=within)
        if text is None:
            return None
        data = parse_json_text(text, where=str(path))
    except SettingsError as exc:
        return Layer(scope, str(path), problems=(str(exc),))
    return Layer.parse(scope, str(path), data)


def load_flag_layer(value: str, cwd: Path) -> Layer:
    """``--settings FILE_OR_JSON``. A value that cannot be used at all is a usage error
    (Claude Code refuses to start), raised as :class:`SettingsError`."""
    stripped = value.strip()
    if stripped.startswith("{"):
        try:
            data = loads(stripped)
        except JsonTextError as exc:
            raise SettingsError(
                f"--settings: the JSON string is not valid JSON ({exc}); pass a JSON object "
                "or a path to a settings file",
                scope="flag",
            ) from None
        return Layer.parse(Scope.FLAG, None, data)
    path = expand_user(stripped, "--settings")
    if not path.is_absolute():
        path = cwd / path
    text = read_text_file(path, what="--settings file")
    if text is None:
        raise SettingsError(
            f"--settings: file {path} does not exist; pass a JSON object or an existing file",
            path=str(path),
            scope="flag",
        )
    return Layer.parse(Scope.FLAG, str(path), parse_json_text(text, where=str(path)))


def load_global_config(path: Path) -> tuple[dict[str, object], str | None]:
    """``~/.claude.json`` as a dict (empty when absent), and a problem line if unusable."""
    try:
        text = read_text_file(path, what="global config")
        if text is None:
            return {}, None
        data = parse_json_text(text, where=str(path))
    except SettingsError as exc:
        return {}, str(exc)
    if not isinstance(data, dict):
        return {}, f"{path}: global config must be a JSON object; ignored"
    return data, None
