"""Tests never read the machine: a guard over the real managed-policy folder and the real HOME.

Installed by ``tests/conftest.py`` in the test process, and in every Python child a test starts
through :func:`child_env` (``tests.clirun.base_env`` uses it): a ``sitecustomize`` on the child's
``PYTHONPATH`` installs the same guard there. It records every look at a guarded path:

- ``open``, ``os.listdir`` and ``os.scandir`` through an audit hook (:func:`sys.addaudithook`);
- ``os.stat``/``os.lstat`` (what ``Path.exists``, ``Path.stat`` and ``os.path.isfile`` call),
  which raise no audit event: without this a missing ``/etc/claude-code/managed-settings.json``
  would be looked for unseen, and a test would pass here and fail on a machine with a policy;
- starting a subprocess whose environment has no HOME or the real one (its ``Path.home()``
  would be the real home), or a Python child without the guard.

The conftest fails the test that did it, naming the path. This file is stdlib only: a child
imports it at start-up (copied next to its ``sitecustomize``).
"""

# os.path, not pathlib: the guard wraps os.stat, which pathlib calls.
# ruff: noqa: PTH109, PTH118, PTH119, PTH123

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

LOG_VAR = "_CLAUDE_MODELS_TEST_GUARD_LOG"  # children append what they saw here
GUARDED_VAR = "_CLAUDE_MODELS_TEST_GUARDED"  # os.pathsep-separated roots never to look at
ALLOWED_VAR = "_CLAUDE_MODELS_TEST_ALLOWED"  # roots inside those that are fine (repo, venv, tmp)
SITE_VAR = "_CLAUDE_MODELS_TEST_SITE"  # the folder holding the children's sitecustomize


class _State:
    guarded: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    log: str | None = None  # the shared log
    writes_log = False  # children write to it; the test process keeps its own list
    seen: list[str] = []  # noqa: RUF012  (one process-wide instance)
    busy = False  # inside the guard: its own file access is not watched


_S = _State()


def _norm(path: object) -> str | None:
    if path is None or isinstance(path, int):
        return None
    try:
        text = os.fsdecode(os.fspath(path))  # type: ignore[call-overload]
    except TypeError:
        return None
    if not text.startswith(os.sep):
        try:
            text = os.path.join(os.getcwd(), text)
        except OSError:
            return None
    return os.path.normpath(text)


def _under(path: str, roots: tuple[str, ...]) -> bool:
    return any(path == r or path.startswith(r.rstrip(os.sep) + os.sep) for r in roots)


def guarded(path: object, *, stat: bool = False) -> str | None:
    """``path`` normalised if it is on the machine's side of the fence, else ``None``.
    ``stat``: a folder above an allowed root may be stat'ed (resolving the interpreter's path
    does that), not listed or opened."""
    p = _norm(path)
    if p is None or not _under(p, _S.guarded) or _under(p, _S.allowed):
        return None
    if stat and any(r.startswith(p.rstrip(os.sep) + os.sep) for r in _S.allowed):
        return None
    return p


def _record(what: str) -> None:
    if _S.busy:
        return
    _S.busy = True
    try:
        _S.seen.append(what)
        if _S.writes_log and _S.log is not None:
            fd = os.open(_S.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, f"{what}\n".encode("utf-8", "backslashreplace"))
            finally:
                os.close(fd)
    finally:
        _S.busy = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _S.busy or not _S.guarded:
        return
    if event in ("open", "os.listdir", "os.scandir") and args:
        p = guarded(args[0])
        if p is not None:
            _record(f"{event} {p} (pid {os.getpid()})")
    elif event == "subprocess.Popen":
        _check_child(args)


def _check_child(args: tuple[Any, ...]) -> None:
    executable, argv, cwd, env = (list(args) + [None] * 4)[:4]
    where = f"subprocess {argv!r}"
    if cwd is not None and guarded(cwd) is not None:
        _record(f"{where} runs in {cwd}")
    if env is None:  # it inherits this process's environment, already sandboxed
        return
    home = env.get("HOME") or env.get(b"HOME")
    if not home:
        _record(f"{where} has no HOME: its Path.home() is the real home")
    elif guarded(home) is not None:
        _record(f"{where} has the real HOME {home}")
    program = os.fsdecode(executable or (argv[0] if argv else ""))
    site = os.environ.get(SITE_VAR, "")
    paths = str(env.get("PYTHONPATH", "")).split(os.pathsep)
    if os.path.basename(program).startswith("python") and (LOG_VAR not in env or site not in paths):
        _record(f"{where} is a Python child without the guard (use tests.clirun.base_env)")


def _wrap_stat(original: Callable[..., os.stat_result]) -> Callable[..., os.stat_result]:
    def stat(path: Any, *args: Any, **kwargs: Any) -> os.stat_result:
        if not _S.busy and _S.guarded and kwargs.get("dir_fd") is None:
            p = guarded(path, stat=True)
            if p is not None:
                _record(f"stat {p} (pid {os.getpid()})")
        return original(path, *args, **kwargs)

    stat.__name__ = original.__name__
    stat.__doc__ = original.__doc__
    return stat


def install(
    guarded_roots: tuple[str, ...], allowed_roots: tuple[str, ...], log: str, *, child: bool
) -> None:
    """Start guarding this process (once; later calls only change the roots and the log)."""
    first = not _S.guarded
    _S.guarded = tuple(os.path.normpath(r) for r in guarded_roots if r and r != os.sep)
    _S.allowed = tuple(os.path.normpath(r) for r in allowed_roots if r)
    _S.log = log
    _S.writes_log = child
    if first:
        sys.addaudithook(_audit)
        os.stat = _wrap_stat(os.stat)
        os.lstat = _wrap_stat(os.lstat)


def install_from_env() -> None:
    """In a child: guard it if the parent asked for it."""
    log = os.environ.get(LOG_VAR)
    if log:
        split = os.environ.get
        install(
            tuple(split(GUARDED_VAR, "").split(os.pathsep)),
            tuple(split(ALLOWED_VAR, "").split(os.pathsep)),
            log,
            child=True,
        )


def child_env(pythonpath: str) -> dict[str, str]:
    """What a child's environment needs for the guard to follow it (``PYTHONPATH`` included,
    ``pythonpath`` first). Without an installed guard: just ``PYTHONPATH``."""
    site = os.environ.get(SITE_VAR)
    if not site or _S.log is None:
        return {"PYTHONPATH": pythonpath}
    return {
        "PYTHONPATH": os.pathsep.join([pythonpath, site]),
        SITE_VAR: site,
        LOG_VAR: _S.log,
        GUARDED_VAR: os.pathsep.join(_S.guarded),
        ALLOWED_VAR: os.pathsep.join(_S.allowed),
    }


def take() -> list[str]:
    """Everything seen since the last call, here and in the children; then forget it."""
    seen = list(_S.seen)
    _S.seen.clear()
    if _S.log is not None:
        _S.busy = True
        try:
            with open(_S.log, "a+", encoding="utf-8") as f:
                f.seek(0)
                seen += f.read().splitlines()
                f.truncate(0)
        finally:
            _S.busy = False
    return seen


if __name__ == "sitecustomize":
    install_from_env()
