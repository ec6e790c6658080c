"""Issue 15's leftovers, against the loopback fake API: the live layer walks the resolver's
fallback decisions (outside-plan main model, ``main_stepdown``, ``side.retry``), ``stream()``
sends the 404 retry non-streaming, and ``Client()`` discovers Bedrock inference profiles."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from tools.follow.fakeapi import FakeAPI as FollowAPI

from claude_models import AsyncClient, Client, Flags, LiveWarning, Snapshot, resolve, route_of
from claude_models._record import replace
from claude_models.errors import RefusalError
from claude_models.live import chain, plan, profiles
from claude_models.live.client import ModelRoute
from claude_models.live.clients import Reply
from claude_models.registry import registry
from tests.clientapi import BodyAPI, api_fixture  # noqa: F401 - the fixture
from tests.clirun import base_env, path_without_claude, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI
from tests.live_helpers import echo_authorization, env_for, no_sleep

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


# -- 2. stream(): the 404 retry is sent non-streaming ----------------------------------------

PROVIDERS = ["firstParty", "bedrock", "vertex", "foundry"]


def streamed(client: Client | AsyncClient, **kw: Any) -> tuple[Any, str, list[str], Any]:
    """(final message, text, event types, route) of ``messages.stream`` on either client."""
    if isinstance(client, Client):
        with client, client.messages.stream(messages=PROMPT, **kw) as stream:
            types = [e.type for e in stream]
            final = stream.get_final_message()
            return final, final.content[0].text, types, route_of(stream)

    async def go() -> tuple[Any, str, list[str], Any]:
        assert isinstance(client, AsyncClient)
        async with client, client.messages.stream(messages=PROMPT, **kw) as stream:
            types = [e.type async for e in stream]
            final = await stream.get_final_message()
            return final, final.content[0].text, types, route_of(stream)

    return asyncio.run(go())


def is_streamed(seen: dict[str, Any]) -> bool:
    """Bedrock says so in the path, the others with ``"stream": true`` in the body."""
    if "/model/" in str(seen["path"]):
        return str(seen["path"]).endswith("/invoke-with-response-stream")
    return seen["body"].get("stream") is True


@pytest.mark.parametrize("cls", [Client, AsyncClient], ids=["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_stream_sends_the_404_retry_non_streaming(
    api: BodyAPI, provider: str, cls: type[Client | AsyncClient]
) -> None:
    """The same-model retry after a 404 goes out as ``messages.create`` (no ``"stream": true``,
    max_tokens capped at 64000); the caller still gets the SDK's MessageStream, whose events
    and final message are the retry's answer."""
    snap = Snapshot.of(
        env=env_for(provider, api.url), flags=Flags(print_mode=True), claude_version="2.1.331"
    )
    main = resolve(snap).main
    api.refuse(main.model, 404, times=1)
    final, text, types, route = streamed(cls(snapshot=snap))
    assert final.model == main.model and text == "Hello from the fake API"
    assert types[0] == "message_start" and types[-1] == "message_stop" and "text" in types
    assert route is not None and route.models_tried == (main.model,) and route.requests == 2
    first, retry = api.messages()
    assert is_streamed(first) and not is_streamed(retry)
    assert "stream" not in retry["body"]
    assert first["body"]["max_tokens"] == main.max_tokens
    assert retry["body"]["max_tokens"] == min(main.max_tokens, 64000)
    assert retry["body"]["messages"] == PROMPT


@pytest.mark.parametrize("cls", [Client, AsyncClient], ids=["sync", "async"])
def test_after_the_non_streamed_retry_the_step_down_streams(
    api: BodyAPI, cls: type[Client | AsyncClient]
) -> None:
    """Bedrock 2.1.332: stream (404), the non-streamed retry (404), then the step-down model,
    streamed again."""
    snap = Snapshot.of(env=env_for("bedrock", api.url), flags=Flags(print_mode=True))
    res = resolve(snap)
    assert res.main_stepdown is not None
    step = res.main_stepdown.models[0]
    api.refuse(res.main.model, 404)
    final, _, _, route = streamed(cls(snapshot=snap))
    assert final.model == step and route.models_tried == (res.main.model, step)
    assert [is_streamed(s) for s in api.messages()] == [True, False, True]
    assert api.models() == [res.main.model, res.main.model, step]


