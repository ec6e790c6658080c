"""Issue 12 items 5-9: secrets never printed, whole or in part, by the live layer.

A loopback server echoes secrets back in every way a real one might (cut, wrapped, escaped,
URL-encoded, in a 200 answer, in a boto3 error, behind a redirect) and every output is checked
for any run of 8 characters of each secret."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse

import pytest
from pytest_httpserver import HTTPServer

from claude_models import masking
from claude_models.live import profiles
from claude_models.live.chain import run_main
from claude_models.live.clients import Call, endpoint_of, send
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI
from tests.live_helpers import echo_authorization, env_for, no_sleep, resolution
from tests.loopback import answer, redirect_to, serve

KEY = "sk-ant-api03-Zq8vK2mN4pR7tX1wY5bC9dF3gH6jL0aB"
TOKEN = "gw-token-4f9a1c7e2b8d6035a9e1"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
BEARER = "bedrock-bearer-7d3f9b2a5c8e1046"
FOUNDRY = "foundry-key-9c2e7a4b1d6f8305"
PASSWORD = "pa55w0rd-Qx7Lm2Vn9"
AKID = "AKIAZ7QXEXAMPLEKEY42"


def assert_no_fragment(secret: str, printed: str) -> None:
    """No run of 8 characters of ``secret`` (in any spelling it may come back in)."""
    forms = {secret, urllib.parse.quote(secret, safe=""), json.dumps(secret)[1:-1]}
    for form in forms:
        for i in range(len(form) - 7):
            assert form[i : i + 8] not in printed, f"{form[i : i + 8]!r} of a secret printed"


# -- the masking module ------------------------------------------------------------------------

ENV = {
    "ANTHROPIC_API_KEY": KEY,
    "ANTHROPIC_AUTH_TOKEN": TOKEN,
    "AWS_SECRET_ACCESS_KEY": AWS_SECRET,
    "AWS_BEARER_TOKEN_BEDROCK": BEARER,
    "ANTHROPIC_FOUNDRY_API_KEY": FOUNDRY,
    "ANTHROPIC_BASE_URL": f"https://admin:{PASSWORD}@gateway.example:8443/v1",
}
ECHOES = [
    ("whole", lambda s: f"bad credential {s} given"),
    ("cut", lambda s: f"bad credential {s[:-1]}"),
    ("tail", lambda s: f"…{s[len(s) // 2 :]}"),
    ("middle", lambda s: s[3:14]),
    ("wrapped", lambda s: s[:10] + "\n    " + s[10:]),
    ("json-escaped", lambda s: json.dumps(s)[1:-1].replace("/", "\\/")),
    ("url-encoded", lambda s: urllib.parse.quote(s, safe="")),
]


@pytest.mark.parametrize(("how", "echo"), ECHOES, ids=[h for h, _ in ECHOES])
@pytest.mark.parametrize("secret", [KEY, TOKEN, AWS_SECRET, BEARER, FOUNDRY, PASSWORD])
def test_mask_catches_every_echo(how: str, echo: object, secret: str) -> None:
    text = echo(secret)  # type: ignore[operator]
    masked = masking.mask(f"error: {text} (request abc)", ENV)
    assert_no_fragment(secret, masked)
    assert masked.startswith("error: ") and masked.endswith("(request abc)")


@pytest.mark.parametrize(
    "text",
    [
        f"Authorization: AWS4-HMAC-SHA256 Credential={AKID}/20260101/us-east-1/bedrock/"
        "aws4_request, SignedHeaders=host, Signature=0123456789abcdef0123456789abcdef",
        f"key id {AKID} is not valid",
        "got Bearer abcdefghijklmnopqrstu",
        "x-api-key: sk-ant-api03-unknownkeyvalue123",
        "see https://someone:hunter2hunter2@proxy.example/path",
    ],
)
def test_known_shapes_are_masked_without_the_environment(text: str) -> None:
    masked = masking.mask(text, {})
    for secret in (
        AKID,
        "0123456789abcdef",
        "abcdefghijklmnop",
        "unknownkeyvalue",
        "hunter2hunter2",
    ):
        assert secret not in masked


def test_ordinary_text_is_left_alone() -> None:
    text = "model claude-opus-5-5 is not available in us-east-1; try claude-opus-5"
    assert masking.mask(text, ENV) == text


def test_one_line_masks_before_it_cuts() -> None:
    """Item 5: cut after masking, so the cut never leaves a secret's head."""
    for pad in range(270, 300):
        line = masking.one_line("x" * pad + " " + KEY, ENV, limit=300)
        assert len(line) <= 300
        assert_no_fragment(KEY, line)


