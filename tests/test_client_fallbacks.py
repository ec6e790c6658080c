"""Issue 15's leftovers, against the loopback fake API: the live layer walks the resolver's
fallback decisions (outside-plan main model, ``main_stepdown``, ``side.retry``), ``stream()``
sends the 404 retry non-streaming, and ``Client()`` discovers Bedrock inference profiles."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from claude_models import Client, Flags, Snapshot, resolve
from claude_models.live import chain, plan
from claude_models.live.clients import Reply
from claude_models.registry import registry
from tests.clientapi import BodyAPI, api_fixture  # noqa: F401 - the fixture
from tests.live_helpers import env_for, no_sleep

pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")

PROMPT = [{"role": "user", "content": "hi"}]


@pytest.fixture(autouse=True)
def _fresh_memory() -> Iterator[None]:
    plan.SIDE_MEMORY.clear()
    yield
    plan.SIDE_MEMORY.clear()


# -- 1. a side query retried on the main model: the main model outside plan mode --------------

PLAN_CASES = [
    # provider, refused side model, the retry Claude Code sends (outside plan mode: sonnet)
    ("firstParty", "claude-haiku-5-5", "claude-sonnet-5-5"),  # side != main: on the main model
    ("vertex", "claude-sonnet-5-5", "claude-sonnet-5"),  # side == main (sonnet): steps down
    ("foundry", "claude-sonnet-5-5", "claude-sonnet-5"),
]


def plan_snapshot(api: BodyAPI, provider: str, **env: str) -> Snapshot:
    """opusplan in plan mode: the main loop runs opus, side queries the sonnet half."""
    return Snapshot.of(
        env=env_for(provider, api.url, **env),
        flags=Flags(model="opusplan", permission_mode="plan", print_mode=True),
    )


@pytest.mark.parametrize(("provider", "side", "retry"), PLAN_CASES)
def test_side_retry_is_on_the_main_model_outside_plan_mode(
    api: BodyAPI, provider: str, side: str, retry: str
) -> None:
    snap = plan_snapshot(api, provider)
    res = resolve(snap)
    assert res.main.model == "claude-opus-5-5" and res.side is not None
    assert res.side.model == side
    api.refuse(side, 403)
    with Client(snapshot=snap) as client:
        msg = client.messages.create(messages=PROMPT, role="side")
    assert msg.model == retry
    assert api.models() == [side, retry]
    body = api.messages()[1]["body"]
    assert "thinking" not in body  # a side query never thinks, on any model
    api.clear()
    api.refuse(side, 403)
    out = chain.run(snap, "side", "hi", sleep=no_sleep)  # ask --side: the same walk
    assert out.models_tried == [side, retry]


def test_side_retry_request_is_the_outside_plan_main_request(api: BodyAPI) -> None:
    snap = plan_snapshot(api, "firstParty")
    res = resolve(snap)
    outside = resolve(
        Snapshot.of(env=snap.env, flags=Flags(model="opusplan", print_mode=True))
    ).main
    assert res.side is not None and res.side.on_main is not None
    assert (res.side.on_main.model, res.side.on_main.max_tokens, res.side.on_main.effort) == (
        outside.model,
        outside.max_tokens,
        outside.effort,
    )
    assert res.side.on_main.thinking is None
    api.refuse("haiku", 403)
    with Client(snapshot=snap) as client:
        client.messages.create(messages=PROMPT, role="side")
    body = api.messages()[1]["body"]
    assert (body["model"], body["max_tokens"]) == (outside.model, outside.max_tokens)
    assert body.get("output_config") == ({"effort": outside.effort} if outside.effort else None)


def test_opt_in_main_model_fallback_uses_the_outside_plan_main_model(api: BodyAPI) -> None:
    snap = plan_snapshot(api, "firstParty", CLAUDE_MODELS_SIDE_QUERY_FALLBACK="main-model")
    api.refuse("haiku", 404)
    with Client(snapshot=snap) as client:
        assert client.messages.create(messages=PROMPT, role="side").model == "claude-sonnet-5-5"
    assert api.models() == ["claude-haiku-5-5", "claude-sonnet-5-5"]


# -- 3. the live walk is the resolver's decision -------------------------------------------------

WALK_MODELS = [m.id for m in registry().models if m.fallback_3p] + ["opus", "sonnet", "haiku"]


def walk(snap: Snapshot, role: str) -> list[str]:
    """The models the planner sends when every model refuses (403), after the first."""
    res = resolve(snap)
    planner = plan.Planner(plan.route_for(snap, res, role))  # type: ignore[arg-type]
    planner.start()
    step: object = None
    while not isinstance(step, plan.Done):
        step = planner.feed(Reply(403, "status"))
    return planner.tried[1:]


@pytest.mark.parametrize("today", [date(2026, 6, 1), date(2026, 11, 29), date(2027, 6, 1)])
@pytest.mark.parametrize("provider", ["bedrock", "vertex", "foundry"])
def test_live_walk_is_the_resolved_stepdown(provider: str, today: date) -> None:
    """For every model with a catalog step-down, on each provider, before and after
    retirement dates: the main loop walks ``main_stepdown.models`` and a side query
    ``side.retry.models``, nothing else (one rule, in ``stepdown.py``)."""
    for model in WALK_MODELS:
        snap = Snapshot.of(
            env=env_for(provider, "http://127.0.0.1:9"),
            flags=Flags(model=model, print_mode=True),
            today=today,
        )
        res = resolve(snap)
        assert res.main_stepdown is not None and res.side is not None and res.side.retry
        assert walk(snap, "main") == list(res.main_stepdown.models), model
        assert walk(snap, "side") == list(res.side.retry.models), model


def test_policy_denied_step_is_passed_over_in_both_views(api: BodyAPI) -> None:
    snap = Snapshot.of(
        env=env_for("bedrock", api.url),
        flags=Flags(model="claude-opus-5", print_mode=True),
        managed={"deniedModels": ["claude-opus-4-8"]},
    )
    sd = resolve(snap).main_stepdown
    assert sd is not None
    bd = "us.anthropic.claude-"
    assert sd.models[:2] == (bd + "opus-4-7", bd + "opus-4-6-v1")
    api.refuse("opus-5", 403)
    with Client(snapshot=snap) as client:
        assert client.messages.create(messages=PROMPT).model == bd + "opus-4-7"
