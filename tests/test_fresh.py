"""A fresh snapshot's resolution is cheap and leaves nothing behind (issue 11, "Speed").

What the speed work of ``docs/decisions/fresh.md`` must keep: the snapshot and what it
remembers form no reference cycle (a fresh resolution is freed by reference counting, not by
the cyclic garbage collector), the derived context reads an equal snapshot, and the records
built directly instead of through ``replace()`` are exactly what ``replace()`` would build.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest

from claude_models import Flags, SessionState, Snapshot, resolve
from claude_models._record import replace
from claude_models.resolver import compute
from claude_models.resolvers.context import context_of
from claude_models.result import Request, Thinking
from claude_models.snapshot import detached
from claude_models.stepdown import side_on_main, side_retry

SNAPSHOTS: list[tuple[str, Callable[[], Snapshot]]] = [
    ("empty", Snapshot.of),
    (
        "bedrock-policy-agent",
        lambda: Snapshot.of(
            env={"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"},
            user={"model": "sonnet", "effortLevel": "high", "alwaysThinkingEnabled": True},
            project={"fallbackModel": ["haiku"]},
            managed={"availableModels": ["sonnet", "haiku", "opus-4-6"], "deniedModels": ["x"]},
            flags=Flags(print_mode=True),
            agent={"subagent_type": "general-purpose", "model": "haiku"},
        ),
    ),
    (
        "vertex-plan-opusplan",
        lambda: Snapshot.of(
            env={"CLAUDE_CODE_USE_VERTEX": "1", "CLOUD_ML_REGION": "europe-west1"},
            flags=Flags(model="opusplan", permission_mode="plan", fallback_model="sonnet"),
            session=SessionState(effort="max"),
            agent={"subagent_type": "Explore"},
        ),
    ),
]
IDS = [s[0] for s in SNAPSHOTS]


@pytest.fixture
def no_gc() -> Iterator[None]:
    """The cyclic collector off, as timeit runs; back on (and run) after."""
    was = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@pytest.mark.parametrize(("name", "make"), SNAPSHOTS, ids=IDS)
@pytest.mark.parametrize("read", [False, True], ids=["decisions-only", "warnings-read"])
def test_a_fresh_resolution_leaves_no_cyclic_garbage(
    name: str, make: Callable[[], Snapshot], read: bool, no_gc: None
) -> None:
    def once() -> None:
        res = resolve(make())
        if read:
            _ = res.warnings
        assert res.main.model

    for _ in range(70):  # first uses: lazy imports, caches, compiled record __init__s
        once()
    gc.collect()
    for _ in range(3):
        res = resolve(make())
        if read:
            _ = res.warnings
        assert res.main.model
        del res
    assert gc.collect() == 0  # nothing was left for the collector: all freed by refcount


@pytest.mark.parametrize(("name", "make"), SNAPSHOTS, ids=IDS)
def test_the_context_reads_an_equal_snapshot_and_is_kept_on_it(
    name: str, make: Callable[[], Snapshot]
) -> None:
    snap = make()
    ctx = context_of(snap)
    assert context_of(snap) is ctx
    assert ctx.snap == snap and ctx.snap is not snap
    for field in Snapshot.__match_args__:  # the same values, not copies of them
        assert getattr(ctx.snap, field) is getattr(snap, field)
    assert ctx.snap._memo is not snap._memo
    # and the memoized resolution is the one compute() gives
    assert resolve(snap) is resolve(snap)
    assert resolve(snap) == compute(snap)


def test_detached_keeps_every_field_and_starts_an_empty_memo() -> None:
    snap = SNAPSHOTS[1][1]()
    resolve(snap)
    twin = detached(snap)
    assert twin == snap and type(twin) is type(snap)
    assert twin._memo == {} and snap._memo


def _full_request(**given: object) -> Request:
    values: dict[str, object] = {
        "model": "m",
        "setting": "s",
        "source": "src",
        "max_tokens": 100,
        "effort": "high",
        "thinking": Thinking("enabled", 99),
        "context_window": 200_000,
        "betas": ("b1",),
        "speed": "fast",
        "region": "eu-west-1",
        "catalog_id": "c",
        "origin": "o",
        "effort_source": "es",
        "max_tokens_source": "ms",
        "thinking_source": "ts",
        "context_source": "cs",
        "region_source": "rs",
    }
    values.update(given)
    return Request(**values)  # type: ignore[arg-type]


def test_side_on_main_is_replace_without_thinking_and_speed() -> None:
    main = _full_request()
    assert set(Request.__match_args__) == set(_full_request().__match_args__)
    # every field set and distinct, so a field the direct copy forgot would show
    assert len({repr(getattr(main, f)) for f in Request.__match_args__}) == len(
        Request.__match_args__
    )
    expected = replace(main, thinking=None, thinking_source=None, speed=None)
    assert side_on_main(main) == expected
    assert repr(side_on_main(main)) == repr(expected)


@pytest.mark.parametrize(("name", "make"), SNAPSHOTS[:2], ids=IDS[:2])
def test_the_side_query_carries_what_the_stepdown_functions_give(
    name: str, make: Callable[[], Snapshot]
) -> None:
    """The side query is built once with its step-down fields (no replace()); they are what
    stepdown's public functions give for the main request (outside plan mode)."""
    snap = make()
    res = resolve(snap)
    side = res.side
    assert side is not None
    ctx = context_of(snap)
    assert side.on_main == side_on_main(res.main)
    model = ctx.reg.by_id.get(side.catalog_id or "")
    assert side.retry == side_retry(ctx, side.model, model, res.main)
    assert side.retry is not None
    assert side.retry_on_main == (
        side.retry.models == (res.main.model,) and side.model != res.main.model
    )
