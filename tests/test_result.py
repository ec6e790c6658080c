"""``Resolution.warnings`` is computed on first read and means exactly what an eager field means.

:func:`claude_models.resolve` makes the decisions; the diagnostics run when a caller first reads
``warnings`` (directly, or through ``==``, ``hash``, ``repr``, ``copy``, ``pickle``,
``to_json``). Every reader must see what it saw when the warnings were computed up front.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from typing import Any

import pytest

from claude_models import Flags, Resolution, Snapshot, resolve
from claude_models._record import Deferred, asdict, replace
from claude_models.resolver import compute

SNAPSHOTS: list[tuple[str, Callable[[], Snapshot]]] = [
    ("empty", Snapshot.of),
    (
        "bedrock-policy-agent",
        lambda: Snapshot.of(
            env={"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"},
            user={"model": "sonnet", "effortLevel": "high", "modle": "x"},
            managed={"availableModels": ["sonnet", "haiku"], "deniedModels": ["opus"]},
            flags=Flags(print_mode=True, fallback_model="opus,haiku"),
            agent={"subagent_type": "general-purpose", "model": "opus"},
        ),
    ),
    ("unknown-model", lambda: Snapshot.of(flags=Flags(model="claude-sonet-4-5"))),
]


def _stored(res: Resolution) -> object:
    """What the ``warnings`` slot holds, without computing it."""
    return type(res).__dict__["warnings"].slot.__get__(res, type(res))


@pytest.mark.parametrize(("name", "make"), SNAPSHOTS, ids=[s[0] for s in SNAPSHOTS])
def test_resolve_defers_the_warnings_until_they_are_read(
    name: str, make: Callable[[], Snapshot]
) -> None:
    res = resolve(make())
    assert isinstance(_stored(res), Deferred)
    first = res.warnings
    assert isinstance(first, tuple) and _stored(res) is first and res.warnings is first


READERS: list[tuple[str, Callable[[Resolution], Any]]] = [
    ("warnings", lambda r: r.warnings),
    ("to_json", lambda r: r.to_json()),
    ("repr", repr),
    ("hash", hash),
    ("asdict", asdict),
    ("replace", lambda r: replace(r, session="x")),
    ("copy", lambda r: copy.copy(r).warnings),
    ("deepcopy", lambda r: copy.deepcopy(r).warnings),
    ("pickle", lambda r: pickle.loads(pickle.dumps(r)).warnings),  # noqa: S301  (own object)
]


@pytest.mark.parametrize(("name", "make"), SNAPSHOTS, ids=[s[0] for s in SNAPSHOTS])
@pytest.mark.parametrize(("how", "read"), READERS, ids=[r[0] for r in READERS])
def test_every_reader_of_a_fresh_resolution_sees_the_computed_warnings(
    name: str, make: Callable[[], Snapshot], how: str, read: Callable[[Resolution], Any]
) -> None:
    forced = compute(make())
    _ = forced.warnings
    fresh = compute(make())
    assert read(fresh) == read(forced)
    assert fresh == forced  # and the two compare equal either way round
    if name != "empty":
        assert forced.warnings, "a snapshot meant to warn gives no warning: the test is void"
