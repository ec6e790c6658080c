"""tools/follow/fakeapi.py against the real clients: the anthropic SDK's first-party, Bedrock,
Vertex and Foundry clients (JSON and streaming), boto3 for the inference-profile listing, and
botocore's own event-stream parser for the AWS framing. Loopback only."""

from __future__ import annotations

import json
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tools.follow.fakeapi import FakeAPI, decode_event_stream, encode_event

FAKE_KEY = "sk-ant-api03-fakeapi-test-key-000000"


_OPEN: list[Any] = []


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    """Every SDK client a test makes is closed after it (no leaked sockets)."""
    yield
    while _OPEN:
        _OPEN.pop().close()


@pytest.fixture
def api() -> Iterator[FakeAPI]:
    with FakeAPI() as server:
        yield server


def _opened(client: Any) -> Any:
    _OPEN.append(client)
    return client


def _first_party(api: FakeAPI) -> Any:
    import anthropic

    return _opened(anthropic.Anthropic(api_key=FAKE_KEY, base_url=api.url, max_retries=0))


def _bedrock(api: FakeAPI) -> Any:
    import anthropic

    client = anthropic.AnthropicBedrock(
        aws_region="eu-west-1",
        aws_access_key="AKIAFAKEFAKEFAKEFAKE",
        aws_secret_key="fake-secret-fake-secret",
        base_url=api.url,
        max_retries=0,
    )
    return _opened(client)


def _vertex(api: FakeAPI) -> Any:
    import anthropic

    client = anthropic.AnthropicVertex(
        region="us-east5",
        project_id="proj",
        access_token="ya29.fake-token",
        base_url=f"{api.url}/v1",
        max_retries=0,
    )
    return _opened(client)


def _foundry(api: FakeAPI) -> Any:
    import anthropic

    client = anthropic.AnthropicFoundry(
        api_key="foundry-fake-key", base_url=f"{api.url}/anthropic", max_retries=0
    )
    return _opened(client)


CLIENTS = {
    "firstParty": (_first_party, "claude-opus-5-5", "messages"),
    "bedrock": (_bedrock, "eu.anthropic.claude-opus-5-5", "bedrock"),
    "vertex": (_vertex, "claude-sonnet-5-5", "vertex"),
    "foundry": (_foundry, "claude-sonnet-5-5", "messages"),
}
STREAM_KIND = {"messages": "messages", "bedrock": "bedrock-stream", "vertex": "vertex-stream"}


def _create(client: Any, model: str, **extra: Any) -> Any:
    return client.messages.create(
        model=model,
        max_tokens=16000,
        messages=[{"role": "user", "content": "hi"}],
        thinking={"type": "adaptive"},
        output_config={"effort": "medium"},
        **extra,
    )


@pytest.mark.parametrize("provider", list(CLIENTS))
def test_json_reply_and_log(api: FakeAPI, provider: str) -> None:
    make, model, kind = CLIENTS[provider]
    msg = _create(make(api), model)
    assert msg.content[0].text == api.reply_text
    (rec,) = api.requests()
    assert (rec["kind"], rec["model"], rec["stream"]) == (kind, model, False)
    assert rec["max_tokens"] == 16000
    assert rec["effort"] == "medium"
    assert rec["thinking"] == {"type": "adaptive"}
    if provider == "vertex":
        assert rec["location"] == "us-east5"


