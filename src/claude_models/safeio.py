"""Reading and parsing text that a user (or someone else) controls, without surprises.

- :func:`read_regular` opens a file without blocking (``O_NONBLOCK``), accepts only a regular
  file, never reads more than a cap, and does not read at all a file whose size is 0: the
  pseudo-files of ``/proc`` and ``/sys`` report 0 bytes and some of them (``/proc/kmsg``) block
  a reader forever; a real empty file reads as empty either way.
- :func:`loads` is JSON as Claude Code's ``JSON.parse`` reads it: ``NaN`` and ``Infinity`` are
  not JSON (Python's :mod:`json` accepts them), numbers too long for Python become floats as in
  JavaScript, and nesting too deep for the parser is an error, not a ``RecursionError``.
  ``exact=True`` (the write path) also refuses numbers that cannot be written back as they were
  (``1e400`` would come back as ``Infinity``, which is not JSON).
- :func:`depth` measures nesting without recursion.

Every failure is a :class:`JsonTextError` / :class:`OSError` the caller turns into one line
naming its file.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Callable
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_INT_DIGITS = 4300  # Python's int/str conversion limit (sys.get_int_max_str_digits)


class JsonTextError(ValueError):
    """Text that is not (strict) JSON; ``str()`` says where and why, without the text."""


class NotRegularFileError(OSError):
    """The path names a directory, FIFO, socket or device: never read (it could block)."""


def read_regular(path: Path, *, max_bytes: int) -> bytes | None:
    """The bytes of the regular file at ``path`` (symlinks followed), ``None`` if missing.

    Raises :class:`NotRegularFileError`, ``OSError`` (permissions, loops, ``EAGAIN`` from a
    pseudo-file that would block) or :class:`OverflowError` when over ``max_bytes``.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOCTTY)
    except FileNotFoundError:
        return None
    try:
        return read_fd(fd, max_bytes=max_bytes)
    finally:
        os.close(fd)


def read_fd(fd: int, *, max_bytes: int) -> bytes:
    """Everything an open regular file holds (see :func:`read_regular`)."""
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        raise NotRegularFileError(f"not a regular file ({kind_of(st.st_mode)})")
    if st.st_size > max_bytes:
        raise OverflowError(st.st_size)
    if st.st_size == 0:
        return b""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > max_bytes:
            raise OverflowError(total)
    return b"".join(chunks)


def kind_of(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISLNK, "a symlink"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def _reject_constant(name: str) -> Any:
    raise JsonTextError(f"{name} is not JSON")


def _js_int(text: str) -> int | float:
    # JSON.parse reads any length of digits (as a double); Python refuses over 4300 digits.
    return int(text) if len(text.lstrip("-")) <= MAX_INT_DIGITS else float(text)


def _exact_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise JsonTextError(f"a number of {len(text)} digits cannot be written back exactly")
    return int(text)


def _exact_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise JsonTextError(f"the number {text[:40]} is too large to be written back as JSON")
    return value


def loads(text: str, *, exact: bool = False) -> Any:
    """Strict JSON (see the module doc); raises :class:`JsonTextError`."""
    parse_int: Callable[[str], Any] = _exact_int if exact else _js_int
    parse_float: Callable[[str], Any] = _exact_float if exact else float
    try:
        return json.loads(
            text,
            parse_constant=_reject_constant,
            parse_int=parse_int,
            parse_float=parse_float,
        )
    except json.JSONDecodeError as exc:
        raise JsonTextError(f"line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise JsonTextError("nested too deeply") from None
    except JsonTextError:
        raise
    except ValueError as exc:  # a number Python cannot convert
        raise JsonTextError(str(exc).split("\n")[0][:120]) from None


def depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (0 for a scalar), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        level += 1
        deepest = max(deepest, level)
        stack.extend((child, level) for child in children)
    return deepest
