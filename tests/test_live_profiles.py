"""Bedrock inference-profile discovery (BEHAVIOUR.md 8b) through boto3 against the loopback
server: paginated, SYSTEM_DEFINED, memoized, in the background, fed to the resolver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from claude_models.live import profiles
from claude_models.resolver import resolve
from claude_models.snapshot import Snapshot
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI
from tests.live_helpers import env_for

LISTING = [
    "us.anthropic.claude-opus-4-6-v1",
    "global.anthropic.claude-opus-5-5",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "eu.anthropic.claude-opus-5-5",
    "jp.anthropic.claude-haiku-4-5-20251001-v1:0",
]


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    profiles.reset()
    yield
    profiles.reset()


def test_listing_is_paginated_and_system_defined(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver, profiles=LISTING, profile_page_size=2)
    assert profiles.list_profiles(env_for("bedrock", api.url)) == tuple(LISTING)
    calls = [s for s in api.seen if s.kind == "profiles"]
    assert len(calls) == 3
    assert all(s.path == "/inference-profiles" and "type=SYSTEM_DEFINED" in s.query for s in calls)
    assert "nextToken=2" in calls[1].query
    assert calls[0].headers["authorization"].startswith("AWS4-HMAC-SHA256")


@pytest.mark.parametrize(
    ("region", "main"),
    [
        ("eu-west-1", "eu.anthropic.claude-opus-5-5"),  # the region's geo prefix wins
        ("us-east-1", "global.anthropic.claude-opus-5-5"),  # else the first match
    ],
)
def test_discovered_profile_feeds_resolution(
    httpserver: HTTPServer, region: str, main: str
) -> None:
    api = FakeAPI(httpserver, profiles=LISTING)
    env = env_for("bedrock", api.url, AWS_REGION=region)
    snap = Snapshot.of(env=env)
    assert profiles.current(snap.env) is None  # nothing until it lands: built-in ids
    assert resolve(snap).main.model == f"{region[:2]}.anthropic.claude-opus-5-5"
    found = profiles.wait(snap.env, 10)
    assert resolve(profiles.with_profiles(snap, found)).main.model == main


def test_listing_is_memoized_per_process(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver, profiles=LISTING[:1])
    env = env_for("bedrock", api.url)
    profiles.wait(env, 10)
    profiles.wait(env, 10)
    assert len([s for s in api.seen if s.kind == "profiles"]) == 1


def test_empty_listing_keeps_built_in_ids(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver, profiles=[])
    snap = Snapshot.of(env=env_for("bedrock", api.url, AWS_REGION="eu-west-1"))
    found = profiles.wait(snap.env, 10)
    assert found == ()
    assert resolve(profiles.with_profiles(snap, found)).main.model == (
        "eu.anthropic.claude-opus-5-5"
    )


def test_failed_listing_keeps_built_in_ids_and_says_why() -> None:
    env = env_for("bedrock", "http://127.0.0.1:9")
    assert profiles.wait(env, 10) == ()
    assert profiles.error(env)


def test_model_overrides_layer_on_top(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver, profiles=LISTING)
    arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/mine"
    snap = Snapshot.of(
        env=env_for("bedrock", api.url), user={"modelOverrides": {"claude-opus-5-5": arn}}
    )
    found = profiles.wait(snap.env, 10)
    res = resolve(profiles.with_profiles(snap, found))
    assert res.main.model == arn
    assert res.side is not None
    assert res.side.model == "us.anthropic.claude-sonnet-4-5-20250929-v1:0"


def test_not_bedrock_lists_nothing() -> None:
    assert profiles.start(env_for("firstParty", "http://127.0.0.1:9")) is None


def test_ask_sends_the_discovered_profile(httpserver: HTTPServer, sandbox: Sandbox) -> None:
    api = FakeAPI(httpserver, profiles=LISTING)
    extra = {
        **env_for("bedrock", api.url, AWS_REGION="ap-northeast-1"),
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    env = base_env(sandbox.home, extra)
    run = run_cli(["ask", "hi", "--json", "--side"], env=env, cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    # side query: the provider's sonnet; its only profile is us.* (first match)
    assert run.json()["models_tried"] == ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]
    main = run_cli(["ask", "hi", "--json", "--model", "haiku"], env=env, cwd=sandbox.cwd)
    assert main.json()["models_tried"] == ["jp.anthropic.claude-haiku-4-5-20251001-v1:0"]
    assert api.models()[-1] == "jp.anthropic.claude-haiku-4-5-20251001-v1:0"
