"""Writing settings and the global config: the one place this package changes a file.

:func:`update_json_files` is the only write path (:func:`update_json_file` for one file). It

- takes an exclusive lock per file (:mod:`.lock`: an ``flock`` in a per-user folder under
  the user's cache, nothing left beside the file), so concurrent writers (several
  ``claude-models`` processes, migrations) serialise and none loses another's keys: each
  re-reads the file under the lock and applies its change to what is there now;
- checks, just before the rename, that the file is still the one it read (same inode, size,
  mtime and bytes): a program that writes without the lock is not overwritten; the change is
  re-applied to the new content (a few times), or refused;
- refuses to rewrite a file that is not strict JSON, not a JSON object, nested absurdly deep,
  not UTF-8, not a regular file, too large, hard-linked, read-only by its mode bits (checked
  explicitly: root ignores them), or owned by someone whose ownership cannot be kept
  (:class:`~.errors.SettingsError`, one line naming the file and the fix);
- keeps every key it was not asked to change, unknown ones included, and their order (new keys
  go last), and the file's indentation; never writes ``NaN``/``Infinity`` (a number that cannot
  be written back exactly is refused on read) and writes a lone surrogate as its ``\\uXXXX``
  escape, so the file stays valid UTF-8 JSON holding the same string;
- writes a temporary file in the same directory (through a directory descriptor, never
  following a symlink: the temporary and the file itself are opened ``O_NOFOLLOW``),
  fsyncs it, gives it the original's owner and permission bits (``0o600`` for a new file:
  settings ``env`` blocks can hold keys), renames it over the original and fsyncs the
  directory;
- for several files (migrations: user settings and ``~/.claude.json``), prepares every file
  before renaming any; if a rename or the folder's fsync fails, the files already renamed are
  put back (from a copy of each original made beside it), so the group changes together or
  not at all;
- writes a user-scope symlink through to its target (dotfile managers keep ``settings.json``
  as a link), but refuses a project or local file (``within=``) whose real path leaves the
  project, naming the link;
- leaves the file untouched when the change changes nothing;
- turns every ``OSError`` (no space, file too large, unwritable folder, symlink loop, a
  ``CLAUDE_CONFIG_DIR`` that is a file or ``/proc``) into one line naming the file and the fix.

The change itself is a pure function ``dict -> dict``; :func:`set_path` and :func:`delete_path`
build the common ones.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from claude_models._record import record
from claude_models.errors import SettingsError, SettingsParseError
from claude_models.safeio import JsonTextError, NotRegularFileError, depth, loads, read_fd
from claude_models.settings.load import MAX_SETTINGS_BYTES
from claude_models.settings.lock import folder_error, holding, lock_name
from claude_models.settings.paths import global_config_path, lock_folder

NEW_FILE_MODE = 0o600
MAX_DEPTH = 200  # deeper files are refused: nothing Claude Code reads nests a tenth as deep
ATTEMPTS = 5  # re-applications when another program changes the file while we write it
Change = Callable[[dict[str, Any]], dict[str, Any]]


@record
class WriteResult:
    path: Path
    before: dict[str, Any] | None  # None: the file did not exist
    after: dict[str, Any]
    before_text: str  # "" when the file did not exist
    after_text: str
    written: bool


def _fault(step: str, path: Path) -> None:
    """A seam for tests: called before each system call of the write path that a real disk can
    fail (``lock``, ``write``, ``fsync``, ``rename``, ``fsync-dir``); a test replaces it with a
    function raising the ``OSError`` a full disk or a size limit would."""


def target_of(path: Path) -> Path:
    """The file a write really lands in: a symlink's target, else the path itself."""
    return Path(os.path.realpath(path))


# -- errors -----------------------------------------------------------------------------------