def test_replayed_stream_gives_back_the_message() -> None:
    """Text, citations-free text, thinking and tool use: the SDK's MessageStream accumulates
    the synthesized events into exactly the non-streamed message."""
    import anthropic
    from anthropic.types import Message

    from claude_models.live.client import replayed

    message = Message.model_validate(
        {
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-opus-5-5",
            "content": [
                {"type": "thinking", "thinking": "let me see", "signature": "sig"},
                {"type": "text", "text": "Calling a tool."},
                {
                    "type": "tool_use",
                    "id": "toolu_1",
                    "name": "get_weather",
                    "input": {"city": "Paris", "days": [1, 2]},
                },
            ],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 11, "output_tokens": 22},
        }
    )
    stream = replayed(message, None, asynchronous=False)
    assert isinstance(stream, anthropic.MessageStream)
    assert "".join(stream.text_stream) == "Calling a tool."
    final = stream.get_final_message()
    assert final.model_dump(exclude_none=True) == message.model_dump(exclude_none=True)


# -- 4. Client() discovers Bedrock inference profiles, as the CLI does ----------------------

LISTING = [
    "us.anthropic.claude-opus-4-6-v1",
    "global.anthropic.claude-opus-5-5",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "jp.anthropic.claude-haiku-4-5-20251001-v1:0",
]
JP_HAIKU = "jp.anthropic.claude-haiku-4-5-20251001-v1:0"


@pytest.fixture(name="process_env")
def process_env_fixture(
    monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox
) -> Iterator[Callable[[dict[str, str]], None]]:
    """``process_env(env)``: the process environment ``Client()`` reads is exactly ``env`` (no
    provider, model or AWS variable of the test run's own), cwd the sandbox, managed policy
    from the sandbox (never the machine's), and a fresh profile memo."""
    monkeypatch.chdir(sandbox.cwd)
    managed = str(sandbox.tmp / "managed-settings.json")
    monkeypatch.setattr("claude_models.loader.managed_settings_path", lambda *a: managed)
    profiles.reset()

    def apply(env: dict[str, str]) -> None:
        for name in list(os.environ):
            if name.startswith(("ANTHROPIC_", "CLAUDE_CODE_", "CLAUDE_MODELS_", "AWS_")):
                monkeypatch.delenv(name)
        pinned = {
            "AWS_EC2_METADATA_DISABLED": "true",
            "CLAUDE_MODELS_CLAUDE_VERSION": "2.1.332",
            "PATH": path_without_claude(os.environ.get("PATH", "/usr/bin:/bin")),
        }
        for name, value in {**env, **pinned}.items():
            monkeypatch.setenv(name, value)

    yield apply
    profiles.reset()


@pytest.mark.parametrize("cls", [Client, AsyncClient], ids=["sync", "async"])
def test_client_sends_the_discovered_profile_like_ask(
    api: BodyAPI,
    sandbox: Sandbox,
    process_env: Callable[[dict[str, str]], None],
    cls: type[Client | AsyncClient],
) -> None:
    """``Client()`` on Bedrock lists the inference profiles (boto3, through the fake API) and
    sends the ids ``ask`` sends: the region's geo prefix (ap -> jp) for haiku, the first match
    for the side query's sonnet."""
    api.profiles = LISTING
    env = env_for("bedrock", api.url, AWS_REGION="ap-northeast-1")
    process_env(env)
    msg, _, _, _ = streamed(cls(flags=Flags(model="haiku")))
    assert msg.model == JP_HAIKU
    cli = run_cli(
        ["ask", "hi", "--json", "--model", "haiku"],
        env=base_env(sandbox.home, {**env, "AWS_EC2_METADATA_DISABLED": "true"}),
        cwd=sandbox.cwd,
    )
    assert cli.json()["models_tried"] == [JP_HAIKU]
    assert len([r for r in api.requests() if r["kind"] == "profiles"]) >= 1


def test_client_with_a_snapshot_uses_it_as_given(
    api: BodyAPI, process_env: Callable[[dict[str, str]], None]
) -> None:
    api.profiles = LISTING
    env = env_for("bedrock", api.url, AWS_REGION="ap-northeast-1")
    process_env(env)
    snap = Snapshot.of(env=env, flags=Flags(model="haiku", print_mode=True))
    with Client(snapshot=snap) as client:
        msg = client.messages.create(messages=PROMPT)
    assert msg.model == resolve(snap).main.model != JP_HAIKU  # the built-in id
    assert [r for r in api.requests() if r["kind"] == "profiles"] == []


