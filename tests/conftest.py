from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings


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