_FIXES = {
    errno.ENOSPC: "free some disk space and try again",
    errno.EDQUOT: "free some space in your disk quota and try again",
    errno.EFBIG: "the file size limit is too small (ulimit -f); raise it and try again",
    errno.EROFS: "the file system is read-only; settings cannot be saved there",
    errno.ELOOP: "a symlink on the way loops or was replaced; fix or remove the link",
    errno.ENAMETOOLONG: "the path is too long; use a shorter CLAUDE_CONFIG_DIR or project path",
    errno.EIO: "the disk reported an I/O error; check the disk",
}


def _fix(exc: OSError, path: Path) -> str:
    if exc.errno in _FIXES:
        return _FIXES[exc.errno]
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"claude-models may not write in {path.parent}; fix its permissions"
    if exc.errno in (errno.ENOTDIR, errno.ENOENT, errno.EEXIST):
        return (
            f"{path.parent} is not a folder that can hold the file "
            "(check CLAUDE_CONFIG_DIR and HOME)"
        )
    return "check the file and its folder"


def _os_error(exc: OSError, path: Path, doing: str, what: str) -> SettingsError:
    reason = exc.strerror or type(exc).__name__
    return SettingsError(
        f"{path}: cannot {doing} {what} ({reason}); {_fix(exc, path)}; nothing written",
        path=str(path),
    )


class _ChangedError(Exception):
    """The file changed under us between read and rename: read and apply again."""


# -- one file ---------------------------------------------------------------------------------


class _File:
    """One file of a write: where it really is, its folder's descriptor, what was read."""

    def __init__(self, given: Path, what: str, within: Path | None) -> None:
        self.given = given
        self.what = what
        self.within = within
        self.real = _resolve(given, what, within)
        self.name = self.real.name
        self.dfd = -1
        self.st: os.stat_result | None = None  # of the file as read; None: missing
        self.raw = b""
        self.before: dict[str, Any] | None = None
        self.text = ""
        self.tmp: str | None = None
        self.backup: str | None = None

    @contextlib.contextmanager
    def io(self, doing: str) -> Iterator[None]:
        try:
            yield
        except OSError as exc:
            raise _os_error(exc, self.real, doing, self.what) from None

    def open_dir(self) -> None:
        with self.io("create the folder for"):
            self.real.parent.mkdir(parents=True, exist_ok=True)
        with self.io("open the folder of"):
            self.dfd = os.open(self.real.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        if self.within is not None:
            # the folder opened is the one checked (not a symlink swapped in meanwhile)
            with contextlib.suppress(OSError):
                opened = str(Path(f"/proc/self/fd/{self.dfd}").readlink())
                if opened != str(self.real.parent):
                    _resolve(Path(opened) / self.name, self.what, self.within)

    def read(self) -> None:
        """What the file holds now; raises for a file that must not be rewritten."""
        self.st, self.raw = _read_at(self.dfd, self.name, self.real, self.what)
        self.before, self.text = _parse(self.raw, self.real, self.what, exists=self.st is not None)

    def fresh(self) -> dict[str, Any]:
        """A private copy of what was read (parsed again: no deepcopy recursion)."""
        return _parse(self.raw, self.real, self.what, exists=self.st is not None)[0] or {}

    def prepare(self, data: bytes) -> None:
        """The new content in a temporary file beside the original, owner and mode set
        (refused first if the original must not be replaced)."""
        if self.st is not None:
            _check_replaceable(self.st, self.real, self.what)
        mode = stat.S_IMODE(self.st.st_mode) if self.st is not None else NEW_FILE_MODE
        self.tmp = f".{self.name}.{secrets.token_hex(6)}.tmp"
        self._write_new(self.tmp, data, mode)
        if self.st is not None:
            # a copy of the original (owner and mode too), to put back if a later step fails
            self.backup = f".{self.name}.{secrets.token_hex(6)}.orig"
            self._write_new(self.backup, self.raw, mode, sync=False)  # only this run needs it

    def _write_new(self, name: str, data: bytes, mode: int, *, sync: bool = True) -> None:
        with self.io("write"):
            fd = os.open(
                name,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                NEW_FILE_MODE,
                dir_fd=self.dfd,
            )
            try:
                _fault("write", self.real)
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view) :]
                self._keep_owner(fd)
                os.fchmod(fd, mode)
                if sync:
                    _fault("fsync", self.real)
                    os.fsync(fd)
            finally:
                os.close(fd)

    def _keep_owner(self, fd: int) -> None:
        if self.st is None:
            return
        mine = os.fstat(fd)
        if (mine.st_uid, mine.st_gid) == (self.st.st_uid, self.st.st_gid):
            return
        try:
            os.fchown(fd, self.st.st_uid, self.st.st_gid)
        except PermissionError:
            raise SettingsError(
                f"{self.real}: {self.what} belongs to uid {self.st.st_uid} gid "
                f"{self.st.st_gid}, and a rewritten copy would belong to you; not rewritten: "
                "run as its owner or edit it by hand",
                path=str(self.real),
            ) from None

    def unchanged_since_read(self) -> bool:
        try:
            now = os.stat(self.name, dir_fd=self.dfd, follow_symlinks=False)
        except FileNotFoundError:
            return self.st is None
        if self.st is None:
            return False
        same = (now.st_dev, now.st_ino, now.st_size, now.st_mtime_ns) == (
            self.st.st_dev,
            self.st.st_ino,
            self.st.st_size,
            self.st.st_mtime_ns,
        )
        return same and _read_at(self.dfd, self.name, self.real, self.what)[1] == self.raw

    def commit(self) -> None:
        assert self.tmp is not None
        _fault("rename", self.real)
        os.replace(self.tmp, self.name, src_dir_fd=self.dfd, dst_dir_fd=self.dfd)
        self.tmp = None

    def undo(self) -> None:
        """Put the original back after :meth:`commit` (a later file of the group failed)."""
        if self.backup is not None:
            os.replace(self.backup, self.name, src_dir_fd=self.dfd, dst_dir_fd=self.dfd)
            self.backup = None
        else:
            os.unlink(self.name, dir_fd=self.dfd)

    def sync_dir(self) -> None:
        try:
            _fault("fsync-dir", self.real)
            os.fsync(self.dfd)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOTSUP):  # not syncable: nothing to do
                raise

    def clean(self) -> None:
        for name in (self.tmp, self.backup):
            if name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(name, dir_fd=self.dfd)
        self.tmp = self.backup = None

    def close(self) -> None:
        self.clean()
        if self.dfd >= 0:
            os.close(self.dfd)
            self.dfd = -1


