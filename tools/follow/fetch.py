"""``python -m tools.follow fetch VERSION``: install a Claude Code release into the cache.

``npm install --ignore-scripts @anthropic-ai/claude-code@VERSION`` into
``~/.cache/claude-models/claude-code/VERSION`` (or ``--cache DIR`` / ``CLAUDE_FOLLOW_CACHE``),
once: a folder that already holds the binary is reused. Prints the real native binary, the
platform package's ``claude`` (with scripts ignored, the wrapper's ``bin/claude.exe`` is only a
placeholder). The package is ~400 MB: cached, never committed.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
from pathlib import Path
from typing import Final

from tools.follow.observe import HarnessError

PACKAGE: Final = "@anthropic-ai/claude-code"
VERSION_RE: Final = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")


def default_cache() -> Path:
    env = os.environ.get("CLAUDE_FOLLOW_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "claude-models" / "claude-code"


def platform_package() -> str:
    """``claude-code-linux-x64``, ``claude-code-darwin-arm64``, ... for this machine."""
    system = {"Linux": "linux", "Darwin": "darwin", "Windows": "win32"}.get(platform.system())
    machine = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(
        platform.machine().lower()
    )
    if system is None or machine is None:
        raise HarnessError(f"no Claude Code binary for {platform.system()} {platform.machine()}")
    return f"claude-code-{system}-{machine}"


def binary_in(folder: Path) -> Path | None:
    """The real binary of an installed release folder, or None."""
    base = folder / "node_modules" / "@anthropic-ai"
    candidates = [base / platform_package() / "claude"]
    if base.is_dir():  # e.g. a musl build
        candidates += sorted(base.glob(f"{platform_package()}*/claude"))
    for c in candidates:
        if c.is_file() and c.stat().st_size > 1_000_000:
            return c
    return None


def fetch(version: str, *, cache: Path | None = None) -> Path:
    if not VERSION_RE.match(version):
        raise HarnessError(f"VERSION {version!r}: expected a release like 2.1.332")
    folder = (cache or default_cache()) / version
    found = binary_in(folder)
    if found is not None:
        return found
    npm = shutil.which("npm")
    if npm is None:
        raise HarnessError("npm not found on PATH: install Node.js to fetch a release")
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "npm.log"
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.run(
            [
                npm,
                "install",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--save-exact",
                f"{PACKAGE}@{version}",
            ],
            cwd=folder,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=False,
            timeout=1800,
        )
    if proc.returncode != 0:
        raise HarnessError(
            f"npm install {PACKAGE}@{version} failed (exit {proc.returncode}); see {log}"
        )
    found = binary_in(folder)
    if found is None:
        raise HarnessError(
            f"{folder}: installed, but no {platform_package()}/claude binary (see {log})"
        )
    return found