def test_a_failed_listing_is_a_masked_warning(
    httpserver: HTTPServer, process_env: Callable[[dict[str, str]], None]
) -> None:
    """The listing's 403 echoes the signed Authorization header (the access key id): the
    client warns, masked, and sends the built-in id."""
    httpserver.expect_request("/inference-profiles").respond_with_handler(echo_authorization)
    api = FakeAPI(httpserver)
    akid = "AKIAZ7QXEXAMPLEKEY42"
    process_env(env_for("bedrock", api.url, AWS_ACCESS_KEY_ID=akid))
    with pytest.warns(LiveWarning, match="could not be listed") as caught:
        client = Client()
        with client:
            msg = client.messages.create(messages=PROMPT)
    assert msg.model == "us.anthropic.claude-opus-5-5"
    [warning] = [w for w in caught if issubclass(w.category, LiveWarning)]
    text = str(warning.message)
    assert "InvalidSignature" in text
    assert all(akid[i : i + 8] not in text for i in range(len(akid) - 7))


def test_doctor_words_the_plan_mode_side_retry_as_on_the_main_model() -> None:
    """``release_fallback`` (doctor --live, validate): in plan mode the side query's retry is
    on the main model outside plan mode, and it is worded so."""
    from claude_models.live.probe import release_fallback

    snap = Snapshot.of(
        env=env_for("firstParty", "http://127.0.0.1:9"),
        flags=Flags(model="opusplan", permission_mode="plan", print_mode=True),
    )
    nxt = release_fallback(snap, resolve(snap), "side", 403)
    assert nxt is not None
    assert (nxt.action, nxt.call.model) == ("retries on the main-loop model", "claude-sonnet-5-5")


# -- 5. safety refusals (a 200 with stop_reason "refusal"): Resolution.refusal_fallback --------

O55, O48 = "claude-opus-5-5", "claude-opus-4-8"
NO_RETRY = {"CLAUDE_CODE_DISABLE_REFUSAL_RETRY": "1"}
NO_FALLBACK = {"CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK": "1"}


@dataclass(frozen=True)
class RefusalCase:
    """A main-loop request refused by the safety classifier (the rf_ observations of Claude
    Code 2.1.332): the models asked in order and whether the walk ends with an answer."""

    name: str
    asked: list[str]
    answered: bool
    refuse: str = "opus-5-5"  # the scripted refusal: models containing this
    times: int | None = None  # None: always
    category: str | None = None  # None: cyber
    env: dict[str, str] = field(default_factory=dict)
    flags: Flags = field(default_factory=Flags)


REFUSAL_CASES = [
    RefusalCase("once", [O55, O55], True, times=1),
    RefusalCase("always", [O55, O55, O48], True),
    RefusalCase("low", [O55, O55, O48], True, flags=Flags(effort="low")),
    RefusalCase("no_retry", [O55, O48], True, env=NO_RETRY),
    RefusalCase("no_fallback", [O55, O55], False, env=NO_FALLBACK),
    RefusalCase("neither", [O55], False, env={**NO_RETRY, **NO_FALLBACK}),
    RefusalCase("target_refuses", [O55, O55, O48], False, refuse="opus"),
    RefusalCase("fallback_model", [O55, O55, O48], True, flags=Flags(fallback_model="sonnet")),
    RefusalCase("bio", [O55, O55, "claude-opus-5"], True, category="bio"),
    RefusalCase("other", [O55, O55], False, category="other"),
    RefusalCase(
        "opus46", ["claude-opus-4-6"] * 2, False, "opus-4-6", flags=Flags(model="claude-opus-4-6")
    ),
    RefusalCase(
        "sonnet",
        ["claude-sonnet-5-5"] * 2 + ["claude-sonnet-5"],
        True,
        "sonnet-5-5",
        flags=Flags(model="sonnet"),
    ),
]
MODES = ["create", "stream", "async_create", "async_stream", "ask"]


@pytest.fixture(name="follow_api")
def follow_api_fixture() -> Iterator[FollowAPI]:
    with FollowAPI() as server:
        yield server