def _resolve(path: Path, what: str, within: Path | None) -> Path:
    """The real file behind ``path``; a project file may not leave its project."""
    real = Path(os.path.realpath(path))
    if within is not None:
        root = os.path.realpath(within)
        if os.path.commonpath([str(real), root]) != root:
            link = _first_link(path) or path
            raise SettingsError(
                f"{link} is a symlink to {os.path.realpath(link)}, outside the project {root}; "
                f"{what} not written: replace the link with a real file or folder",
                path=str(path),
            )
    return real


def _first_link(path: Path) -> Path | None:
    """The symlink nearest the root on the way to ``path``."""
    for p in (*reversed(path.parents), path):
        with contextlib.suppress(OSError):
            if p.is_symlink():
                return p
    return None


def _read_at(dfd: int, name: str, real: Path, what: str) -> tuple[os.stat_result | None, bytes]:
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY
    try:
        fd = os.open(name, flags, dir_fd=dfd)
    except FileNotFoundError:
        return None, b""
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise SettingsError(
                f"{real}: {what} is a symlink that loops or changed while being read; not "
                "rewritten: fix or remove the link",
                path=str(real),
            ) from None
        raise _os_error(exc, real, "read", what) from None
    try:
        return os.fstat(fd), read_fd(fd, max_bytes=MAX_SETTINGS_BYTES)
    except NotRegularFileError as exc:
        raise SettingsParseError(
            f"{real}: {what} is {exc}; not rewritten", path=str(real)
        ) from None
    except OverflowError:
        raise SettingsParseError(
            f"{real}: {what} is over {MAX_SETTINGS_BYTES} bytes; not rewritten", path=str(real)
        ) from None
    except OSError as exc:
        raise _os_error(exc, real, "read", what) from None
    finally:
        os.close(fd)


