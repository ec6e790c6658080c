"""Run ``claude-models`` as a user would: a subprocess with a chosen environment, HOME and cwd.

The subprocess gets exactly the environment given (plus ``PATH``, and ``PYTHONPATH`` pointing
at the package under test so a worktree tests its own code).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import claude_models
from claude_models.env import SECRETS
from tests import machine_guard

SRC = str(Path(claude_models.__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def path_without_claude(path: str) -> str:
    """``PATH`` without the folders that hold a ``claude`` and without the real HOME's folders
    (never looked into): a test never models the release installed on the machine that runs
    it (tests of detection give their own PATH)."""
    keep = [
        d
        for d in path.split(os.pathsep)
        if d and machine_guard.guarded(d) is None and not (Path(d) / "claude").exists()
    ]
    return os.pathsep.join(keep)


def base_env(home: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {"PATH": path_without_claude(os.environ.get("PATH", "/usr/bin:/bin")), "HOME": str(home)}
    env.update(machine_guard.child_env(SRC))  # PYTHONPATH, and the guard follows the child
    env.update(extra or {})
    return env


@functools.cache
def _takes_managed_settings(command: str) -> bool:
    from claude_models.commands._parser import build_parser, command_names

    if command not in command_names():
        return False
    sub = next(a for a in build_parser(command)._actions if a.choices)
    return "--managed-settings" in sub.choices[command]._option_string_actions  # type: ignore[index]


def pin_machine(args: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """``args`` with the managed policy pinned: a run that names none would read the platform
    path (``/etc/claude-code/managed-settings.json``), i.e. the machine running the tests. It
    gets one that does not exist, under the run's (sandbox) HOME."""
    given = any(a == "--managed-settings" or a.startswith("--managed-settings=") for a in args)
    if given or not args or not _takes_managed_settings(args[0]):
        return list(args)
    absent = Path(env.get("HOME", "/nonexistent")) / "no-managed-policy" / "managed-settings.json"
    return [args[0], "--managed-settings", str(absent), *args[1:]]


def run_cli(
    args: Sequence[str],
    *,
    env: Mapping[str, str],
    cwd: Path,
    stdin: str | None = None,
    timeout: float = 60,
) -> Run:
    proc = subprocess.run(
        [sys.executable, "-m", "claude_models", *pin_machine(args, env)],
        env=dict(env),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        input=stdin,
        check=False,
    )
    assert_no_secret(env, proc.stdout + proc.stderr)
    return Run(proc.returncode, proc.stdout, proc.stderr)


def assert_no_secret(env: Mapping[str, str], printed: str) -> None:
    """Every CLI run of the whole suite doubles as a leak check (issue 5, issue 12 item 5): no
    value of a secret variable (API keys, tokens, AWS credentials), nor any run of 8 of its
    characters, may appear in anything the CLI printed."""
    for name in SECRETS:
        value = env.get(name, "").strip()
        if len(value) < 8:
            continue
        assert value not in printed, f"{name}'s value was printed"
        assert value[-8:] not in printed, f"the tail of {name}'s value was printed"
        for i in range(len(value) - 7):
            assert value[i : i + 8] not in printed, f"a part of {name}'s value was printed"
