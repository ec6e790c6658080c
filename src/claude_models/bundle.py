"""Read Claude Code's embedded model catalog and retirement table out of its binary, as data.

A Claude Code release is a Bun-compiled single-file executable whose JavaScript bundle carries
the model catalog and the retirement table as plain object literals (``spec/CHANGES.md``, "Where
the catalog lives in a release"). This module finds them in the file (memory-mapped: the binary
is ~400 MB) and reads them with a small reader of JavaScript object literals: unquoted keys,
``!0``/``!1``, ``void 0``, strings with escapes, numbers, nested arrays and objects. Nothing is
ever run or evaluated; anything that is not a data literal is an error.

:func:`read_bundle` returns the catalog in the layout of ``reference/claude-code-<v>-model-
catalog.json`` (the catalog object plus the retirement table under ``deprecations``).
"""

from __future__ import annotations

import mmap
import os
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

#: The catalog object starts with this comment key (CHANGES.md).
CATALOG_MARKER: Final = b'"//":"Hand-maintained baked-in model catalog'
#: Every entry of the retirement table has this shape: ``"claude-...":{modelName:"..."`` (the
#: key quoted too where a bundler keeps quotes).
RETIREMENT_ENTRIES: Final = (b'":{modelName:"', b'":{"modelName":"')
#: Neither literal is near this size; a window this large always holds the whole literal.
WINDOW: Final = 1 << 20


class BundleError(ValueError):
    """The file is not a Claude Code bundle with a readable catalog (one line, names the file)."""


class _Undefined:
    """JavaScript ``undefined`` (``void 0``): dropped from objects, ``null`` in arrays, as
    ``JSON.stringify`` does."""


UNDEFINED: Final = _Undefined()

_IDENT_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_$")
_IDENT = _IDENT_START | frozenset("0123456789")
_NUMBER = frozenset("0123456789.eE+-xXabcdefABCDEF_")
_SPACE = frozenset(" \t\r\n")
_ESCAPES: Final = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "0": "\0",
    "\n": "",
}
_MAX_DEPTH: Final = 64


