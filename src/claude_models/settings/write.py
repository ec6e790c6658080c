"""Writing settings and the global config: the one place this package changes a file.

:func:`update_json_file` is the only write path. It

- takes an exclusive ``fcntl`` lock on ``<file>.lock`` next to the file, so concurrent
  writers (several ``claude-models`` processes, migrations) serialise and none loses another's
  keys: each re-reads the file under the lock and applies its change to what is there now;
- refuses to rewrite a file that does not parse or is not a JSON object
  (:class:`~.errors.SettingsParseError`, one line naming the file and the fix);
- keeps every key it was not asked to change, unknown ones included, and their order (new keys
  go last), and the file's indentation;
- writes a temporary file in the same directory, fsyncs it, gives it the original's permission
  bits (``0o600`` for a new file: settings ``env`` blocks can hold keys), renames it over the
  original with :func:`os.replace` and fsyncs the directory;
- writes through a symlink to its target (dotfile managers keep ``settings.json`` as a link);
- leaves the file untouched when the change changes nothing.

The change itself is a pure function ``dict -> dict``; :func:`set_path` and :func:`delete_path`
build the common ones.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import stat
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from claude_models._record import record
from claude_models.errors import SettingsError, SettingsParseError
from claude_models.settings.load import MAX_SETTINGS_BYTES
from claude_models.settings.paths import global_config_path

NEW_FILE_MODE = 0o600
Change = Callable[[dict[str, Any]], dict[str, Any]]


@record
class WriteResult:
    path: Path
    before: dict[str, Any] | None  # None: the file did not exist
    after: dict[str, Any]
    before_text: str  # "" when the file did not exist
    after_text: str
    written: bool


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


def target_of(path: Path) -> Path:
    """The file a write really lands in: a symlink's target, else the path itself."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


@contextlib.contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive advisory lock on ``<path>.lock`` for the duration of the block."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, NEW_FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def read_object(path: Path, *, what: str) -> tuple[dict[str, Any] | None, str]:
    """The file's JSON object (``None`` when missing) and its text; raises
    :class:`SettingsParseError` for a file that must not be rewritten."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None, ""
    if not stat.S_ISREG(st.st_mode):
        raise SettingsParseError(
            f"{path}: {what} is not a regular file; not rewritten", path=str(path)
        )
    if st.st_size > MAX_SETTINGS_BYTES:
        raise SettingsParseError(
            f"{path}: {what} is over {MAX_SETTINGS_BYTES} bytes; not rewritten", path=str(path)
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SettingsParseError(
            f"{path}: {what} is not UTF-8 text; not rewritten, fix or remove it", path=str(path)
        ) from None
    except OSError as exc:
        raise SettingsError(
            f"{path}: cannot read {what} ({exc.strerror})", path=str(path)
        ) from None
    if not text.strip():
        return {}, text  # an empty file is an empty object, as Claude Code treats it
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = (
            f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
            if isinstance(exc, json.JSONDecodeError)
            else "nested too deeply"
        )
        raise SettingsParseError(
            f"{path}: {what} is not valid JSON ({detail}); not rewritten, fix it first",
            path=str(path),
        ) from None
    if not isinstance(data, dict):
        raise SettingsParseError(
            f"{path}: {what} must be a JSON object, not {type(data).__name__}; not rewritten",
            path=str(path),
        )
    return data, text


def indent_of(text: str) -> int | str:
    """The indentation the file uses (2 spaces when it cannot be told, as Claude Code writes)."""
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and len(stripped) < len(line):
            lead = line[: len(line) - len(stripped)]
            return len(lead) if set(lead) == {" "} else lead
    return 2


def dump(data: Mapping[str, Any], indent: int | str = 2) -> str:
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def render(before_text: str, after: Mapping[str, Any]) -> str:
    return dump(after, indent_of(before_text) if before_text else 2)


def _atomic_write(path: Path, text: str, mode: int) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fchmod(fh.fileno(), mode)
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(tmp).unlink()
        raise
    dfd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def update_json_file(path: Path, change: Change, *, what: str = "settings file") -> WriteResult:
    """Apply ``change`` to the JSON object in ``path`` (``{}`` when missing), under the lock.

    ``change`` receives a deep copy and returns the new object; when that equals what the file
    holds, nothing is written (and a missing file is not created to hold ``{}``).
    """
    return update_json_files([(path, what)], lambda objs: [change(objs[0])])[0]


def update_json_files(
    files: Sequence[tuple[Path, str]],
    change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
) -> list[WriteResult]:
    """Several files changed together (migrations touch settings and the global config):
    every lock is taken first, in path order so two writers never deadlock; every file is
    read and checked before any is written, so an unparseable one stops the whole change."""
    reals = [(target_of(p), what) for p, what in files]
    with contextlib.ExitStack() as stack:
        for real in sorted({r for r, _ in reals}, key=str):
            stack.enter_context(locked(real))
        read = [read_object(real, what=what) for real, what in reals]
        afters = change([copy.deepcopy(b) if b is not None else {} for b, _ in read])
        out: list[WriteResult] = []
        for (real, _), (before, before_text), after in zip(reals, read, afters, strict=True):
            unchanged = after == (before if before is not None else {})
            if unchanged:
                out.append(WriteResult(real, before, after, before_text, before_text, False))
                continue
            after_text = render(before_text, after)
            try:
                mode = stat.S_IMODE(real.stat().st_mode)
            except FileNotFoundError:
                mode = NEW_FILE_MODE
            real.parent.mkdir(parents=True, exist_ok=True)
            _atomic_write(real, after_text, mode)
            out.append(WriteResult(real, before, after, before_text, after_text, True))
        return out


# -- building changes -------------------------------------------------------------------------


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()


def set_path(keys: Sequence[str], value: Any) -> Change:
    """A change that sets ``a.b.c`` (creating objects on the way), or removes the last key when
    ``value`` is :data:`DELETE`; an object on the way that is not an object is a
    :class:`SettingsError` (never overwritten silently)."""

    def change(data: dict[str, Any]) -> dict[str, Any]:
        apply_path(data, keys, value)
        return data

    return change


def apply_path(data: dict[str, Any], keys: Sequence[str], value: Any) -> None:
    node = data
    for i, key in enumerate(keys[:-1]):
        nxt = node.get(key)
        if nxt is None:
            if value is DELETE:
                return
            nxt = node[key] = {}
        if not isinstance(nxt, dict):
            dotted = ".".join(keys[: i + 1])
            raise SettingsError(
                f"settings key '{dotted}' is not an object; fix it by hand first", key=dotted
            )
        node = nxt
    if value is DELETE:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = value


def update_global_config(env: Mapping[str, str], change: Change) -> WriteResult:
    """``~/.claude.json`` (or under ``CLAUDE_CONFIG_DIR``), through the same safe write."""
    return update_json_file(global_config_path(env), change, what="global config")


def read_global_config(env: Mapping[str, str]) -> dict[str, Any]:
    """``~/.claude.json`` as a dict (``{}`` when missing); raises when it cannot be parsed."""
    data, _ = read_object(global_config_path(env), what="global config")
    return data or {}
