"""The real Claude Code binary, only when asked: ``pytest -m claude_binary`` (and the binary of
the newest stored release fetched, e.g. ``python -m tools.follow fetch 2.1.332``).

Observing the same scenario twice gives the same observation, ids and timings aside, and the
same as the stored one.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tools.follow import fetch, observe
from tools.follow import scenarios as sc

OBSERVED = Path(__file__).parent / "observed"
RELEASE = "2.1.332"
# one per kind of run: plain, Bedrock streaming with a refusal and the 3P step-down, a subagent,
# a refused hook side query on Vertex
DETERMINISM = ["al_fp_default", "fb_bd_main404", "sa_param_haiku", "sq_vx_default404"]

pytestmark = pytest.mark.claude_binary


@pytest.fixture(scope="module")
def binary(request: pytest.FixtureRequest) -> Path:
    if "claude_binary" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("runs the real Claude Code binary: opt in with -m claude_binary")
    found = fetch.binary_in(fetch.default_cache() / RELEASE)
    if found is None:
        pytest.skip(f"no {RELEASE} binary: python -m tools.follow fetch {RELEASE}")
    return found


@pytest.mark.parametrize("name", DETERMINISM)
def test_same_scenario_twice_same_observation(binary: Path, name: str) -> None:
    (scenario,) = [s for s in sc.corpus() if s["name"] == name]
    first = observe.observe_one(scenario, binary, RELEASE)
    second = observe.observe_one(scenario, binary, RELEASE)
    assert observe.stable(first) == observe.stable(second)
    stored = json.loads((OBSERVED / RELEASE / f"{name}.json").read_text(encoding="utf-8"))
    assert observe.stable(first) == observe.stable(stored)
