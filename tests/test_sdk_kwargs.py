"""``Request.to_sdk_kwargs()`` (and on side queries and subagents): the keyword arguments of the
anthropic SDK's ``messages.create``, for builders who drive the SDK themselves."""

from __future__ import annotations

from typing import Any

import anthropic
import pytest

from claude_models import Flags, Snapshot, resolve
from tests.clientapi import BodyAPI, api_fixture  # noqa: F401 - the fixture
from tests.live_helpers import env_for

PRINT = Flags(print_mode=True)


@pytest.mark.parametrize(
    ("flags", "settings", "want"),
    [
        (
            Flags(print_mode=True),
            None,
            {
                "model": "claude-opus-5-5",
                "max_tokens": 128000,
                "thinking": {"type": "adaptive"},
                "output_config": {"effort": "medium"},
            },
        ),
        (
            Flags(print_mode=True, model="claude-sonnet-4-5[1m]"),
            None,
            {
                "model": "claude-sonnet-4-5",
                "max_tokens": 32000,
                "thinking": {"type": "enabled", "budget_tokens": 31999},
                "extra_headers": {"anthropic-beta": "context-1m-2025-08-07"},
            },
        ),
        (
            Flags(print_mode=True),
            {"fastMode": True},
            {
                "model": "claude-opus-5-5",
                "max_tokens": 128000,
                "thinking": {"type": "adaptive"},
                "output_config": {"effort": "medium"},
                "speed": "fast",
                "extra_headers": {"anthropic-beta": "fast-mode-2026-02-01"},
            },
        ),
    ],
    ids=["default", "sonnet-4-5-1m", "fast-mode"],
)
def test_main_request_kwargs(
    flags: Flags, settings: dict[str, Any] | None, want: dict[str, Any]
) -> None:
    res = resolve(Snapshot.of(flags=flags, flag=settings))
    assert res.main.to_sdk_kwargs() == want


def test_side_query_kwargs_never_think() -> None:
    res = resolve(Snapshot.of(flags=PRINT))
    assert res.side is not None
    assert res.side.to_sdk_kwargs() == {
        "model": res.side.model,
        "max_tokens": res.side.max_tokens,
        **({"output_config": {"effort": res.side.effort}} if res.side.effort else {}),
    }


def test_subagent_kwargs_and_a_rejected_call() -> None:
    agent = {"subagent_type": "general-purpose", "model": "haiku"}
    sub = resolve(Snapshot.of(flags=PRINT, agent=agent)).subagent
    assert sub is not None and sub.request is not None
    assert sub.to_sdk_kwargs() == sub.request.to_sdk_kwargs()
    rejected = resolve(
        Snapshot.of(flags=PRINT, agent={"subagent_type": "general-purpose", "model": "inherit"})
    ).subagent
    assert rejected is not None
    with pytest.raises(ValueError, match="rejected"):
        rejected.to_sdk_kwargs()


def test_the_sdk_sends_them_as_resolved(api: BodyAPI) -> None:
    snap = Snapshot.of(
        env=env_for("bedrock", api.url), flags=Flags(print_mode=True, model="sonnet[1m]")
    )
    req = resolve(snap).main
    client = anthropic.AnthropicBedrock(
        aws_region=req.region,
        base_url=api.url,
        aws_access_key="AKIAFAKEFAKEFAKE",
        aws_secret_key="fakesecretfakesecret",
        max_retries=0,
        timeout=30,
    )
    with client:
        client.messages.create(**req.to_sdk_kwargs(), messages=[{"role": "user", "content": "hi"}])
    [seen] = api.messages()
    assert seen["path"] == f"/model/{req.model}/invoke"
    assert seen["max_tokens"] == req.max_tokens
    assert req.betas and seen["betas_body"] == list(req.betas)  # moved into the body by the SDK