def _walk(snap: Snapshot, mode: str) -> tuple[tuple[str, ...], str | None, list[Any]]:
    """(models tried, error, on_fallback calls) of one main-loop request in ``mode``."""
    calls: list[Any] = []

    def seen(a: str, b: str, status: int | None) -> None:
        calls.append((a, b, status))

    if mode == "ask":
        out = chain.run(snap, "main", "hi", sleep=no_sleep)
        return (
            tuple(out.models_tried),
            out.error,
            [(f["from"], f["to"], f["status"], f.get("refusal")) for f in out.fallbacks],
        )
    try:
        if mode == "create":
            with Client(snapshot=snap, on_fallback=seen) as client:
                got = route_of(client.messages.create(messages=PROMPT))
        elif mode == "stream":
            with (
                Client(snapshot=snap, on_fallback=seen) as client,
                client.messages.stream(messages=PROMPT) as stream,
            ):
                got = route_of(stream)
        else:

            async def go() -> ModelRoute | None:
                async with AsyncClient(snapshot=snap, on_fallback=seen) as client:
                    if mode == "async_create":
                        return route_of(await client.messages.create(messages=PROMPT))
                    async with client.messages.stream(messages=PROMPT) as stream:
                        return route_of(stream)

            got = asyncio.run(go())
    except RefusalError as exc:
        assert exc.status == 200 and exc.category is not None
        return (), str(exc), calls
    assert got is not None
    return got.models_tried, None, calls


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", REFUSAL_CASES, ids=[c.name for c in REFUSAL_CASES])
def test_safety_refusal_walks_the_resolved_refusal_fallback(
    follow_api: FollowAPI, mode: str, case: RefusalCase
) -> None:
    flags = replace(case.flags, print_mode=True)
    snap = Snapshot.of(env=env_for("firstParty", follow_api.url, **case.env), flags=flags)
    rule = resolve(snap).refusal_fallback
    assert rule is not None
    # no text before the refusal, so a held stream sees it before handing anything out
    follow_api.reply_refusal(case.refuse, times=case.times, category=case.category, text="")
    tried, error, calls = _walk(snap, mode)
    sent = [r for r in follow_api.requests() if r["kind"] == "messages"]
    assert [r["model"] for r in sent] == case.asked
    assert all(r["stream"] == mode.endswith("stream") for r in sent)
    if case.answered:
        assert error is None
        assert list(tried) == list(dict.fromkeys(case.asked))  # the retry is no new model
    else:
        assert error is not None and "safeguards flagged" in error and "\n" not in error
        assert case.asked[-1] in error
    if len(set(case.asked)) > 1:  # the switch request is the resolved route's, as sent
        first, switch = sent[0], sent[-1]
        category = case.category or "cyber"
        target = dict(rule.routes)[category]
        assert (switch["model"], switch["max_tokens"], switch["effort"]) == (
            target.model,
            target.max_tokens,
            target.effort,
        )
        assert switch["effort"] == first["effort"]  # the refused request's effort
        assert calls[0][:3] == (case.asked[0], target.model, 200)
        if mode == "ask":
            assert calls[0][3] == category
    else:
        assert calls == []


def test_refusal_switch_request_is_opus_4_8_at_64000_and_the_refused_effort(
    follow_api: FollowAPI,
) -> None:
    """rf_fp_opus / rf_fp_opus_low: opus-4-8 with its own max_tokens, the refused effort."""
    for effort in ("medium", "low"):
        follow_api.clear()
        snap = Snapshot.of(
            env=env_for("firstParty", follow_api.url),
            flags=Flags(effort=None if effort == "medium" else effort, print_mode=True),
        )
        follow_api.reply_refusal("opus-5-5")
        with Client(snapshot=snap) as client:
            msg = client.messages.create(messages=PROMPT)
        assert msg.model == "claude-opus-4-8" and msg.stop_reason == "end_turn"
        last = follow_api.requests()[-1]
        assert (last["model"], last["max_tokens"], last["effort"]) == (
            "claude-opus-4-8",
            64000,
            effort,
        )


def test_refusal_after_streamed_text_ends_that_stream(follow_api: FollowAPI) -> None:
    """Text already streamed cannot be taken back: the stream is handed out live and ends with
    stop_reason refusal; nothing more is sent (docs/decisions/refusal.md)."""
    snap = Snapshot.of(env=env_for("firstParty", follow_api.url), flags=Flags(print_mode=True))
    follow_api.reply_refusal("opus-5-5")  # text, then the refusal
    with Client(snapshot=snap) as client, client.messages.stream(messages=PROMPT) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "I can't help with that."
    assert final.stop_reason == "refusal"
    assert follow_api.models() == ["claude-opus-5-5"]


def test_a_held_stream_still_streams_an_answer(follow_api: FollowAPI) -> None:
    """A main-loop stream that is not refused gives its events, text and final message."""
    snap = Snapshot.of(env=env_for("firstParty", follow_api.url), flags=Flags(print_mode=True))
    with Client(snapshot=snap) as client, client.messages.stream(messages=PROMPT) as stream:
        kinds = [event.type for event in stream]
        final = stream.get_final_message()
    assert kinds[0] == "message_start" and "text" in kinds and kinds[-1] == "message_stop"
    assert final.content[0].text == "Hello from the fake API"
    assert route_of(final) is not None
