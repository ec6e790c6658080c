from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest


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
