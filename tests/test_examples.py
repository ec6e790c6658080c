"""``examples/agent.py`` and the README's "For agent builders" code, run against the fake API
as a new user would run them (configuration from the environment, a fresh HOME and cwd)."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from claude_models import Client, Flags, Snapshot, resolve
from claude_models.live import plan
from tests.clientapi import BodyAPI, api_fixture  # noqa: F401 - the fixture
from tests.clirun import assert_no_secret, base_env
from tests.conftest import Sandbox
from tests.live_helpers import env_for

ROOT = Path(__file__).resolve().parent.parent
AGENT = ROOT / "examples" / "agent.py"
README = ROOT / "README.md"
TASK = "What is 12 * 34, and ask a helper whether it is prime."

pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")


@pytest.fixture(autouse=True)
def _fresh_memory() -> Iterator[None]:
    plan.SIDE_MEMORY.clear()
    yield
    plan.SIDE_MEMORY.clear()


def script_agent_turns(api: BodyAPI) -> None:
    """Main loop: first a calculator call, then an Agent call, then the answer."""
    api.reply_tool_use("calculator", {"expression": "12 * 34"})
    api.reply_tool_use(
        "Agent",
        {
            "description": "primality",
            "prompt": "Is 408 prime?",
            "subagent_type": "general-purpose",
            "model": "haiku",
        },
    )


def load_agent() -> dict[str, Any]:
    return runpy.run_path(str(AGENT), run_name="agent_example")


@pytest.mark.parametrize("provider", ["firstParty", "bedrock", "vertex", "foundry"])
def test_agent_runs_main_loop_side_query_and_subagent(api: BodyAPI, provider: str) -> None:
    script_agent_turns(api)
    agent = load_agent()
    snap = Snapshot.of(env=env_for(provider, api.url), flags=Flags(print_mode=True))
    res = resolve(snap)
    sub = resolve(
        Snapshot.of(
            env=snap.env,
            flags=snap.flags,
            agent={"subagent_type": "general-purpose", "model": "haiku"},
        )
    ).subagent
    assert res.side is not None and sub is not None and sub.request is not None
    with Client(snapshot=snap) as client:
        title, answer = agent["run"](client, TASK)
    assert title == answer == api.reply_text
    seen = api.messages()
    assert [r["model"] for r in seen] == [
        res.side.model,  # the side query titles the task
        res.main.model,  # -> calculator
        res.main.model,  # -> Agent
        sub.request.model,  # the subagent, on haiku
        res.main.model,  # -> the answer
    ]
    calc_result = seen[2]["body"]["messages"][-1]["content"][0]
    assert calc_result["type"] == "tool_result" and calc_result["content"] == "408"
    assert seen[3]["body"]["messages"] == [{"role": "user", "content": "Is 408 prime?"}]
    assert [t["name"] for t in seen[1]["body"]["tools"]] == ["calculator", "Agent"]


def test_calculator_refuses_anything_but_arithmetic() -> None:
    calculate = load_agent()["calculate"]
    assert calculate("2 ** 10 - 24 / 4") == "1018.0"
    assert calculate("__import__('os')").startswith("error")
    assert calculate("1/0").startswith("error")


def _sandbox_run(
    sandbox: Sandbox, env: dict[str, str], code: str
) -> subprocess.CompletedProcess[str]:
    """``code`` in a fresh process, HOME and cwd, managed policy read from the sandbox (never
    the machine's /etc/claude-code)."""
    managed = sandbox.tmp / "managed-settings.json"
    prelude = (
        f"import claude_models.loader as L\nL.managed_settings_path = lambda *a: {str(managed)!r}\n"
    )
    full = base_env(sandbox.home, env)
    full["PYTHONPATH"] = f"{full['PYTHONPATH']}:{ROOT}"  # keep the machine guard
    proc = subprocess.run(
        [sys.executable, "-c", prelude + code],
        env=full,
        cwd=sandbox.cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert_no_secret(full, proc.stdout + proc.stderr)
    return proc


def test_agent_script_runs_on_bedrock_from_the_environment(api: BodyAPI, sandbox: Sandbox) -> None:
    script_agent_turns(api)
    env = env_for("bedrock", api.url, AWS_EC2_METADATA_DISABLED="true")
    code = (
        "import runpy, sys\n"
        f"sys.argv = ['agent.py', {TASK!r}]\n"
        f"runpy.run_path({str(AGENT)!r}, run_name='__main__')\n"
    )
    proc = _sandbox_run(sandbox, env, code)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == f"# {api.reply_text}\n{api.reply_text}\n"
    assert len(api.messages()) == 5


def readme_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## For agent builders", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_has_a_streaming_bedrock_agent_under_20_lines() -> None:
    [block, *_] = readme_blocks()
    assert len(block.strip().splitlines()) < 20
    assert "stream" in block and "fallback_model" in block


def test_readme_streaming_agent_on_bedrock_falls_back(api: BodyAPI, sandbox: Sandbox) -> None:
    """The README's code, as is, on Bedrock whose opus-5-5 is refused: the stream comes from
    the fallback model and the switch is printed."""
    [block, *_] = readme_blocks()
    api.refuse("opus-5-5", 403)
    env = env_for("bedrock", api.url, AWS_EC2_METADATA_DISABLED="true")
    proc = _sandbox_run(sandbox, env, block)
    assert proc.returncode == 0, proc.stderr
    fallback = resolve(
        Snapshot.of(env=env, flags=Flags(print_mode=True, fallback_model="sonnet"))
    ).fallback_models[0]
    opus = "us.anthropic.claude-opus-5-5"
    assert f"[403: {opus} -> {fallback}]" in proc.stdout
    assert api.reply_text in proc.stdout
    assert f"answered by {fallback} after ('{opus}', '{fallback}')" in proc.stdout
    assert [r["stream"] for r in api.messages()] == [True, True]


@pytest.mark.parametrize("index", [1, 2])
def test_readme_other_blocks_run(api: BodyAPI, sandbox: Sandbox, index: int) -> None:
    blocks = readme_blocks()
    env = env_for("firstParty", api.url)
    proc = _sandbox_run(sandbox, env, blocks[index])
    assert proc.returncode == 0, proc.stderr
    assert api.messages()