@pytest.mark.parametrize("provider", list(CLIENTS))
def test_streaming_reply(api: FakeAPI, provider: str) -> None:
    make, model, kind = CLIENTS[provider]
    with make(api).messages.stream(
        model=model, max_tokens=1000, messages=[{"role": "user", "content": "hi"}]
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == api.reply_text
    assert final.stop_reason == "end_turn"
    (rec,) = api.requests()
    assert (rec["kind"], rec["model"], rec["stream"]) == (STREAM_KIND[kind], model, True)


@pytest.mark.parametrize("provider", list(CLIENTS))
@pytest.mark.parametrize(
    ("status", "error"),
    [(404, "NotFoundError"), (403, "PermissionDeniedError"), (529, "OverloadedError")],
)
def test_refusals_in_each_providers_format(
    api: FakeAPI, provider: str, status: int, error: str
) -> None:
    make, model, _ = CLIENTS[provider]
    api.refuse(model[-10:], status)
    api.refuse("never-matches", 500)
    with pytest.raises(Exception) as info:
        _create(make(api), model)
    assert type(info.value).__name__ == error
    assert getattr(info.value, "status_code", None) == status
    assert api.requests()[0]["reply"]["status"] == status
    # another model is answered
    assert _create(make(api), "claude-haiku-5-5").content[0].text == api.reply_text


def test_refusal_times_and_order(api: FakeAPI) -> None:
    import anthropic

    first = api.refuse("opus", 529, times=2)
    client = _first_party(api)
    for _ in range(2):
        with pytest.raises(anthropic.APIStatusError):
            _create(client, "claude-opus-5-5")
    assert _create(client, "claude-opus-5-5").content[0].text == api.reply_text
    assert first.used == 2
    assert [r["reply"]["status"] for r in api.requests()] == [529, 529, 200]


@pytest.mark.parametrize("provider", list(CLIENTS))
@pytest.mark.parametrize("stream", [False, True], ids=["json", "stream"])
def test_refusal_stop_reason_in_each_providers_format(
    api: FakeAPI, provider: str, stream: bool
) -> None:
    """A scripted ``stop_reason: "refusal"`` reaches the SDK as the API sends it: a 200 whose
    stop reason is ``refusal``, with the classifier's ``stop_details``; once, then answers."""
    make, model, _ = CLIENTS[provider]
    rule = api.reply_refusal(model[-10:], times=1)
    client = make(api)
    for want in ("refusal", "end_turn"):
        if stream:
            with client.messages.stream(
                model=model, max_tokens=1000, messages=[{"role": "user", "content": "hi"}]
            ) as s:
                msg = s.get_final_message()
        else:
            msg = _create(client, model)
        assert msg.stop_reason == want
        details = msg.stop_details
        if want == "refusal":
            assert details is not None
            assert (details.type, details.category) == ("refusal", "cyber")
        else:
            assert details is None
    assert rule.used == 1
    replies = [r["reply"] for r in api.requests()]
    assert [(r["status"], r["stop_reason"]) for r in replies] == [(200, "refusal"), (200, None)]


@pytest.mark.parametrize("provider", list(CLIENTS))
def test_tool_use_reply_streams_the_input(api: FakeAPI, provider: str) -> None:
    make, model, _ = CLIENTS[provider]
    call = {"description": "d", "prompt": "p", "subagent_type": "general-purpose", "model": "haiku"}
    api.reply_tool_use("Agent", call)
    tools = [{"name": "Agent", "description": "x", "input_schema": {"type": "object"}}]
    client = make(api)
    with client.messages.stream(
        model=model, max_tokens=100, tools=tools, messages=[{"role": "user", "content": "hi"}]
    ) as stream:
        final = stream.get_final_message()
    block = final.content[0]
    assert (block.type, block.name, block.input) == ("tool_use", "Agent", call)
    assert final.stop_reason == "tool_use"
    # times=1: the next turn gets text
    nxt = client.messages.create(
        model=model, max_tokens=100, tools=tools, messages=[{"role": "user", "content": "hi"}]
    )
    assert nxt.content[0].type == "text"
    assert [r["tools"] for r in api.requests()] == [["Agent"], ["Agent"]]


def test_tool_use_only_for_the_main_loop_offering_the_tool(api: FakeAPI) -> None:
    api.reply_tool_use("WebFetch", {"url": "http://127.0.0.1/", "prompt": "sum"}, times=None)
    client = _first_party(api)
    web = [{"name": "WebFetch", "description": "x", "input_schema": {"type": "object"}}]
    sub = client.messages.create(
        model="claude-opus-5-5",
        max_tokens=10,
        tools=web,
        messages=[{"role": "user", "content": "hi"}],
        extra_headers={"x-claude-code-agent-id": "agent123"},
    )
    plain = client.messages.create(
        model="claude-opus-5-5", max_tokens=10, messages=[{"role": "user", "content": "hi"}]
    )
    main = client.messages.create(
        model="claude-opus-5-5",
        max_tokens=10,
        tools=web,
        messages=[{"role": "user", "content": "hi"}],
    )
    assert [m.content[0].type for m in (sub, plain, main)] == ["text", "text", "tool_use"]
    assert [r["agent_id"] for r in api.requests()] == ["agent123", None, None]


def test_betas_from_header_and_body_and_speed(api: FakeAPI) -> None:
    _first_party(api).beta.messages.create(
        model="claude-opus-5-5",
        max_tokens=10,
        messages=[{"role": "user", "content": "hi"}],
        betas=["fast-mode-2026-02-01", "context-1m-2025-08-07"],
        extra_body={"speed": "fast"},
    )
    _create(
        _bedrock(api),
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        extra_body={"anthropic_beta": ["context-1m-2025-08-07"]},
    )
    fp, bd = api.requests()
    assert fp["betas"] == ["context-1m-2025-08-07", "fast-mode-2026-02-01"]
    assert fp["speed"] == "fast"
    assert bd["betas_body"] == ["context-1m-2025-08-07"]
    assert "context-1m-2025-08-07" in bd["betas"]
    assert bd["model"] == "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


def test_count_tokens(api: FakeAPI) -> None:
    n = _first_party(api).messages.count_tokens(
        model="claude-opus-5-5", messages=[{"role": "user", "content": "hi"}]
    )
    assert n.input_tokens == 10
    (rec,) = api.requests()
    assert (rec["kind"], rec["model"]) == ("count_tokens", "claude-opus-5-5")


def test_bedrock_profiles_paginated_through_boto3(api: FakeAPI) -> None:
    import boto3

    api.profiles = [f"us.anthropic.claude-model-{i}" for i in range(5)]
    api.profile_page_size = 2
    client = boto3.client(
        "bedrock",
        region_name="us-east-1",
        endpoint_url=api.url,
        aws_access_key_id="AKIAFAKEFAKEFAKEFAKE",
        aws_secret_access_key="fake-secret-fake-secret",
    )
    pages = client.get_paginator("list_inference_profiles").paginate(typeEquals="SYSTEM_DEFINED")
    ids = [p["inferenceProfileId"] for page in pages for p in page["inferenceProfileSummaries"]]
    client.close()
    assert ids == api.profiles
    recs = api.requests()
    assert len(recs) == 3
    assert all(r["kind"] == "profiles" and "type=SYSTEM_DEFINED" in r["query"] for r in recs)


def test_event_stream_frames_parse_with_botocore() -> None:
    from botocore.eventstream import EventStreamBuffer

    frame = encode_event({":event-type": "chunk", ":message-type": "event"}, b'{"bytes":"e30="}')
    buf = EventStreamBuffer()
    buf.add_data(frame + frame)
    messages = list(buf)
    assert len(messages) == 2
    assert messages[0].headers[":event-type"] == "chunk"
    assert messages[0].payload == b'{"bytes":"e30="}'
    assert decode_event_stream(frame) == [
        ({":event-type": "chunk", ":message-type": "event"}, b'{"bytes":"e30="}')
    ]
    broken = frame[:-1] + bytes([frame[-1] ^ 1])
    with pytest.raises(ValueError, match="checksum"):
        decode_event_stream(broken)


def test_log_file_has_one_line_per_request_and_no_secret(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    with FakeAPI(log_path=log) as api:
        _create(_first_party(api), "claude-opus-5-5")
        _create(_foundry(api), "claude-sonnet-5-5")
        _create(_vertex(api), "claude-sonnet-5-5")
    text = log.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [r["model"] for r in lines] == [
        "claude-opus-5-5",
        "claude-sonnet-5-5",
        "claude-sonnet-5-5",
    ]
    for secret in (FAKE_KEY, "foundry-fake-key", "ya29.fake-token"):
        assert secret not in text
    assert all(r["auth"] for r in lines)  # the credential header's name only
    assert "anthropic-version" in lines[0]["headers"]


def test_other_get_is_a_page_and_unknown_post_is_404(api: FakeAPI) -> None:
    with urllib.request.urlopen(f"{api.url}/some/page") as resp:
        assert b"<html>" in resp.read()
    req = urllib.request.Request(f"{api.url}/v1/complete", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req)
    assert info.value.code == 404
    info.value.close()
    assert [r["kind"] for r in api.requests()] == ["page", "unknown"]


@pytest.mark.parametrize(
    "host",
    [
        "0.0.0.0",  # noqa: S104 - refused, the point of the test
        "192.168.1.10",
        "localhost",
        "::",
        "",
    ],
)
def test_refuses_to_bind_anything_but_loopback(host: str) -> None:
    with pytest.raises(ValueError, match="loopback"):
        FakeAPI(host=host)


def test_binds_ipv6_loopback_when_available() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        api = FakeAPI(host="::1").start()
    except OSError:
        pytest.skip("::1 cannot be bound here")
    try:
        assert api.url.startswith("http://[::1]:")
        assert _create(_first_party(api), "claude-opus-5-5").content[0].text == api.reply_text
    finally:
        api.stop()


def test_clear_and_restart_free_port() -> None:
    with FakeAPI() as api:
        api.refuse("opus", 404)
        _first_party(api).messages.create(
            model="claude-haiku-5-5", max_tokens=1, messages=[{"role": "user", "content": "hi"}]
        )
        api.clear()
        assert api.requests() == []
        assert api.rules == []
        port = api.port
    assert port > 0
    with pytest.raises(RuntimeError, match="not started"):
        _ = api.url


def test_bedrock_get_inference_profile_through_boto3(api: FakeAPI) -> None:
    import boto3
    from botocore.exceptions import ClientError

    arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"
    api.application_profiles[arn] = "anthropic.claude-opus-4-6-v1"
    client = boto3.client(
        "bedrock",
        region_name="us-east-1",
        endpoint_url=api.url,
        aws_access_key_id="AKIAFAKEFAKEFAKEFAKE",
        aws_secret_access_key="fake-secret-fake-secret",
    )
    got = client.get_inference_profile(inferenceProfileIdentifier=arn)
    with pytest.raises(ClientError) as info:
        client.get_inference_profile(inferenceProfileIdentifier="unknown-profile")
    client.close()
    assert got["models"][0]["modelArn"].endswith("foundation-model/anthropic.claude-opus-4-6-v1")
    assert got["type"] == "APPLICATION"
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert [r["kind"] for r in api.requests()] == ["profile", "profile"]
    assert api.requests()[0]["model"] == arn


def test_tls_page_with_a_self_signed_certificate(tmp_path: Path) -> None:
    import ssl

    from tools.follow.fakeapi import self_signed_cert

    cert, key = self_signed_cert(tmp_path)
    with FakeAPI(tls=(cert, key)) as page:
        assert page.url.startswith("https://127.0.0.1:")
        ctx = ssl.create_default_context(cafile=str(cert))
        with urllib.request.urlopen(f"{page.url}/article", context=ctx) as resp:
            assert b"Fake page" in resp.read()
        untrusted = ssl.create_default_context()
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(f"{page.url}/article", context=untrusted)
    assert [r["path"] for r in page.requests()] == ["/article"]
