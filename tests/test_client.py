"""``claude_models.Client`` / ``AsyncClient`` against the loopback fake API: first party,
Bedrock, Vertex and Foundry, sync and async, ``create`` and ``stream``."""

from __future__ import annotations

import asyncio
import gc
import subprocess
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import anthropic
import pytest

from claude_models import (
    AsyncClient,
    Client,
    Flags,
    ModelNotAllowedError,
    Snapshot,
    resolve,
    route_of,
)
from claude_models._record import replace
from claude_models.live import plan
from claude_models.live.clients import Call
from claude_models.resolver import resolve_skill
from tests.clientapi import BodyAPI, api_fixture  # noqa: F401 - the fixture
from tests.live_helpers import env_for

# The SDK's own notice for a model near retirement (sonnet-4-5 on Foundry) is the SDK's
# business: the client lets it through.
pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")

PROMPT = [{"role": "user", "content": "hi"}]
PROVIDERS = ["firstParty", "bedrock", "vertex", "foundry"]


@pytest.fixture(autouse=True)
def _fresh_memory() -> Iterator[None]:
    plan.SIDE_MEMORY.clear()
    yield
    plan.SIDE_MEMORY.clear()


@pytest.fixture(name="make")
def make_fixture() -> Iterator[Callable[..., Client]]:
    """``make(snapshot=...)``: a sync :class:`Client`, closed when the test ends."""
    made: list[Client] = []

    def make(**kw: Any) -> Client:
        made.append(Client(**kw))
        return made[-1]

    yield make
    for client in made:
        client.close()


def snap_of(
    api: BodyAPI,
    provider: str,
    *,
    version: str | None = None,
    managed: dict[str, Any] | None = None,
    **extra: str,
) -> Snapshot:
    return Snapshot.of(
        env=env_for(provider, api.url, CLAUDE_CODE_MAX_RETRIES="4", **extra),
        flags=Flags(print_mode=True),
        managed=managed,
        claude_version=version,
    )


def expected_path(provider: str, wire: str, region: str | None, *, stream: bool) -> str:
    if provider == "bedrock":
        return f"/model/{wire}/invoke" + ("-with-response-stream" if stream else "")
    if provider == "vertex":
        spec = "streamRawPredict" if stream else "rawPredict"
        return f"/v1/projects/p1/locations/{region}/publishers/anthropic/models/{wire}:{spec}"
    return "/v1/messages"


def send(client: Client | AsyncClient, mode: str, **kw: Any) -> tuple[Any, str, Any]:
    """(the message, its streamed text or "", route_of) through any of the four paths."""
    if isinstance(client, Client):
        with client:
            if mode == "create":
                msg = client.messages.create(**kw)
                return msg, "", route_of(msg)
            with client.messages.stream(**kw) as stream:
                text = "".join(stream.text_stream)
                final = stream.get_final_message()
                during = route_of(stream)
            assert route_of(final) == during
            return final, text, during

    async def go() -> tuple[Any, str, Any]:
        assert isinstance(client, AsyncClient)
        try:
            if mode == "create":
                msg = await client.messages.create(**kw)
                return msg, "", route_of(msg)
            async with client.messages.stream(**kw) as stream:
                text = "".join([t async for t in stream.text_stream])
                final = await stream.get_final_message()
                during = route_of(stream)
            assert route_of(final) == during
            return final, text, during
        finally:
            await client.close()

    return asyncio.run(go())


CLIENTS = [Client, AsyncClient]
MODES = ["create", "stream"]


# -- exact paths and bodies ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_main_loop_request_is_exactly_the_resolved_one(
    api: BodyAPI, provider: str, cls: type[Client | AsyncClient], mode: str
) -> None:
    snap = snap_of(api, provider)
    main = resolve(snap).main
    msg, text, route = send(cls(snapshot=snap), mode, messages=PROMPT, system="be brief")
    assert msg.model == main.model
    assert route is not None and route.models_tried == (main.model,) and route.requests == 1
    if mode == "stream":
        assert text == api.reply_text
    [seen] = api.messages()
    assert seen["path"] == expected_path(provider, main.model, main.region, stream=mode == "stream")
    want = main.to_sdk_kwargs()
    body = seen["body"]
    headers = want.pop("extra_headers", {})
    if provider in ("bedrock", "vertex"):
        assert "model" not in body  # in the URL path
        want.pop("model")
    for key, value in want.items():
        assert body[key] == value, key
    assert body["messages"] == PROMPT and body["system"] == "be brief"
    assert seen["betas"] == sorted(headers.get("anthropic-beta", "").split(",") if headers else [])
    assert body.get("stream", False) is (mode == "stream" and provider != "bedrock")