def _parse(raw: bytes, real: Path, what: str, *, exists: bool) -> tuple[dict[str, Any] | None, str]:
    if not exists:
        return None, ""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SettingsParseError(
            f"{real}: {what} is not UTF-8 text; not rewritten, fix or remove it", path=str(real)
        ) from None
    if not text.strip():
        return {}, text  # an empty file is an empty object, as Claude Code treats it
    try:
        data = loads(text, exact=True)
    except JsonTextError as exc:
        raise SettingsParseError(
            f"{real}: {what} is not valid JSON ({exc}); not rewritten, fix it first",
            path=str(real),
        ) from None
    if not isinstance(data, dict):
        raise SettingsParseError(
            f"{real}: {what} must be a JSON object, not {type(data).__name__}; not rewritten",
            path=str(real),
        )
    if depth(data) > MAX_DEPTH:
        raise SettingsParseError(
            f"{real}: {what} nests more than {MAX_DEPTH} levels deep; not rewritten, "
            "fix it by hand",
            path=str(real),
        )
    return data, text


def _may_write(st: os.stat_result) -> bool:
    """The mode bits allow writing: root is not stopped by them, so they are read here."""
    euid = os.geteuid()
    if euid == 0:
        return bool(st.st_mode & 0o222)
    if st.st_uid == euid:
        return bool(st.st_mode & stat.S_IWUSR)
    if st.st_gid == os.getegid() or st.st_gid in os.getgroups():
        return bool(st.st_mode & stat.S_IWGRP)
    return bool(st.st_mode & stat.S_IWOTH)


def _check_replaceable(st: os.stat_result, real: Path, what: str) -> None:
    if not _may_write(st):
        raise SettingsError(
            f"{real}: {what} is read-only (mode {stat.S_IMODE(st.st_mode):04o}); not "
            "rewritten: make it writable (chmod u+w) if it should change",
            path=str(real),
        )
    if st.st_nlink > 1:
        raise SettingsError(
            f"{real}: {what} has {st.st_nlink} hard links, which a rewrite would split; not "
            "rewritten: replace the hard links with symlinks or edit it by hand",
            path=str(real),
        )


