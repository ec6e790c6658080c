"""Each provider's client against a loopback server: the exact path, body and headers that
``resolve`` implies, model ids in URL paths encoded or refused, and credentials."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer

from claude_models.errors import LiveError, ModelURLError
from claude_models.live.chain import run_main, run_side
from claude_models.live.clients import Call, check_model_for_url, encoded_model, send
from tests.fakeapi import FakeAPI
from tests.live_helpers import KEY, env_for, no_sleep, resolution


def test_first_party_sends_the_resolved_request(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    env = env_for("firstParty", api.url)
    snap, _res = resolution(env, model="claude-sonnet-4-5[1m]")
    out = run_main(snap, "hello", sleep=no_sleep)
    assert out.ok and out.text == api.reply_text
    [seen] = api.seen
    assert (seen.method, seen.path) == ("POST", "/v1/messages")
    assert seen.body == {
        "model": "claude-sonnet-4-5",
        "max_tokens": 32000,
        "messages": [{"role": "user", "content": [{"type": "text", "text": "hello"}]}],
        "thinking": {"type": "enabled", "budget_tokens": 31999},
    }
    assert seen.headers["anthropic-beta"] == "context-1m-2025-08-07"
    assert seen.headers["x-api-key"] == KEY


def test_first_party_effort_and_fast_mode(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    env = env_for("firstParty", api.url)
    snap, res = resolution(env, effort="high")
    assert res.main.model == "claude-opus-5-5"
    run_main(snap, "hi", sleep=no_sleep)
    body = api.seen[0].body
    assert body["output_config"] == {"effort": res.main.effort}
    assert body["thinking"] == {"type": "adaptive"}
    assert body["max_tokens"] == 128000
    assert "speed" not in body  # fast mode is off without the flag-settings opt-in


def test_speed_is_sent_when_fast_mode_is_on(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    call = Call("claude-opus-5-5", 10, speed="fast", betas=("fast-mode-2026-02-01",))
    assert send("firstParty", env_for("firstParty", api.url), call, "hi").ok
    assert api.seen[0].body["speed"] == "fast"
    assert api.seen[0].headers["anthropic-beta"] == "fast-mode-2026-02-01"


def test_bedrock_model_in_path_and_betas_in_body(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    env = env_for("bedrock", api.url, AWS_REGION="eu-west-1")
    snap, _res = resolution(env, model="claude-sonnet-4-5-20250929[1m]")
    out = run_main(snap, "hi", sleep=no_sleep)
    assert out.ok
    [seen] = api.seen
    assert seen.path == "/model/eu.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke"
    assert "model" not in seen.body
    assert seen.body["anthropic_beta"] == ["context-1m-2025-08-07"]
    assert seen.body["thinking"] == {"type": "enabled", "budget_tokens": 31999}
    assert seen.body["max_tokens"] == 32000
    assert seen.headers["authorization"].startswith("AWS4-HMAC-SHA256 Credential=AKIAFAKE")
    assert "/eu-west-1/bedrock/" in seen.headers["authorization"]


def test_bedrock_bearer_token(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    env = {
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "ANTHROPIC_BEDROCK_BASE_URL": api.url,
        "AWS_BEARER_TOKEN_BEDROCK": "bedrock-bearer-secret",
    }
    assert send("bedrock", env, Call("us.anthropic.claude-opus-5-5", 5), "hi").ok
    assert api.seen[0].headers["authorization"] == "Bearer bedrock-bearer-secret"


def test_bedrock_skip_auth_sends_unsigned(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    env = {
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "ANTHROPIC_BEDROCK_BASE_URL": api.url,
        "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
    }
    assert send("bedrock", env, Call("us.anthropic.claude-opus-5-5", 5), "hi").ok
    assert "authorization" not in api.seen[0].headers


def test_bedrock_application_profile_arn_is_encoded_not_refused(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123"
    env = env_for("bedrock", api.url)
    assert send("bedrock", env, Call(arn, 5, region="us-east-1"), "hi").ok
    assert api.seen[0].path == (
        "/model/arn:aws:bedrock:us-east-1:123456789012:application-inference-profile%2Fabc123"
        "/invoke"
    )
    assert api.seen[0].model == arn


def test_vertex_at_the_resolved_location(httpserver: HTTPServer) -> None:
    """BEHAVIOUR.md 1: VERTEX_REGION_CLAUDE_5_5_OPUS moves the opus main loop only; the sonnet
    side query stays in CLOUD_ML_REGION."""
    api = FakeAPI(httpserver)
    env = env_for("vertex", api.url, VERTEX_REGION_CLAUDE_5_5_OPUS="us-central1")
    snap, _res = resolution(env, claude_version="2.1.328")  # side: sonnet-4-5 until 2.1.332
    assert run_main(snap, "hi", sleep=no_sleep).ok
    assert run_side(snap, "hi", sleep=no_sleep).ok
    main, side = api.seen
    assert main.path == (
        "/v1/projects/p1/locations/us-central1/publishers/anthropic/models/claude-opus-5-5"
        ":rawPredict"
    )
    assert side.path == (
        "/v1/projects/p1/locations/us-east5/publishers/anthropic/models/"
        "claude-sonnet-4-5@20250929:rawPredict"
    )
    assert "model" not in main.body
    assert main.body["output_config"] == {"effort": "medium"}
    assert "thinking" not in side.body  # side queries never think
    assert "authorization" not in main.headers  # CLAUDE_CODE_SKIP_VERTEX_AUTH


def test_foundry_default_sonnet(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    snap, _res = resolution(env_for("foundry", api.url), claude_version="2.1.328")
    assert run_main(snap, "hi", sleep=no_sleep).ok
    [seen] = api.seen
    assert seen.path == "/v1/messages"
    assert seen.body["model"] == "claude-sonnet-4-5"
    assert seen.body["thinking"] == {"type": "enabled", "budget_tokens": 31999}
    assert seen.headers["x-api-key"] == "foundry-secret-key"


def test_foundry_skip_auth_sends_no_key(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    env = {
        "CLAUDE_CODE_USE_FOUNDRY": "1",
        "ANTHROPIC_FOUNDRY_BASE_URL": api.url,
        "CLAUDE_CODE_SKIP_FOUNDRY_AUTH": "1",
    }
    assert send("foundry", env, Call("claude-sonnet-4-5", 5), "hi").ok
    headers = api.seen[0].headers
    assert "x-api-key" not in headers and "api-key" not in headers
    assert "authorization" not in headers


BAD_IDS = [
    ("bedrock", "../../admin"),
    ("bedrock", ".."),
    ("bedrock", "us.anthropic.x/../y"),
    ("bedrock", "a/b"),
    ("bedrock", "model?x=1"),
    ("bedrock", "model#frag"),
    ("bedrock", "model%2Fx"),
    ("bedrock", "model\nx"),
    ("bedrock", "model\x00x"),
    ("bedrock", ""),
    ("vertex", "claude-opus-5-5/../x"),
    ("vertex", "a/b"),
    ("vertex", "claude opus"),
    ("bedrock", "arn:aws:bedrock:us-east-1:1:application-inference-profile/../x"),
]


@pytest.mark.parametrize(("provider", "model"), BAD_IDS)
def test_ids_that_would_change_the_path_are_refused(provider: str, model: str) -> None:
    with pytest.raises(ModelURLError) as err:
        check_model_for_url(provider, model)
    assert repr(model) in str(err.value)
    assert err.value.model == model


GOOD_IDS = [
    ("bedrock", "us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
    ("bedrock", "arn:aws:bedrock:us-east-1:1:application-inference-profile/abc"),
    ("vertex", "claude-haiku-4-5@20251001"),
    ("firstParty", "a/b?c"),  # in the body, never in the path
    ("foundry", "../x"),
]


@pytest.mark.parametrize(("provider", "model"), GOOD_IDS)
def test_ids_that_name_a_model_pass(provider: str, model: str) -> None:
    check_model_for_url(provider, model)


def test_send_refuses_before_any_request(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    with pytest.raises(ModelURLError):
        send("bedrock", env_for("bedrock", api.url), Call("../x", 5), "hi")
    assert api.seen == []


def test_missing_first_party_credentials_name_the_variable() -> None:
    with pytest.raises(LiveError, match="ANTHROPIC_API_KEY"):
        send("firstParty", {"ANTHROPIC_BASE_URL": "http://127.0.0.1:9"}, Call("m", 1), "hi")


def test_missing_foundry_credentials_name_the_variable() -> None:
    env = {"CLAUDE_CODE_USE_FOUNDRY": "1", "ANTHROPIC_FOUNDRY_BASE_URL": "http://127.0.0.1:9"}
    with pytest.raises(LiveError, match="ANTHROPIC_FOUNDRY_API_KEY"):
        send("foundry", env, Call("claude-sonnet-4-5", 1), "hi")


def test_vertex_needs_a_project() -> None:
    env = {"CLAUDE_CODE_USE_VERTEX": "1", "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1"}
    with pytest.raises(LiveError, match="ANTHROPIC_VERTEX_PROJECT_ID"):
        send("vertex", env, Call("claude-opus-5-5", 1, region="us-east5"), "hi")


@given(st.text(max_size=40), st.sampled_from(["bedrock", "vertex"]))
def test_accepted_ids_stay_one_path_segment(model: str, provider: str) -> None:
    """Any id the URL check accepts, encoded as the SDK encodes it, is exactly one path segment
    that is not a dot-segment and carries no query or fragment."""
    try:
        check_model_for_url(provider, model)
    except ModelURLError:
        return
    seg = encoded_model(provider, model)
    assert seg and "/" not in seg and "?" not in seg and "#" not in seg
    assert seg not in (".", "..")


OTHER_PROVIDERS = [
    ("mantle", {"ANTHROPIC_BEDROCK_MANTLE_BASE_URL": "{url}", "CLAUDE_CODE_SKIP_MANTLE_AUTH": "1"}),
    (
        "anthropicAws",
        {
            "ANTHROPIC_AWS_BASE_URL": "{url}",
            "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH": "1",
            "ANTHROPIC_AWS_WORKSPACE_ID": "ws1",
        },
    ),
    (
        "anthropicGoogleCloud",
        {
            "ANTHROPIC_GOOGLE_CLOUD_BASE_URL": "{url}",
            "CLAUDE_CODE_SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH": "1",
            "ANTHROPIC_GOOGLE_CLOUD_PROJECT": "p1",
            "ANTHROPIC_GOOGLE_CLOUD_LOCATION": "global",
            "ANTHROPIC_GOOGLE_CLOUD_WORKSPACE_ID": "ws1",
        },
    ),
    ("gateway", {"ANTHROPIC_BASE_URL": "{url}", "ANTHROPIC_AUTH_TOKEN": "gateway-token"}),
]


@pytest.mark.parametrize(("provider", "env"), OTHER_PROVIDERS, ids=[p for p, _ in OTHER_PROVIDERS])
def test_other_providers_post_v1_messages(
    httpserver: HTTPServer, provider: str, env: dict[str, str]
) -> None:
    """BEHAVIOUR.md 8e: Mantle, Anthropic on AWS / Google Cloud and the gateway all send
    ``POST /v1/messages`` with the model in the body."""
    api = FakeAPI(httpserver)
    filled = {k: v.replace("{url}", api.url) for k, v in env.items()}
    assert send(provider, filled, Call("anthropic.claude-opus-5-5", 5), "hi").ok
    [seen] = api.seen
    assert (seen.method, seen.path, seen.body["model"]) == (
        "POST",
        "/v1/messages",
        "anthropic.claude-opus-5-5",
    )