@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_side_query_and_subagent_requests(
    api: BodyAPI, provider: str, cls: type[Client | AsyncClient]
) -> None:
    snap = snap_of(api, provider)
    res = resolve(snap)
    assert res.side is not None
    side, _, _ = send(cls(snapshot=snap), "create", messages=PROMPT, role="side")
    agent = {"subagent_type": "general-purpose", "model": "haiku"}
    sub, _, _ = send(cls(snapshot=snap), "create", messages=PROMPT, agent=agent)
    sub_req = resolve(Snapshot.of(env=snap.env, flags=snap.flags, agent=agent)).subagent
    assert sub_req is not None and sub_req.request is not None
    assert (side.model, sub.model) == (res.side.model, sub_req.request.model)
    first, second = api.messages()
    assert "thinking" not in first["body"]  # side queries never think
    assert first["body"]["max_tokens"] == res.side.max_tokens
    assert second["max_tokens"] == sub_req.request.max_tokens


def test_tool_use_passes_through_untouched(api: BodyAPI, make: Callable[..., Client]) -> None:
    tools = [
        {
            "name": "get_weather",
            "description": "Weather for a city",
            "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}},
        }
    ]
    api.reply_tool_use("get_weather", {"city": "Paris"})
    client = make(snapshot=snap_of(api, "bedrock"))
    first = client.messages.create(
        messages=PROMPT,
        tools=tools,
        tool_choice={"type": "auto"},
        metadata={"user_id": "u1"},
        stop_sequences=["END"],
    )
    [block] = [b for b in first.content if b.type == "tool_use"]
    assert (block.name, block.input) == ("get_weather", {"city": "Paris"})
    history = [
        *PROMPT,
        {"role": "assistant", "content": [b.model_dump() for b in first.content]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": block.id, "content": "sunny"}],
        },
    ]
    second = client.messages.create(messages=history, tools=tools)
    assert second.content[0].type == "text"
    one, two = api.messages()
    assert one["body"]["tools"] == tools
    assert one["body"]["tool_choice"] == {"type": "auto"}
    assert one["body"]["metadata"] == {"user_id": "u1"}
    assert one["body"]["stop_sequences"] == ["END"]
    assert two["body"]["messages"] == history


def test_caller_parameters_win(api: BodyAPI, make: Callable[..., Client]) -> None:
    client = make(snapshot=snap_of(api, "firstParty"))
    client.messages.create(
        messages=PROMPT,
        max_tokens=100,
        thinking={"type": "disabled"},
        output_config={"effort": "low"},
        betas=["my-beta-2026"],
        temperature=0.2,
    )
    [seen] = api.messages()
    body = seen["body"]
    assert body["max_tokens"] == 100
    assert body["thinking"] == {"type": "disabled"}
    assert body["output_config"] == {"effort": "low"}
    assert body["temperature"] == 0.2
    assert seen["betas_header"] == ["my-beta-2026"]


def test_explicit_model_is_resolved_like_dash_dash_model(
    api: BodyAPI, make: Callable[..., Client]
) -> None:
    snap = snap_of(api, "bedrock")
    msg = make(snapshot=snap).messages.create(messages=PROMPT, model="sonnet")
    want = resolve(Snapshot.of(env=snap.env, flags=Flags(print_mode=True, model="sonnet"))).main
    assert msg.model == want.model
    assert api.messages()[0]["max_tokens"] == want.max_tokens


