"""Allowlist matching does not grow with the list (issue 5, "Scale").

Not timed: the tests count the Python and C calls a resolution makes (``sys.setprofile``),
which is deterministic. Before the index, ``matches`` tested every entry, so a 10,000-entry
``availableModels`` cost ~300x a 10-entry one on every resolution.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

from claude_models import Flags, Snapshot
from claude_models.registry import registry
from claude_models.resolver import compute
from claude_models.resolvers.policy import _SEEN_MAX, ModelList


def calls(fn: Callable[[], object]) -> int:
    """How many Python and builtin calls ``fn()`` makes."""
    n = 0

    def prof(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal n
        if event in ("call", "c_call"):
            n += 1

    sys.setprofile(prof)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return n


def big_list(n: int) -> list[str]:
    kinds = ("claude-custom-{i}", "opus-4-{i}", "haiku", "arn:aws:bedrock:us-east-1:1:p/{i}")
    return [*(kinds[i % 4].format(i=i) for i in range(n - 1)), "sonnet"]


def test_matching_costs_the_same_for_10_and_10000_entries() -> None:
    small, big = ModelList.of(big_list(10)), ModelList.of(big_list(10_000))
    sonnet = registry().find("claude-sonnet-5-5")
    for ml in (small, big):  # the behaviour the index must keep
        assert ml.allows(["claude-sonnet-5-5"], sonnet)
        assert ml.allows(["claude-opus-4-5-20251101"], None)  # version prefix opus-4-5
        assert not ml.allows(["claude-opus-4-50"], None)  # not at a segment boundary
        assert not ml.allows(["claude-opus-5-5"], registry().find("claude-opus-5-5"))
    # matches() keeps its answers per list: the index itself is _matches, measured uncached
    sonnet_names = ("claude-sonnet-5-5",)
    assert calls(lambda: big._matches(sonnet_names, sonnet, True)) == calls(
        lambda: small._matches(sonnet_names, sonnet, True)
    )
    small.denies(["gpt-5"], None)  # warm the per-name cache, as every later resolution finds it
    assert calls(lambda: big._matches(("gpt-5",), None, False)) == calls(
        lambda: small._matches(("gpt-5",), None, False)
    )


def test_matching_answers_are_kept_per_list_and_bounded() -> None:
    ml = ModelList.of(["opus-4-6", "haiku", "kept-test-entry"])
    haiku = registry().find("haiku")
    first = calls(lambda: ml.allows(["haiku"], haiku))
    assert ml.allows(["haiku"], haiku) and not ml.allows(["claude-sonnet-5-5"], None)
    assert calls(lambda: ml.allows(["haiku"], haiku)) < first
    # the same names for another model (or none) are another question
    assert ml.allows(("haiku",), None) and not ml.denies(("claude-opus-4-5",), None)
    for i in range(_SEEN_MAX + 5):
        ml.denies((f"claude-x-{i}",), None)
    assert len(ml._seen) <= _SEEN_MAX


def test_a_list_is_parsed_once_not_per_resolution() -> None:
    entries = big_list(5_000)
    first = ModelList.of(list(entries))
    assert ModelList.of(list(entries)) is first


def test_a_whole_resolution_with_10000_entries_costs_about_what_10_cost() -> None:
    def snap(n: int) -> Snapshot:
        policy = {
            "availableModels": big_list(n),
            "enforceAvailableModels": True,
            "deniedModels": [f"claude-denied-{i}" for i in range(n)],
        }
        return Snapshot.of(managed=policy, flags=Flags(model="sonnet", print_mode=True))

    small, big = snap(10), snap(10_000)
    assert compute(big).main.model == compute(small).main.model == "claude-sonnet-5-5"
    # What remains O(n) is C code (hashing the list for the parse cache), not per-entry calls.
    assert calls(lambda: compute(big)) <= calls(lambda: compute(small)) + 50
