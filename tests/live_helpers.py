"""Shared bits of the live tests: snapshots pointed at the fake server, no sleeping."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from werkzeug import Request, Response

from claude_models.resolver import resolve
from claude_models.result import Resolution
from claude_models.snapshot import Flags, Snapshot

KEY = "sk-ant-api03-secretsecretsecret"


def no_sleep(_: float) -> None:
    return None


def env_for(provider: str, url: str, **extra: str) -> dict[str, str]:
    base: dict[str, dict[str, str]] = {
        "firstParty": {"ANTHROPIC_BASE_URL": url, "ANTHROPIC_API_KEY": KEY},
        "bedrock": {
            "CLAUDE_CODE_USE_BEDROCK": "1",
            "ANTHROPIC_BEDROCK_BASE_URL": url,
            "AWS_ACCESS_KEY_ID": "AKIAFAKEFAKEFAKE",
            "AWS_SECRET_ACCESS_KEY": "fakesecretfakesecret",
            "AWS_REGION": "us-east-1",
        },
        "vertex": {
            "CLAUDE_CODE_USE_VERTEX": "1",
            "ANTHROPIC_VERTEX_BASE_URL": url + "/v1",
            "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1",
            "ANTHROPIC_VERTEX_PROJECT_ID": "p1",
            "CLOUD_ML_REGION": "us-east5",
        },
        "foundry": {
            "CLAUDE_CODE_USE_FOUNDRY": "1",
            "ANTHROPIC_FOUNDRY_BASE_URL": url,
            "ANTHROPIC_FOUNDRY_API_KEY": "foundry-secret-key",
        },
    }
    out = dict(base[provider])
    out.update(extra)
    return out


def resolution(
    env: Mapping[str, str],
    *,
    user: Mapping[str, Any] | None = None,
    managed: Mapping[str, Any] | None = None,
    claude_version: str | None = None,
    **flags: Any,
) -> tuple[Snapshot, Resolution]:
    snap = Snapshot.of(
        env=env,
        user=user,
        managed=managed,
        flags=Flags(print_mode=True, **flags),
        claude_version=claude_version,
    )
    return snap, resolve(snap)


def echo_authorization(request: Request) -> Response:
    """A Bedrock listing refused with the signed ``Authorization`` header (and so the access
    key id) echoed in the error: what masking must catch."""
    auth = request.headers.get("authorization", "")
    return Response(
        json.dumps({"message": f"The request signature is invalid: {auth}"}),
        status=403,
        headers={"x-amzn-ErrorType": "InvalidSignatureException"},
        content_type="application/json",
    )