@pytest.mark.parametrize(("provider", "sends_effort"), [("bedrock", False), ("foundry", True)])
def test_explicit_model_gets_effort_only_where_claude_code_sends_it(
    api: BodyAPI, make: Callable[..., Client], provider: str, sends_effort: bool
) -> None:
    """opus-4-5 takes effort on Foundry but not on Bedrock (measured: id_bd_opus45_dated).
    With an explicit main model the side query runs on it, with its effort, on both."""
    snap = snap_of(api, provider, ANTHROPIC_MODEL="opus")
    assert resolve(snap).side.effort is not None  # type: ignore[union-attr]
    make(snapshot=snap).messages.create(
        messages=PROMPT, role="side", model="claude-opus-4-5-20251101"
    )
    assert (api.messages()[0]["effort"] is not None) is sends_effort


# An explicit model on a side query, subagent or skill: the request Claude Code sends for that
# role on that model (the role's effort chain clamped to the model, its thinking and max_tokens).
ROLES: dict[str, dict[str, Any]] = {
    "side": {"role": "side"},
    "skill": {"skill": "opus"},
    "subagent": {"agent": {"subagent_type": "general-purpose", "model": "opus"}},
}
# (CLAUDE_CODE_EFFORT_LEVEL, the explicit model, the effort sent)
EXPLICIT_EFFORT = [
    ("max", "claude-opus-4-6", "max"),
    ("xhigh", "claude-opus-4-6", "high"),  # no xhigh capability
    ("max", "claude-opus-4-5", "high"),  # effort, neither xhigh nor max
    ("xhigh", "claude-opus-4-5", "high"),
    ("xhigh", "claude-sonnet-4-6", "high"),
    ("xhigh", "claude-opus-4-7", "xhigh"),
    ("max", "claude-sonnet-4-5", None),  # takes no effort
    ("max", "claude-3-5-haiku", None),
]


def _sent_effort(seen: dict[str, Any]) -> Any:
    return (seen["body"].get("output_config") or {}).get("effort")


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("case", EXPLICIT_EFFORT, ids=lambda c: f"{c[0]}-{c[1]}")
def test_explicit_model_effort_is_clamped_to_what_it_takes(
    api: BodyAPI, make: Callable[..., Client], role: str, case: tuple[str, str, str | None]
) -> None:
    level, model, want = case
    snap = snap_of(api, "firstParty", CLAUDE_CODE_EFFORT_LEVEL=level)
    make(snapshot=snap).messages.create(messages=PROMPT, model=model, **ROLES[role])
    [seen] = api.messages()
    assert seen["model"] == model
    assert _sent_effort(seen) == want
    # what the resolver sends for the role on that model, where the role can name it
    if role == "skill":
        assert resolve_skill(snap, model).effort == want
    if role == "side":
        side = resolve(replace(snap, env={**snap.env, "ANTHROPIC_SMALL_FAST_MODEL": model})).side
        assert side is not None and side.effort == want