def read_object(path: Path, *, what: str) -> tuple[dict[str, Any] | None, str]:
    """The file's JSON object (``None`` when missing) and its text, without the lock; raises
    :class:`SettingsError` for a file that must not be rewritten."""
    real = target_of(path)
    try:
        dfd = os.open(real.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except FileNotFoundError:
        return None, ""
    except OSError as exc:
        raise _os_error(exc, real, "read", what) from None
    try:
        st, raw = _read_at(dfd, real.name, real, what)
    finally:
        os.close(dfd)
    return _parse(raw, real, what, exists=st is not None)


# -- text -------------------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")


def indent_of(text: str) -> int | str:
    """The indentation the file uses (2 spaces when it cannot be told, as Claude Code writes)."""
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and len(stripped) < len(line):
            lead = line[: len(line) - len(stripped)]
            return len(lead) if set(lead) == {" "} else lead
    return 2


def dump(data: Mapping[str, Any], indent: int | str = 2) -> str:
    """Strict JSON text: ``ValueError`` for NaN/Infinity; a lone surrogate (which UTF-8
    cannot hold) written as its ``\\uXXXX`` escape, the same string to every JSON reader."""
    text = json.dumps(data, indent=indent, ensure_ascii=False, allow_nan=False)
    return _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def render(before_text: str, after: Mapping[str, Any]) -> str:
    return dump(after, indent_of(before_text) if before_text else 2)


# -- the write path ---------------------------------------------------------------------------


def update_json_file(
    path: Path,
    change: Change,
    *,
    what: str = "settings file",
    within: Path | None = None,
    locks: Path | None = None,
) -> WriteResult:
    """Apply ``change`` to the JSON object in ``path`` (``{}`` when missing), under the lock.

    ``change`` receives a private copy and returns the new object (it may be called again if
    another program changed the file meanwhile); when that equals what the file holds, nothing
    is written (and a missing file is not created to hold ``{}``). ``within``: the file's real
    path must stay inside this folder (project and local settings). ``locks``: the folder of
    the write locks (:func:`~.paths.lock_folder`; from ``os.environ`` when not given).
    """
    return update_json_files(
        [(path, what)], lambda objs: [change(objs[0])], within=within, locks=locks
    )[0]


def update_json_files(
    files: Sequence[tuple[Path, str]],
    change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]],
    *,
    within: Path | None = None,
    locks: Path | None = None,
) -> list[WriteResult]:
    """Several files changed together (migrations touch settings and the global config):
    every lock is taken first, in one order so two writers never deadlock; every file is
    read, checked and prepared before any is renamed, and a failure while renaming puts the
    files already renamed back, so the group changes together or not at all."""
    group = [_File(path, what, within) for path, what in files]
    with contextlib.ExitStack() as stack:
        for f in group:
            stack.callback(f.close)
            f.open_dir()
        folder = locks if locks is not None else lock_folder(os.environ)
        try:
            for f in group:
                _fault("lock", f.real)
        except OSError as exc:
            raise folder_error(folder, exc) from None
        stack.enter_context(holding(folder, [lock_name(f.dfd, f.name) for f in group]))
        for _ in range(ATTEMPTS):
            try:
                return _attempt(group, change)
            except _ChangedError:
                continue
        raise SettingsError(
            f"{group[0].real}: kept changing while claude-models was writing it (another "
            "program writes it without the lock); nothing written, try again",
            path=str(group[0].real),
        )
    raise AssertionError("unreachable")  # pragma: no cover


def _attempt(
    group: list[_File], change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]]
) -> list[WriteResult]:
    for f in group:
        f.clean()
        f.read()
    afters = change([f.fresh() for f in group])
    pending: list[tuple[_File, str]] = []
    out: list[WriteResult] = []
    for f, after in zip(group, afters, strict=True):
        if after == (f.before if f.before is not None else {}):
            out.append(WriteResult(f.real, f.before, after, f.text, f.text, False))
            continue
        try:
            if depth(after) > MAX_DEPTH:
                raise ValueError(f"nests more than {MAX_DEPTH} levels deep")
            text = render(f.text, after)
        except (ValueError, RecursionError) as exc:
            raise SettingsError(
                f"{f.real}: the new {f.what} would not be valid JSON ({exc}); not written",
                path=str(f.real),
            ) from None
        pending.append((f, text))
        out.append(WriteResult(f.real, f.before, after, f.text, text, True))
    for f, text in pending:
        f.prepare(text.encode("utf-8"))
    if not all(f.unchanged_since_read() for f, _ in pending):
        raise _ChangedError
    done: list[_File] = []
    try:
        for f, _ in pending:
            failed = f
            f.commit()
            done.append(f)
        for f in done:
            failed = f
            f.sync_dir()  # the rename is only durable once its folder is flushed
    except OSError as exc:
        for g in reversed(done):
            with contextlib.suppress(OSError):
                g.undo()
        doing = "flush the folder of" if failed in done else "write"
        raise _os_error(exc, failed.real, doing, failed.what) from None
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


def delete_path(keys: Sequence[str]) -> Change:
    return set_path(keys, DELETE)


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
    return update_json_file(
        global_config_path(env), change, what="global config", locks=lock_folder(env)
    )


def read_global_config(env: Mapping[str, str]) -> dict[str, Any]:
    """``~/.claude.json`` as a dict (``{}`` when missing); raises when it cannot be parsed."""
    data, _ = read_object(global_config_path(env), what="global config")
    return data or {}
