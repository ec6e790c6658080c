"""``model set`` of an id the catalog does not know: the one-shot validation probe
(BEHAVIOUR.md 8d) against a loopback fake Anthropic API. Runs once the live probe exists."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytest.importorskip("claude_models.live.probe")

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

KNOWN = "claude-bar-7"


def _handler(seen: list[dict[str, Any]]) -> Any:
    def handle(request: Request) -> Response:
        body = json.loads(request.get_data())
        seen.append(body)
        if body.get("model") == KNOWN:
            reply = {
                "id": "msg_1",
                "type": "message",
                "role": "assistant",
                "model": KNOWN,
                "content": [{"type": "text", "text": "H"}],
                "stop_reason": "max_tokens",
                "stop_sequence": None,
                "usage": {"input_tokens": 1, "output_tokens": 1},
            }
            return Response(json.dumps(reply), status=200, content_type="application/json")
        error = {
            "type": "error",
            "error": {"type": "not_found_error", "message": f"model: {body.get('model')}"},
        }
        return Response(json.dumps(error), status=404, content_type="application/json")

    return handle


def _env(httpserver: HTTPServer, sandbox: Sandbox) -> dict[str, str]:
    return base_env(
        sandbox.home,
        {
            "ANTHROPIC_BASE_URL": httpserver.url_for("/").rstrip("/"),
            "ANTHROPIC_API_KEY": "sk-ant-api03-test-secret",
        },
    )


def test_refused_id_is_not_found_and_nothing_is_saved(
    httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    seen: list[dict[str, Any]] = []
    httpserver.expect_request("/v1/messages", method="POST").respond_with_handler(_handler(seen))
    r = run_cli(["model", "set", "claude-foo-9"], env=_env(httpserver, sandbox), cwd=sandbox.cwd)
    assert r.code == 1
    assert "Model 'claude-foo-9' not found" in r.stderr
    assert not (sandbox.home / ".claude" / "settings.json").exists()
    assert seen and seen[0]["model"] == "claude-foo-9"
    assert seen[0]["max_tokens"] == 1
    assert "test-secret" not in r.stdout + r.stderr


def test_answered_id_is_saved_with_the_notice(httpserver: HTTPServer, sandbox: Sandbox) -> None:
    seen: list[dict[str, Any]] = []
    httpserver.expect_request("/v1/messages", method="POST").respond_with_handler(_handler(seen))
    r = run_cli(["model", "set", KNOWN], env=_env(httpserver, sandbox), cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    assert r.stdout.splitlines()[0] == (
        f"Set model to {KNOWN} and saved as your default for new sessions"
    )
    assert (
        f'Claude Code doesn\'t recognize the model "{KNOWN}", so it assumes a context window '
        "of 1m tokens." in r.stdout
    )
    saved = json.loads((sandbox.home / ".claude" / "settings.json").read_text())
    assert saved == {"model": KNOWN}
    assert len(seen) == 1


def test_catalog_ids_are_never_probed(httpserver: HTTPServer, sandbox: Sandbox) -> None:
    r = run_cli(["model", "set", "claude-opus-4-6"], env=_env(httpserver, sandbox), cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    assert httpserver.log == []
