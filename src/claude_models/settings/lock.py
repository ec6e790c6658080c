"""The write lock: serialises claude-models writers of one file, leaving nothing beside it.

A settings file sits in a folder people commit (``.claude/``) or keep tidy (``~/.claude/``),
so the lock is not a ``<file>.lock`` beside it. It is an ``flock`` on a file in a per-user
folder, ``$XDG_CACHE_HOME/claude-models/locks`` (else ``~/.cache/claude-models/locks``):

- the folder is created ``0o700`` and opened ``O_NOFOLLOW``; it must belong to us and be
  writable by nobody else, else the write is refused naming the folder and the fix, so no
  other user can plant, link or hold a lock in it;
- each settings file has its own lock file there, named by a hash of the device and inode of
  the folder the write goes through (the descriptor the write path already opened) and the
  file's name: two paths to one file (symlinks, bind mounts) share one lock, two files in one
  folder (``migrate`` with ``CLAUDE_CONFIG_DIR``: ``settings.json`` and ``.claude.json``) do
  not, so one process never waits for itself;
- the lock file is removed while still held, just before release, so the folder stays empty.
  A waiter that then gets the lock holds a file no longer linked: it checks that the name
  still leads to the file it locked and otherwise starts again on the new one, so two holders
  are never in at once. A writer killed mid-write leaves one empty file there (the kernel
  drops its lock); the next writer of that settings file takes it and removes it.

Locks of a group are taken in the order of their names, the same in every process, so two
writers of the same two files never deadlock.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from claude_models.errors import SettingsError
from claude_models.safeio import kind_of

LOCK_FILE_MODE = 0o600
LOCK_FOLDER_MODE = 0o700
FIX = "set XDG_CACHE_HOME to a folder of yours that claude-models may write in"


def lock_name(dfd: int, name: str) -> str:
    """The lock file of ``name`` in the folder open as ``dfd``."""
    st = os.fstat(dfd)
    digest = hashlib.sha256(f"{st.st_dev}:{st.st_ino}:{name}".encode()).hexdigest()
    return f"{digest[:32]}.lock"


def folder_error(folder: Path, exc: OSError) -> SettingsError:
    reason = exc.strerror or type(exc).__name__
    return SettingsError(
        f"{folder}: cannot create or open the folder of claude-models' write locks ({reason}); "
        f"{FIX}; nothing written",
        path=str(folder),
    )


def open_folder(folder: Path) -> int:
    """The lock folder, created if missing, as a descriptor; refused (one line naming it and
    the fix) when it is a symlink or not only ours."""
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(LOCK_FOLDER_MODE)
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.ENOTDIR and folder.is_symlink()):
            raise SettingsError(
                f"{folder}: the folder of claude-models' write locks is a symlink; not "
                f"followed, nothing written: remove the link (claude-models creates the "
                f"folder) or {FIX}",
                path=str(folder),
            ) from None
        raise folder_error(folder, exc) from None
    try:
        st = os.fstat(dfd)
        if st.st_uid != os.geteuid():
            raise SettingsError(
                f"{folder}: the folder of claude-models' write locks belongs to uid "
                f"{st.st_uid}, not to you (uid {os.geteuid()}); nothing written: remove it "
                f"(claude-models creates it) or {FIX}",
                path=str(folder),
            )
        if st.st_mode & 0o022:
            raise SettingsError(
                f"{folder}: the folder of claude-models' write locks may be written by other "
                f"users (mode {stat.S_IMODE(st.st_mode):04o}); nothing written: "
                f"chmod 700 {folder}",
                path=str(folder),
            )
    except BaseException:
        os.close(dfd)
        raise
    return dfd


@contextlib.contextmanager
def holding(folder: Path, names: Sequence[str]) -> Iterator[None]:
    """Every lock in ``names`` (each once, in name order) held for the ``with`` block."""
    dfd = open_folder(folder)
    try:
        with contextlib.ExitStack() as stack:
            for name in sorted(set(names)):
                stack.enter_context(_hold(dfd, name, folder))
            yield
    finally:
        os.close(dfd)


@contextlib.contextmanager
def _hold(dfd: int, name: str, folder: Path) -> Iterator[None]:
    fd = _acquire(dfd, name, folder)
    try:
        yield
    finally:
        # removed while held: a waiter that gets the old file sees it is gone and starts again
        with contextlib.suppress(OSError):
            os.unlink(name, dir_fd=dfd)
        os.close(fd)  # closing releases the lock


def _acquire(dfd: int, name: str, folder: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    while True:
        try:
            fd = os.open(name, flags, LOCK_FILE_MODE, dir_fd=dfd)
        except OSError as exc:
            raise _lock_error(folder / name, exc) from None
        try:
            mine = os.fstat(fd)
            if not stat.S_ISREG(mine.st_mode):
                raise SettingsError(
                    f"{folder / name}: the lock file is {kind_of(mine.st_mode)}; nothing "
                    "written: remove it",
                    path=str(folder / name),
                )
            if mine.st_uid != os.geteuid():
                raise SettingsError(
                    f"{folder / name}: the lock file belongs to uid {mine.st_uid}, not to you; "
                    "nothing written: remove it",
                    path=str(folder / name),
                )
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                now = os.stat(name, dir_fd=dfd, follow_symlinks=False)
            except FileNotFoundError:
                now = None
        except OSError as exc:
            os.close(fd)
            raise _lock_error(folder / name, exc) from None
        except BaseException:
            os.close(fd)
            raise
        if now is not None and (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
            return fd
        os.close(fd)  # the holder before us removed it: lock the one there now


def _lock_error(lock: Path, exc: OSError) -> SettingsError:
    reason = exc.strerror or type(exc).__name__
    if exc.errno in (errno.ELOOP, errno.EISDIR):
        kind = "a symlink; not followed" if exc.errno == errno.ELOOP else "a directory"
        return SettingsError(
            f"{lock}: the lock file is {kind}, nothing written: remove it", path=str(lock)
        )
    return SettingsError(
        f"{lock}: cannot take the write lock ({reason}); {FIX}; nothing written",
        path=str(lock),
    )
