"""The 11 observed conformance cases with a ``live`` key, replayed against the fake server.

Each runs ``claude-models ask --json`` through the CLI as a new user (fresh HOME and cwd) with
the case's environment pointed at the loopback server, which refuses the case's unavailable
models and plays its ``server_script``: the main-loop models tried, the exit code and the error
text must be what Claude Code 2.1.328 did. Side-refusal cases also send ``ask --side``: the
side query fails on its own model and the main-loop model is never tried.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from tools.follow.scenarios import write_files

from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI

DATA = Path(__file__).parent / "data" / "conformance_examples.json"
CASES = [c for c in json.loads(DATA.read_text(encoding="utf-8")) if c.get("live")]
FAKE = "http://127.0.0.1:9"


def test_there_are_eleven_live_cases() -> None:
    assert len(CASES) == 11


def _setup(
    case: dict[str, Any], httpserver: HTTPServer, sb: Sandbox
) -> tuple[FakeAPI, dict[str, str], list[str]]:
    api = FakeAPI(httpserver)
    live = case["live"]
    for sub in live["unavailable_models"]:
        api.refuse(sub, live["unavailable_status"])
    for step in live.get("server_script") or []:
        err = step["reply"]["error"]
        api.script(step["when"]["model_contains"], err["status"], err["message"], step["times"])
    env = {k: v.replace(FAKE, api.url) for k, v in case["env"].items()}
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    # modelled on the release they were observed on (2.1.332 steps down on 3P by itself)
    args = ["--claude-version", "2.1.328", *case["args"]]
    args += write_files(case["files"], home=sb.home, cwd=sb.cwd, tmp=sb.tmp)
    if case.get("agent") is not None:
        args += ["--agent", json.dumps(case["agent"])]
    return api, base_env(sb.home, env), args


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_main_loop_as_observed(
    case: dict[str, Any], httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    api, env, args = _setup(case, httpserver, sandbox)
    live = case["live"]
    run = run_cli(["ask", "hi", "--json", *args], env=env, cwd=sandbox.cwd)
    out = run.json()
    assert out["models_tried"] == live["main_models_tried"]
    assert run.code == live["exit_code"]
    assert out["ok"] is (live["exit_code"] == 0)
    if live["error"] is None:
        assert out["error"] is None
        assert out["model"] == live["main_models_tried"][-1]
    else:
        assert out["error"].startswith(live["error"]), out["error"]
    # the server saw exactly the models tried, in order (repeats are retries)
    seen = api.models()
    collapsed = [m for i, m in enumerate(seen) if i == 0 or seen[i - 1] != m]
    assert collapsed == live["main_models_tried"]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_side_query_as_observed(
    case: dict[str, Any], httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    """No runtime fallback (BEHAVIOUR.md 4): a refused side query never reaches the main model;
    one retry after a 404, none after a 403."""
    api, env, args = _setup(case, httpserver, sandbox)
    live = case["live"]
    side_model = case["expect"]["side.model"]
    run = run_cli(["ask", "hi", "--json", "--side", *args], env=env, cwd=sandbox.cwd)
    out = run.json()
    assert out["models_tried"] == [side_model]
    assert out["ok"] is (not live["side_refused"])
    assert run.code == (1 if live["side_refused"] else 0)
    sent = api.models()
    if live["side_refused"]:
        expected = 2 if live["unavailable_status"] == 404 else 1
        assert sent == [side_model] * expected
        assert case["expect"]["main.model"] not in sent
        assert "ANTHROPIC_" in out["error"]
