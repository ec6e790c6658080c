"""Every case observed from Claude Code 2.1.328 (tests/data/conformance_examples.json, copied
from shared/conformance), run through the CLI exactly as the case says: an empty environment
plus PATH, a fresh HOME and working directory, the case's files and flags, modelling the release
they were observed on (``--claude-version 2.1.328``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tools.follow.scenarios import write_files

from tests.clirun import base_env, run_cli

CASES: list[dict[str, Any]] = json.loads(
    (Path(__file__).parent / "data" / "conformance_examples.json").read_text(encoding="utf-8")
)
NO_MANAGED = "/nonexistent/managed-settings.json"
OBSERVED_ON = "2.1.328"  # the release every case was observed on (BEHAVIOUR.md)


def lookup(out: dict[str, Any], dotted: str) -> Any:
    """A dotted path into resolve's output, with the two derived paths of the README."""
    if dotted == "main.context_1m_beta":
        return any(b.startswith("context-1m-") for b in out["main"]["betas"])
    if dotted == "subagent.rejected":
        return out["subagent"] is None or out["subagent"].get("error") is not None
    node: Any = out
    for part in dotted.split("."):
        assert isinstance(node, dict) and part in node, f"{dotted}: no {part!r} in output"
        node = node[part]
    return node


def resolve_case(case: dict[str, Any], sandbox: Any) -> dict[str, Any]:
    extra = write_files(case["files"], home=sandbox.home, cwd=sandbox.cwd, tmp=sandbox.tmp)
    if "--managed-settings" not in extra:
        extra += ["--managed-settings", NO_MANAGED]
    args = ["resolve", "--json", "--claude-version", OBSERVED_ON, *case["args"], *extra]
    if case["agent"] is not None:
        args += ["--agent", json.dumps(case["agent"])]
    run = run_cli(args, env=base_env(sandbox.home, case["env"]), cwd=sandbox.cwd)
    assert run.code == 0, run.stderr
    out: dict[str, Any] = run.json()
    return out


def test_all_cases_loaded() -> None:
    assert len(CASES) == 113
    assert len({c["name"] for c in CASES}) == 113


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_observed_case(case: dict[str, Any], sandbox: Any) -> None:
    out = resolve_case(case, sandbox)
    got = {path: lookup(out, path) for path in case["expect"]}
    assert got == case["expect"], case["what"]
