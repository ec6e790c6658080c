"""``datetime.date`` without importing :mod:`datetime`.

CPython's :mod:`datetime` module first defines every class in Python and then replaces them
with the C ones from ``_datetime``: ~5M instructions, 3% of a cold ``claude-models resolve``,
spent on classes it throws away. The C module's ``date`` *is* ``datetime.date`` (the same
class object), so dates made here and by users compare, hash and ``isinstance`` alike.
Interpreters without ``_datetime`` get :mod:`datetime`'s.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from datetime import date
else:
    try:
        from _datetime import date
    except ImportError:  # pragma: no cover - interpreters without CPython's C module
        from datetime import date

__all__ = ["date"]
