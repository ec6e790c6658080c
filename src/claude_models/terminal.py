"""Text for a human's terminal: control characters made visible, never executed.

Settings values, model ids, file names and a server's error text all reach the terminal in
``explain``, ``doctor``, ``models``, ``validate``, ``ask`` and the messages of ``model``,
``effort``, ``fast`` and ``migrate``. Printed raw, ``ESC`` starts a terminal escape sequence
(colours, cursor moves, an OSC 8 hyperlink or an OSC 52 clipboard write), ``BEL`` rings,
``CR`` overwrites the line, bidi overrides reorder it, and a newline inside a model id forges a
line of ``doctor``'s report. Here they become their escape spelling (``\\x1b``, ``\\n``,
``\\u202e``), so what is printed is exactly what the file holds, and harmless.

- :func:`escape`: one value, or one line: every control character escaped, newline included.
- :func:`clean`: a whole block of output whose newlines (and tabs) are its own layout.
- :func:`join_lines`: lines that must each stay one line, joined with newlines.

JSON output needs none of this: ``json.dumps`` already escapes control characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# C0 (but tab and newline, handled per function), DEL, C1 (0x9b is CSI on some terminals),
# line/paragraph separators, bidi embeddings/overrides/isolates, and lone surrogates (which
# cannot even be encoded for the terminal).
_ALWAYS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_BLOCK = re.compile(f"[{_ALWAYS}]")
_LINE = re.compile(f"[{_ALWAYS}\t\n]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _spell(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` on one line: every control character, newline and tab included, spelled out."""
    return _LINE.sub(_spell, text)


def clean(text: str) -> str:
    """``text`` with its newlines and tabs kept and every other control character spelled."""
    return _BLOCK.sub(_spell, text)


def join_lines(lines: Iterable[str]) -> str:
    """Each item as exactly one line (a newline inside an item is shown, not obeyed)."""
    return "\n".join(escape(line) for line in lines)
