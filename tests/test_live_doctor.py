"""``claude-models doctor [--live]`` run as a new user (fresh HOME and cwd, clean env) against a
local fake server: it names each refused model, the roles that use it and the fix."""

from __future__ import annotations

import subprocess
import sys

from pytest_httpserver import HTTPServer

from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.fakeapi import FakeAPI
from tests.live_helpers import KEY, env_for


def test_doctor_without_live_sends_nothing(httpserver: HTTPServer, sandbox: Sandbox) -> None:
    api = FakeAPI(httpserver)
    env = base_env(sandbox.home, {"ANTHROPIC_BASE_URL": api.url, "ANTHROPIC_AUTH_TOKEN": "tok"})
    run = run_cli(["doctor", "--json"], env=env, cwd=sandbox.cwd)
    assert run.code == 0
    out = run.json()
    assert out["live"] is False and out["models"] == []
    assert out["warnings"]  # side queries on the main model through a proxy token
    assert api.seen == []
    text = run_cli(["doctor"], env=env, cwd=sandbox.cwd)
    assert "warnings:" in text.stdout and "--live" in text.stdout


def test_doctor_live_first_party_names_refused_side_model(
    httpserver: HTTPServer, sandbox: Sandbox
) -> None:
    api = FakeAPI(httpserver)
    api.refuse("haiku-5-5", 404)
    env = base_env(sandbox.home, env_for("firstParty", api.url))
    run = run_cli(
        ["doctor", "--live", "--json", "--fallback-model", "sonnet"], env=env, cwd=sandbox.cwd
    )
    assert run.code == 1
    out = run.json()
    by_model = {m["model"]: m for m in out["models"]}
    assert by_model["claude-opus-5-5"]["verdict"] == "available"
    assert by_model["claude-opus-5-5"]["roles"] == ["main", "Agent(model=opus)"]
    assert by_model["claude-sonnet-5-5"]["roles"] == ["fallback 1", "Agent(model=sonnet)"]
    haiku = by_model["claude-haiku-5-5"]
    assert haiku["verdict"] == "not_found"
    assert haiku["roles"] == ["side queries", "Agent(model=haiku)"]
    fixes = "\n".join(haiku["fixes"])
    assert "side queries: set ANTHROPIC_DEFAULT_HAIKU_MODEL" in fixes
    assert "Agent(model=haiku): set ANTHROPIC_DEFAULT_HAIKU_MODEL" in fixes
    assert by_model["claude-opus-5-5"]["fixes"] == []
    # one probe per distinct model, one token each
    assert sorted(api.models()) == sorted(by_model)
    assert all(s.body["max_tokens"] == 1 for s in api.messages())
    assert KEY not in run.stdout + run.stderr


def test_doctor_live_bedrock_text_report(httpserver: HTTPServer, sandbox: Sandbox) -> None:
    api = FakeAPI(httpserver)
    api.refuse("sonnet-4-5", 403)
    api.refuse("opus-5-5", 404)
    extra = {
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "ANTHROPIC_BEDROCK_BASE_URL": api.url,
        "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
        "AWS_REGION": "us-east-1",
    }
    run = run_cli(["doctor", "--live"], env=base_env(sandbox.home, extra), cwd=sandbox.cwd)
    assert run.code == 1
    out = run.stdout
    assert "!! us.anthropic.claude-opus-5-5 in us-east-1 (main" in out
    assert "set --model or ANTHROPIC_MODEL" in out
    assert "(e.g. us.anthropic.claude-opus-5)" in out
    assert "!! us.anthropic.claude-sonnet-4-5-20250929-v1:0 in us-east-1 (side queries" in out
    assert "Amazon Bedrock console" in out
    # the side-query fix points at a model that answered its probe
    assert (
        "side queries: set ANTHROPIC_DEFAULT_HAIKU_MODEL to a model this account can call "
        "(e.g. us.anthropic.claude-haiku-4-5-20251001-v1:0, which answered)"
    ) in out
    assert "ok us.anthropic.claude-haiku-4-5-20251001-v1:0" in out
    assert "Traceback" not in run.stderr


def test_importing_and_resolving_never_loads_the_sdk(sandbox: Sandbox) -> None:
    code = (
        "import sys\n"
        "import claude_models\n"
        "from claude_models.resolver import resolve\n"
        "from claude_models.snapshot import Snapshot\n"
        "from claude_models.commands._parser import build_parser\n"
        "import claude_models.live.chain, claude_models.live.probe, claude_models.live.profiles\n"
        "build_parser()\n"
        "resolve(Snapshot.of(env={'CLAUDE_CODE_USE_BEDROCK': '1'}))\n"
        "heavy = [m for m in ('anthropic', 'boto3', 'botocore', 'httpx2') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code],
        env=base_env(sandbox.home),
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.strip() == ""