class _Reader:
    """A recursive-descent reader of one JavaScript object/array literal (data only)."""

    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self.pos = pos

    def fail(self, what: str) -> BundleError:
        return BundleError(f"{what} at offset {self.pos} of the literal")

    def peek(self) -> str:
        self.skip()
        if self.pos >= len(self.text):
            raise self.fail("the literal ends early (cut or not terminated)")
        return self.text[self.pos]

    def skip(self) -> None:
        text, n = self.text, len(self.text)
        while self.pos < n and text[self.pos] in _SPACE:
            self.pos += 1

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.fail(f"expected {char!r}, found {self.text[self.pos]!r}")
        self.pos += 1

    def value(self, depth: int = 0) -> Any:
        if depth > _MAX_DEPTH:
            raise self.fail("nested too deep")
        c = self.peek()
        if c == "{":
            return self.obj(depth)
        if c == "[":
            return self.arr(depth)
        if c in "\"'`":
            return self.string()
        if c == "!":
            word = self.text[self.pos : self.pos + 2]
            if word in ("!0", "!1"):
                self.pos += 2
                return word == "!0"
            raise self.fail("'!' not followed by 0 or 1 (not a data literal)")
        if c in "-." or c.isdigit():
            return self.number()
        if c in _IDENT_START:
            word = self.ident()
            if word == "true":
                return True
            if word == "false":
                return False
            if word == "null":
                return None
            if word == "void":
                self.skip()
                if self.number() != 0:
                    raise self.fail("'void' not followed by 0")
                return UNDEFINED
            raise self.fail(f"identifier {word!r} where a value belongs (not a data literal)")
        raise self.fail(f"unexpected {c!r} (not a data literal)")

    def obj(self, depth: int) -> dict[str, Any]:
        self.expect("{")
        out: dict[str, Any] = {}
        while self.peek() != "}":
            c = self.peek()
            if c in "\"'":
                key = self.string()
            elif c in _IDENT_START:
                key = self.ident()
            elif c.isdigit():
                key = _js_number_key(self.number())
            else:
                raise self.fail(f"unexpected {c!r} where a key belongs (not a data literal)")
            self.expect(":")
            val = self.value(depth + 1)
            if val is not UNDEFINED:
                out[key] = val
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "}":
                raise self.fail(f"expected ',' or '}}', found {self.text[self.pos]!r}")
        self.pos += 1
        return out

    def arr(self, depth: int) -> list[Any]:
        self.expect("[")
        out: list[Any] = []
        while self.peek() != "]":
            val = self.value(depth + 1)
            out.append(None if val is UNDEFINED else val)
            if self.peek() == ",":
                self.pos += 1
            elif self.peek() != "]":
                raise self.fail(f"expected ',' or ']', found {self.text[self.pos]!r}")
        self.pos += 1
        return out

    def ident(self) -> str:
        start = self.pos
        text, n = self.text, len(self.text)
        while self.pos < n and text[self.pos] in _IDENT:
            self.pos += 1
        return text[start : self.pos]

    def number(self) -> int | float:
        start = self.pos
        text, n = self.text, len(self.text)
        if self.pos < n and text[self.pos] == "-":
            self.pos += 1
        while self.pos < n and text[self.pos] in _NUMBER:
            # a sign is part of a number only right after an exponent
            if text[self.pos] in "+-" and text[self.pos - 1] not in "eE":
                break
            self.pos += 1
        raw = text[start : self.pos].replace("_", "")
        try:
            if raw.lstrip("-")[:2].lower() == "0x":
                return int(raw, 16)
            val = float(raw)
        except ValueError:
            raise self.fail(f"{raw!r} is not a number") from None
        # JavaScript has one number type: 1e5 and 100000 are the same value (JSON says 100000)
        if val.is_integer() and abs(val) < 2**53:
            return int(val)
        return val

    def string(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        text, n = self.text, len(self.text)
        parts: list[str] = []
        while True:
            if self.pos >= n:
                raise self.fail("a string is not terminated")
            c = text[self.pos]
            if c == quote:
                self.pos += 1
                break
            if quote == "`" and c == "$" and text[self.pos + 1 : self.pos + 2] == "{":
                raise self.fail("a template string with ${...} (not a data literal)")
            if c == "\\":
                parts.append(self.escape())
                continue
            parts.append(c)
            self.pos += 1
        joined = "".join(parts)
        # \ud83d\ude00 pairs become one character; a lone surrogate stays escaped
        return joined.encode("utf-16", "surrogatepass").decode("utf-16", "replace")

    def escape(self) -> str:
        text = self.text
        c = text[self.pos + 1 : self.pos + 2]
        self.pos += 2
        if c == "u":
            if text[self.pos : self.pos + 1] == "{":
                end = text.find("}", self.pos)
                digits = text[self.pos + 1 : end] if end > 0 else ""
                self.pos = end + 1
            else:
                digits = text[self.pos : self.pos + 4]
                self.pos += 4
            return chr(self._hex(digits))
        if c == "x":
            digits = text[self.pos : self.pos + 2]
            self.pos += 2
            return chr(self._hex(digits))
        if c == "":
            raise self.fail("a string is not terminated")
        return _ESCAPES.get(c, c)

    def _hex(self, digits: str) -> int:
        try:
            code = int(digits, 16)
        except ValueError:
            raise self.fail(f"bad escape \\u{digits}") from None
        if not digits or code > 0x10FFFF:
            raise self.fail(f"bad escape \\u{digits}")
        return code


def _js_number_key(n: int | float) -> str:
    return str(n)


def parse_literal(text: str, start: int = 0) -> tuple[Any, int]:
    """Read the object or array literal that starts at ``text[start]``; returns it (as JSON
    data) and the offset just past it. :class:`BundleError` for anything else."""
    reader = _Reader(text, start)
    if reader.peek() not in "{[":
        raise reader.fail("not an object or array literal")
    return reader.value(), reader.pos


def _window(data: mmap.mmap | bytes, start: int) -> str:
    # The literals are ASCII with \u escapes; a multi-byte character cut at the window's end
    # can only be past the literal, where "replace" is harmless.
    return bytes(data[start : start + WINDOW]).decode("utf-8", "replace")


def find_catalog(data: mmap.mmap | bytes, name: str) -> dict[str, Any]:
    """The catalog object literal of a bundle's bytes."""
    at = data.find(CATALOG_MARKER)
    if at <= 0 or data[at - 1 : at] != b"{":
        raise BundleError(
            f"{name}: no embedded model catalog (the key "
            f'\'"//":"Hand-maintained baked-in model catalog\' is not in the file)'
        )
    try:
        value, _ = parse_literal(_window(data, at - 1))
    except BundleError as exc:
        raise BundleError(f"{name}: the embedded model catalog cannot be read: {exc}") from None
    if not isinstance(value, dict) or not isinstance(value.get("models"), list):
        raise BundleError(f"{name}: the embedded model catalog has no 'models' list")
    value.pop("//", None)
    return value


def find_retirements(data: mmap.mmap | bytes, name: str) -> dict[str, Any]:
    """The retirement table (``{"claude-...": {modelName, retirementDates, ...}, ...}``)."""
    for entry in RETIREMENT_ENTRIES:
        found = _find_retirements(data, name, entry)
        if found is not None:
            return found
    raise BundleError(f"{name}: no retirement table ('{{\"claude-…\":{{modelName:…' not found)")


def _find_retirements(data: mmap.mmap | bytes, name: str, entry: bytes) -> dict[str, Any] | None:
    at = data.find(entry)
    while at >= 0:
        # back to the opening quote of this entry's key; the table starts where a '{' is
        # right before it (later entries have a ',')
        quote = data.rfind(b'"', max(0, at - 200), at)
        if quote > 0 and data[quote - 1 : quote] == b"{" and data[quote + 1 : at].isascii():
            try:
                value, _ = parse_literal(_window(data, quote - 1))
            except BundleError as exc:
                raise BundleError(f"{name}: the retirement table cannot be read: {exc}") from None
            if isinstance(value, dict) and all(
                isinstance(v, dict) and "retirementDates" in v for v in value.values()
            ):
                return value
        at = data.find(entry, at + 1)
    return None


def read_bytes(data: mmap.mmap | bytes, name: str) -> dict[str, Any]:
    """Catalog + retirement table of a bundle held in memory (tests build small ones)."""
    catalog = find_catalog(data, name)
    catalog["deprecations"] = find_retirements(data, name)
    return catalog


def read_bundle(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Catalog + retirement table of the Claude Code binary at ``path`` (memory-mapped, never
    read whole, never run). :class:`BundleError` names the file when they are not there."""
    p = Path(path)
    try:
        with p.open("rb") as f:
            if os.fstat(f.fileno()).st_size == 0:
                raise BundleError(f"{p}: empty file, not a Claude Code binary")
            with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return read_bytes(data, str(p))
    except OSError as exc:
        raise BundleError(f"{p}: cannot read ({exc.strerror or exc})") from None


__all__ = ["UNDEFINED", "BundleError", "find_catalog", "find_retirements", "parse_literal"]
__all__ += ["read_bundle", "read_bytes"]