# -- item 5: errors cut to 300 characters after masking ----------------------------------------


@pytest.mark.parametrize("pad", [245, 255, 265])
def test_echoed_key_near_the_cut_is_masked(httpserver: HTTPServer, pad: int) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 400, "y" * pad + f" invalid x-api-key {KEY}")
    env = {**env_for("firstParty", api.url), "ANTHROPIC_API_KEY": KEY}
    env["CLAUDE_CODE_MAX_RETRIES"] = "0"
    snap, _res = resolution(env)
    out = run_main(snap, "hi", sleep=no_sleep)
    assert out.error and not out.ok
    assert_no_fragment(KEY, out.error)


@pytest.mark.parametrize(
    ("provider", "var", "secret"),
    [
        ("firstParty", "ANTHROPIC_AUTH_TOKEN", TOKEN),
        ("bedrock", "AWS_BEARER_TOKEN_BEDROCK", BEARER),
        ("foundry", "ANTHROPIC_FOUNDRY_API_KEY", FOUNDRY),
    ],
)
def test_every_credential_is_masked_in_part(
    httpserver: HTTPServer, provider: str, var: str, secret: str
) -> None:
    api = FakeAPI(httpserver)
    api.script("", 401, f"credential {secret[:-3]}... rejected")
    env = {**env_for(provider, api.url), var: secret}
    if provider == "firstParty":
        del env["ANTHROPIC_API_KEY"]
    if provider == "bedrock":
        for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
            del env[k]
    reply = send(provider, env, Call("claude-opus-5-5", 1), "hi")
    assert reply.status == 401 and reply.message
    assert_no_fragment(secret, reply.message)


# -- item 6: no redirect to another origin with credentials ------------------------------------


PROVIDERS = [
    ("firstParty", "x-api-key"),
    ("foundry", "x-api-key"),
    ("bedrock", "x-amz-security-token"),
]


@pytest.mark.parametrize(("provider", "header"), PROVIDERS)
def test_cross_origin_redirect_is_refused(provider: str, header: str) -> None:
    with serve(answer) as other, serve(redirect_to(f"{other.url}/steal")) as first:
        env = env_for(provider, first.url, AWS_SESSION_TOKEN="session-token-secret-1234")
        reply = send(provider, env, Call("claude-opus-5-5", 1), "hi")
        assert other.requests == [], f"{header} was sent to another origin"
        assert reply.kind == "redirect" and not reply.ok
        assert reply.message == f"redirected to {other.url}"


def test_redirect_report_is_one_line_without_userinfo(sandbox: Sandbox) -> None:
    with serve(answer) as other:
        target = f"http://user:{PASSWORD}@127.0.0.1:{other.port}/x"
        with serve(redirect_to(target, 302)) as first:
            extra = {**env_for("firstParty", first.url), "CLAUDE_CODE_MAX_RETRIES": "0"}
            run = run_cli(
                ["ask", "hi", "--json"], env=base_env(sandbox.home, extra), cwd=sandbox.cwd
            )
        assert other.requests == []
    error = run.json()["error"]
    assert run.code == 1 and "\n" not in error
    assert f"redirected to http://127.0.0.1:{other.port}, another origin" in error
    assert "ANTHROPIC_BASE_URL" in error
    assert PASSWORD not in run.stdout + run.stderr


def test_same_origin_redirect_is_followed() -> None:
    """Decision (docs/decisions/livesec.md): a same-origin redirect keeps the credentials where
    they already go, and is followed (307 keeps the POST and its body)."""

    def behave(conn: socket.socket, request: bytes, stop: threading.Event) -> None:
        if request.startswith(b"POST /v1/messages"):
            redirect_to("/v2/messages")(conn, request, stop)
        else:
            answer(conn, request, stop)

    with serve(behave) as server:
        reply = send("firstParty", env_for("firstParty", server.url), Call("m", 1), "hi")
    assert reply.ok and reply.text == "hello"
    assert server.requests[1].startswith(b"POST /v2/messages")
    assert b'"max_tokens":1' in server.requests[1].replace(b" ", b"")


# -- item 7: doctor --live's profile-listing note ----------------------------------------------


