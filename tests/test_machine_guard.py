"""The guard behind "tests never read the machine" (tests/machine_guard.py, tests/conftest.py).

No test may look at the real managed policy (``/etc/claude-code`` on Linux) or the real HOME.
The guard cannot plant a policy there (tests never write the machine either); it proves instead
that every way the code could look is seen, here and in a CLI child, so that the autouse fixture
fails any test of the suite that does it, on any machine, whether or not a policy exists there.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from claude_models.loader import load_snapshot
from claude_models.snapshot import Flags
from tests import machine_guard
from tests.clirun import base_env, run_cli
from tests.conftest import POLICY_DIR, Sandbox, real_homes

POLICY = str(Path(POLICY_DIR) / "managed-settings.json")
HOME = real_homes()[0]


def _looks(seen: list[str], path: str) -> bool:
    return any(path in line for line in seen)


def test_the_platform_policy_and_the_real_home_are_guarded() -> None:
    assert machine_guard.guarded(POLICY) == POLICY
    assert machine_guard.guarded(os.path.join(HOME, ".claude", "settings.json"))  # noqa: PTH118
    assert machine_guard.guarded(os.environ["HOME"]) is None  # this test's own, fresh HOME
    assert machine_guard.guarded(__file__) is None  # the checkout is the run's own


PROBES: list[tuple[str, Callable[[str], object]]] = [
    ("open", lambda p: open(p, encoding="utf-8")),  # noqa: SIM115, PTH123
    ("Path.read_text", lambda p: Path(p).read_text(encoding="utf-8")),
    ("Path.exists", lambda p: Path(p).exists()),
    ("os.path.isfile", os.path.isfile),
    ("os.listdir", os.listdir),
]


@pytest.mark.parametrize(("how", "probe"), PROBES, ids=[p[0] for p in PROBES])
@pytest.mark.parametrize("root", ["policy", "home"])
def test_every_way_of_looking_is_seen(how: str, probe: Callable[[str], object], root: str) -> None:
    base = POLICY_DIR if root == "policy" else HOME
    target = os.path.join(base, "claude-models-guard-probe", "absent.json")  # noqa: PTH118
    machine_guard.take()
    with contextlib.suppress(OSError):  # it does not exist: looking is what counts
        probe(target)
    assert _looks(machine_guard.take(), target)


def test_loading_without_a_managed_path_looks_at_the_platform_policy(tmp_path: Path) -> None:
    machine_guard.take()
    load_snapshot(Flags(), environ={"HOME": str(tmp_path)}, cwd=tmp_path)
    assert _looks(machine_guard.take(), POLICY)
    load_snapshot(
        Flags(), environ={"HOME": str(tmp_path)}, cwd=tmp_path, managed_path=str(tmp_path / "m")
    )
    assert machine_guard.take() == []


def test_a_cli_child_is_guarded_too(sandbox: Sandbox) -> None:
    machine_guard.take()
    env = base_env(sandbox.home)
    # run_cli pins --managed-settings; this run names the platform path itself, as a test
    # relying on the default would
    run_cli(["resolve", "--json", "--managed-settings", POLICY], env=env, cwd=sandbox.cwd)
    seen = machine_guard.take()
    assert _looks(seen, POLICY) and "pid" in seen[0]
    run_cli(["resolve", "--json"], env=env, cwd=sandbox.cwd)
    assert machine_guard.take() == []


def _start(env: dict[str, str]) -> None:
    """Start a Python child that cannot run: the guard sees the start, nothing runs with the
    real HOME."""
    with contextlib.suppress(OSError):
        subprocess.run(["/nonexistent/python3", "-c", "pass"], env=env, check=False)


def test_a_child_without_a_sandbox_home_or_without_the_guard_is_seen(sandbox: Sandbox) -> None:
    machine_guard.take()
    _start({"PATH": os.defpath})
    seen = machine_guard.take()
    assert any("has no HOME" in s for s in seen)
    assert any("without the guard" in s for s in seen)
    _start({"HOME": HOME})
    assert any("has the real HOME" in s for s in machine_guard.take())
    _start(base_env(sandbox.home))
    assert machine_guard.take() == []
    subprocess.run([sys.executable, "-c", "pass"], env=base_env(sandbox.home), check=True)
    assert machine_guard.take() == []
