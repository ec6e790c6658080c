from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from claude_models.settings.scopes import managed_settings_path
from tests import machine_guard

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Sandbox:
    """A fresh HOME, working directory and scratch folder, as a new user would have."""

    home: Path
    cwd: Path
    tmp: Path


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    home, cwd, tmp = tmp_path / "home", tmp_path / "work", tmp_path / "tmp"
    for p in (home, cwd, tmp):
        p.mkdir()
    return Sandbox(home, cwd, tmp)


# Hypothesis budgets (tests/test_fuzz.py): a short, reproducible run by default (CI), the long
# one when the run selects the fuzz marker (`pytest -m fuzz`).
settings.register_profile("ci", max_examples=60, derandomize=True, database=None, print_blob=True)
settings.register_profile("fuzz", max_examples=3000, print_blob=True)


def pytest_configure(config: pytest.Config) -> None:
    wants_fuzz = "fuzz" in (config.getoption("markexpr", "") or "")
    settings.load_profile("fuzz" if wants_fuzz else "ci")
    _guard_the_machine(config)


# Tests never read the machine (tests/machine_guard.py): not the real managed policy folder, not
# the real HOME, here or in any Python child. Every test gets a fresh HOME of its own.
def real_homes() -> tuple[str, ...]:
    homes = {os.environ.get("HOME", ""), os.path.expanduser("~")}  # noqa: PTH111
    try:
        import pwd  # POSIX only

        homes.add(pwd.getpwuid(os.getuid()).pw_dir)
    except (ImportError, KeyError):
        pass
    return tuple(sorted(h for h in homes if h and h != os.sep))


POLICY_DIR = str(Path(managed_settings_path()).parent)


def _guard_the_machine(config: pytest.Config) -> None:
    site = Path(tempfile.mkdtemp(prefix="claude-models-guard-"))
    shutil.copyfile(Path(__file__).with_name("machine_guard.py"), site / "sitecustomize.py")
    config.add_cleanup(lambda: shutil.rmtree(site, ignore_errors=True))
    # Inside the guarded roots, these are the test run's own: the checkout, the interpreter,
    # the temporary folders (a developer's checkout or TMPDIR may well live in their HOME).
    allowed = (str(ROOT), sys.prefix, sys.base_prefix, tempfile.gettempdir())
    machine_guard.install((POLICY_DIR, *real_homes()), allowed, str(site / "seen.log"), child=False)
    os.environ[machine_guard.SITE_VAR] = str(site)
    inherited = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ.update(machine_guard.child_env(os.pathsep.join(inherited) or str(site)))


@pytest.fixture(autouse=True)
def _tests_never_read_the_machine(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # write locks: under the fresh HOME
    machine_guard.take()
    yield
    seen = machine_guard.take()
    if seen:
        pytest.fail(
            "this test read the machine (pin --managed-settings, give the child a sandbox "
            "HOME: tests.clirun.base_env):\n  " + "\n  ".join(dict.fromkeys(seen)),
            pytrace=False,
        )