# (the explicit model, extra env, max_tokens, thinking) of a subagent or skill request
EXPLICIT_SHAPE: list[tuple[str, dict[str, str], int, dict[str, Any] | None]] = [
    ("claude-sonnet-4-5", {}, 32000, {"type": "enabled", "budget_tokens": 31999}),
    ("claude-3-5-haiku", {}, 8192, None),  # no extended thinking
    ("claude-opus-4-6", {"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "20000"}, 20000, {"type": "adaptive"}),
    ("claude-opus-4-6", {"CLAUDE_CODE_DISABLE_THINKING": "1"}, 64000, None),
]


@pytest.mark.parametrize("role", ["skill", "subagent"])
@pytest.mark.parametrize("case", EXPLICIT_SHAPE, ids=lambda c: f"{c[0]}-{','.join(c[1])}")
def test_explicit_model_thinking_and_max_tokens_are_the_models(
    api: BodyAPI,
    make: Callable[..., Client],
    role: str,
    case: tuple[str, dict[str, str], int, dict[str, Any] | None],
) -> None:
    """The parent's thinking (adaptive on opus) is not carried onto a model that takes budget
    thinking or none, and a budget stays below the model's max_tokens."""
    model, env, tokens, thinking = case
    snap = Snapshot.of(env=env_for("firstParty", api.url, **env), flags=Flags(print_mode=True))
    make(snapshot=snap).messages.create(messages=PROMPT, model=model, **ROLES[role])
    [seen] = api.messages()
    assert (seen["body"]["max_tokens"], seen["body"].get("thinking")) == (tokens, thinking)
    want = resolve_skill(snap, model)  # the resolver's shape of that model in this session
    sent = (
        {k: v for k, v in want.thinking.to_json().items() if v is not None}
        if want.thinking
        else None
    )
    assert (want.max_tokens, sent) == (tokens, thinking)


def test_explicit_model_side_query_never_thinks(api: BodyAPI, make: Callable[..., Client]) -> None:
    snap = snap_of(api, "firstParty", CLAUDE_CODE_MAX_OUTPUT_TOKENS="20000")
    make(snapshot=snap).messages.create(messages=PROMPT, model="claude-opus-4-6", role="side")
    [seen] = api.messages()
    assert "thinking" not in seen["body"]
    assert seen["body"]["max_tokens"] == 64000  # the catalog's, as side queries send


@pytest.mark.parametrize("role", ["main", "side"])
def test_managed_policy_is_never_bypassed(
    api: BodyAPI, role: str, make: Callable[..., Client]
) -> None:
    snap = snap_of(api, "firstParty", managed={"deniedModels": ["haiku"]})
    client = make(snapshot=snap)
    with pytest.raises(ModelNotAllowedError, match="haiku"):
        client.messages.create(messages=PROMPT, model="haiku", role=role)  # type: ignore[arg-type]
    with pytest.raises(ModelNotAllowedError):
        client.messages.create(messages=PROMPT, model="claude-haiku-5-5")
    assert api.messages() == []


def test_bad_arguments_are_named() -> None:
    snap = Snapshot.of(env={"ANTHROPIC_API_KEY": "k"})
    with pytest.raises(ValueError, match="role"):
        Client(snapshot=snap).messages.create(messages=PROMPT, role="background")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="stream"):
        Client(snapshot=snap).messages.create(messages=PROMPT, stream=True)
    with pytest.raises(TypeError, match="snapshot"):
        Client(snapshot={"env": {}})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="max_retries"):
        Client(snapshot=snap, max_retries=-1)


def test_http_client_and_timeout_reach_the_sdk(api: BodyAPI, make: Callable[..., Client]) -> None:
    import httpx2

    seen: list[str] = []

    def hook(request: Any) -> None:
        seen.append(str(request.url))

    with httpx2.Client(event_hooks={"request": [hook]}) as http:
        client = make(snapshot=snap_of(api, "firstParty"), http_client=http, timeout=7)
        client.messages.create(messages=PROMPT)
        sdk = client.sdk_client(Call.of(resolve(client.snapshot).main))
        assert sdk.timeout == 7
        client.close()
        assert not http.is_closed  # the caller's http client is the caller's to close
        client.messages.create(messages=PROMPT)
    assert seen == [api.url + "/v1/messages"] * 2