def test_doctor_profile_note_is_masked(httpserver: HTTPServer, sandbox: Sandbox) -> None:
    """The access key id comes from a credentials file (not the environment): only its shape
    tells it is one. The base URL's password must not appear either."""
    httpserver.expect_request("/inference-profiles").respond_with_handler(echo_authorization)
    creds = sandbox.tmp / "credentials"
    creds.write_text(
        f"[default]\naws_access_key_id = {AKID}\naws_secret_access_key = {AWS_SECRET}\n"
    )
    port = httpserver.port
    extra = {
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "ANTHROPIC_BEDROCK_BASE_URL": f"http://admin:{PASSWORD}@127.0.0.1:{port}",
        "AWS_SHARED_CREDENTIALS_FILE": str(creds),
        "AWS_CONFIG_FILE": str(sandbox.tmp / "none"),
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "CLAUDE_MODELS_PROBE_TIMEOUT": "2",
    }
    run = run_cli(
        ["doctor", "--live", "--json"], env=base_env(sandbox.home, extra), cwd=sandbox.cwd
    )
    notes = run.json()["notes"]
    assert notes and "could not be listed" in notes[0]
    printed = run.stdout + run.stderr
    for secret in (AKID, PASSWORD, AWS_SECRET):
        assert_no_fragment(secret, printed)


def test_profile_error_is_masked_in_process(httpserver: HTTPServer) -> None:
    profiles.reset()
    httpserver.expect_request("/inference-profiles").respond_with_handler(echo_authorization)
    env = {
        **env_for("bedrock", f"http://admin:{PASSWORD}@127.0.0.1:{httpserver.port}"),
        "AWS_ACCESS_KEY_ID": AKID,
    }
    assert profiles.wait(env, 10) == ()
    why = profiles.error(env)
    assert why and "InvalidSignature" in why
    assert_no_fragment(AKID, why)
    assert_no_fragment(PASSWORD, why)
    profiles.reset()


# -- item 8: userinfo never shown, with or without a scheme ------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (f"admin:{PASSWORD}@127.0.0.1:9", "127.0.0.1:9"),
        (f"admin:{PASSWORD}@gw.example/v1", "gw.example/v1"),
        (f"https://admin:{PASSWORD}@gw.example:8443/v1", "https://gw.example:8443/v1"),
        (f"https://{TOKEN}@gw.example", "https://gw.example"),
        (f"http://gw.example/v1?key={TOKEN}#frag", "http://gw.example/v1"),
        ("gw.example:8080", "gw.example:8080"),
    ],
)
def test_urls_are_shown_without_userinfo(raw: str, shown: str) -> None:
    assert masking.url(raw) == shown
    assert endpoint_of("firstParty", {"ANTHROPIC_BASE_URL": raw}) == shown


def test_schemeless_base_url_password_is_never_printed(sandbox: Sandbox) -> None:
    extra = {
        "ANTHROPIC_BASE_URL": f"admin:{PASSWORD}@127.0.0.1:9",
        "ANTHROPIC_API_KEY": KEY,
        "CLAUDE_CODE_MAX_RETRIES": "0",
    }
    env = base_env(sandbox.home, extra)
    for args in (["ask", "hi", "--json"], ["validate", "opus"], ["doctor", "--live"]):
        run = run_cli(args, env=env, cwd=sandbox.cwd)
        printed = run.stdout + run.stderr
        assert run.code != 0 and "Traceback" not in printed
        assert "ANTHROPIC_BASE_URL" in printed
        assert_no_fragment(PASSWORD, printed)
        assert "admin:" not in printed


# -- item 9: the text of a 200 reply is masked too ---------------------------------------------


def test_answer_text_is_masked(httpserver: HTTPServer, sandbox: Sandbox) -> None:
    api = FakeAPI(httpserver)
    api.reply_text = f"Your key is {KEY}, it ends {KEY[-12:]}"
    extra = {**env_for("firstParty", api.url), "ANTHROPIC_API_KEY": KEY}
    env = base_env(sandbox.home, extra)
    text = run_cli(["ask", "hi"], env=env, cwd=sandbox.cwd)
    as_json = run_cli(["ask", "hi", "--json"], env=env, cwd=sandbox.cwd)
    assert text.code == 0 and as_json.code == 0
    assert text.stdout.startswith("Your key is sk-ant-…(masked)")
    for printed in (text.stdout, as_json.stdout):
        assert_no_fragment(KEY, printed)


def test_masking_needs_only_the_given_environment() -> None:
    """The masking module never reads files or the process environment."""
    assert masking.secrets_of({}) == ()
    assert masking.mask("nothing secret here", None) == "nothing secret here"