def _resource_warnings(run: Callable[[], None]) -> list[str]:
    """The ResourceWarnings (unclosed sockets, ...) raised while ``run`` runs and the garbage
    it left is collected."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run()
        gc.collect()
    return [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
def test_close_leaves_no_socket_open(api: BodyAPI, cls: type[Client | AsyncClient]) -> None:
    """A create, then a stream whose model is refused before the first event (the fallback
    answers), then close(): every connection the client opened is closed, none is left to
    the garbage collector; the same requests without close() do leave sockets behind."""
    api.refuse("opus-5-5", 403)
    snap = Snapshot.of(
        env=env_for("firstParty", api.url), flags=Flags(print_mode=True, fallback_model="sonnet")
    )

    def use(close: bool) -> Callable[[], None]:
        def sync() -> None:
            client = Client(snapshot=snap)
            assert client.messages.create(messages=PROMPT).model == "claude-sonnet-5-5"
            with client.messages.stream(messages=PROMPT) as stream:
                assert "".join(stream.text_stream) == api.reply_text
            if close:
                client.close()

        async def go() -> None:
            client = AsyncClient(snapshot=snap)
            assert (await client.messages.create(messages=PROMPT)).model == "claude-sonnet-5-5"
            async with client.messages.stream(messages=PROMPT) as stream:
                assert "".join([t async for t in stream.text_stream]) == api.reply_text
            if close:
                await client.aclose()

        return sync if cls is Client else lambda: asyncio.run(go())

    gc.collect()
    assert _resource_warnings(use(close=True)) == []
    assert api.models() == ["claude-opus-5-5", "claude-sonnet-5-5"] * 2
    # the check sees a leak: the sockets of an unclosed client are reported
    assert any("unclosed" in w for w in _resource_warnings(use(close=False)))


def test_close_never_closes_the_callers_async_http_client(api: BodyAPI) -> None:
    import httpx2

    async def go() -> bool:
        async with httpx2.AsyncClient() as http:
            async with AsyncClient(snapshot=snap_of(api, "firstParty"), http_client=http) as c:
                await c.messages.create(messages=PROMPT)
            return http.is_closed

    assert asyncio.run(go()) is False
    assert len(api.messages()) == 1


# -- fallbacks -------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
@pytest.mark.parametrize("provider", PROVIDERS)
def test_refusal_mid_chain_during_stream(
    api: BodyAPI, provider: str, cls: type[Client | AsyncClient]
) -> None:
    """The main model 404s, the first fallback 403s: the stream starts on the second fallback,
    and every event comes from it."""
    snap = snap_of(api, provider)
    snap = Snapshot.of(
        env=snap.env, flags=Flags(print_mode=True, model="opus", fallback_model="sonnet,haiku")
    )
    res = resolve(snap)
    main, fb1, fb2 = res.main.model, *res.fallback_models
    assert len({main, fb1, fb2}) == 3
    api.refuse(main, 404)
    api.refuse(fb1, 403)
    calls: list[tuple[str, str, int | None]] = []
    client = cls(snapshot=snap, on_fallback=lambda a, b, s: calls.append((a, b, s)))
    final, text, route = send(client, "stream", messages=PROMPT)
    assert final.model == fb2 and text == api.reply_text
    assert calls == [(main, fb1, 404), (fb1, fb2, 403)]
    assert route.models_tried == (main, fb1, fb2)
    assert [r["model"] for r in api.messages()] == [main, fb1, fb2]
    assert all(r["stream"] for r in api.messages())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
def test_529_counting(api: BodyAPI, cls: type[Client | AsyncClient], mode: str) -> None:
    """Three consecutive 529s switch to the fallback model; with max_retries=1 the run fails
    on the second 529 before any switch (BEHAVIOUR.md 7)."""
    api.refuse("opus", 529)
    env = env_for("firstParty", api.url)
    snap = Snapshot.of(env=env, flags=Flags(print_mode=True, fallback_model="sonnet"))
    msg, _, route = send(cls(snapshot=snap, max_retries=4), mode, messages=PROMPT)
    assert msg.model == "claude-sonnet-5-5" and route.requests == 4
    assert api.models() == ["claude-opus-5-5"] * 3 + ["claude-sonnet-5-5"]
    api.clear()
    api.refuse("opus", 529)
    with pytest.raises(anthropic.APIStatusError) as err:
        send(cls(snapshot=snap, max_retries=1), mode, messages=PROMPT)
    assert err.value.status_code == 529
    assert api.models() == ["claude-opus-5-5"] * 2


def test_hundred_concurrent_async_side_queries_waste_one_request(api: BodyAPI) -> None:
    """The opt-in memory: 100 side queries at once on a refused side model send it once;
    the other 99 go straight to the main-loop model."""
    api.refuse("haiku-5-5", 403)
    snap = snap_of(api, "firstParty", CLAUDE_MODELS_SIDE_QUERY_FALLBACK="main-model")

    async def go() -> list[Any]:
        async with AsyncClient(snapshot=snap) as client:
            return await asyncio.gather(
                *(client.messages.create(messages=PROMPT, role="side") for _ in range(100))
            )

    replies = asyncio.run(go())
    assert {m.model for m in replies} == {"claude-opus-5-5"}
    models = api.models()
    assert models.count("claude-haiku-5-5") == 1
    tried = sorted(r.models_tried for r in map(route_of, replies) if r is not None)
    assert tried == [("claude-haiku-5-5", "claude-opus-5-5")] + [("claude-opus-5-5",)] * 99
    assert plan.SIDE_MEMORY.refused() == {("firstParty", "claude-haiku-5-5"): "claude-opus-5-5"}


def test_threads_share_the_memory_too(api: BodyAPI, make: Callable[..., Client]) -> None:
    api.refuse("haiku-5-5", 404)
    snap = snap_of(api, "firstParty", CLAUDE_MODELS_SIDE_QUERY_FALLBACK="main-model")
    client = make(snapshot=snap)
    out: list[str] = []

    def one() -> None:
        out.append(client.messages.create(messages=PROMPT, role="side").model)

    threads = [threading.Thread(target=one) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == ["claude-opus-5-5"] * 20
    assert api.models().count("claude-haiku-5-5") == 1


def test_without_opt_in_nothing_is_remembered(api: BodyAPI, make: Callable[..., Client]) -> None:
    api.refuse("haiku-5-5", 403)
    client = make(snapshot=snap_of(api, "firstParty", version="2.1.330"))
    for _ in range(2):
        assert client.messages.create(messages=PROMPT, role="side").model == "claude-opus-5-5"
    assert api.models() == ["claude-haiku-5-5", "claude-opus-5-5"] * 2


def test_failure_raises_the_sdks_own_error(api: BodyAPI, make: Callable[..., Client]) -> None:
    api.refuse("opus-5-5", 403, "no access")
    client = make(snapshot=snap_of(api, "firstParty"))
    with pytest.raises(anthropic.PermissionDeniedError, match="no access"):
        client.messages.create(messages=PROMPT)


def test_import_claude_models_does_not_import_the_sdk() -> None:
    code = (
        "import sys, claude_models; assert 'anthropic' not in sys.modules; "
        "claude_models.Client; assert 'anthropic' not in sys.modules; print('ok')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "ok"


OTHER_PROVIDERS = {
    "mantle": {
        "CLAUDE_CODE_USE_MANTLE": "1",
        "ANTHROPIC_BEDROCK_MANTLE_BASE_URL": "{url}",
        "CLAUDE_CODE_SKIP_MANTLE_AUTH": "1",
    },
    "anthropicAws": {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "ANTHROPIC_AWS_BASE_URL": "{url}",
        "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH": "1",
        "ANTHROPIC_AWS_WORKSPACE_ID": "ws1",
    },
    "anthropicGoogleCloud": {
        "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD": "1",
        "ANTHROPIC_GOOGLE_CLOUD_BASE_URL": "{url}",
        "CLAUDE_CODE_SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH": "1",
        "ANTHROPIC_GOOGLE_CLOUD_PROJECT": "p1",
        "ANTHROPIC_GOOGLE_CLOUD_LOCATION": "global",
        "ANTHROPIC_GOOGLE_CLOUD_WORKSPACE_ID": "ws1",
    },
    "gateway": {
        "CLAUDE_CODE_USE_GATEWAY": "1",
        "ANTHROPIC_BASE_URL": "{url}",
        "ANTHROPIC_AUTH_TOKEN": "gateway-token",
    },
}


@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
@pytest.mark.parametrize("provider", list(OTHER_PROVIDERS))
def test_other_providers_stream_through_their_sdk_clients(
    api: BodyAPI, provider: str, cls: type[Client | AsyncClient]
) -> None:
    env = {k: v.replace("{url}", api.url) for k, v in OTHER_PROVIDERS[provider].items()}
    snap = Snapshot.of(env=env, flags=Flags(print_mode=True))
    main = resolve(snap).main
    assert resolve(snap).provider == provider
    final, text, _ = send(cls(snapshot=snap), "stream", messages=PROMPT)
    assert final.model == main.model and text == api.reply_text
    [seen] = api.messages()
    assert (seen["path"], seen["model"], seen["stream"]) == ("/v1/messages", main.model, True)
