"""The write lock (settings/lock.py): nothing left beside a settings file, two real processes
serialised, the lock folder safe from other users and symlinks, one line when it cannot be
made (issue 16, item 8: "no .lock files left beside the project's committed settings")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from claude_models.settings.lock import holding, lock_name
from claude_models.settings.paths import SettingsPaths, lock_folder
from claude_models.settings.write import set_path, update_json_file
from tests.clirun import Run, base_env, run_cli
from tests.conftest import Sandbox

ROOT = os.geteuid() == 0


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def tree(folder: Path) -> set[str]:
    """Every entry under ``folder`` (relative), files and folders."""
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def env_of(sb: Sandbox, **extra: str) -> dict[str, str]:
    return base_env(sb.home, {"XDG_CACHE_HOME": str(sb.tmp / "cache"), **extra})


def locks_of(sb: Sandbox) -> Path:
    return sb.tmp / "cache" / "claude-models" / "locks"


def cli(sb: Sandbox, *args: str, env: dict[str, str] | None = None) -> Run:
    argv = [args[0], "--managed-settings", str(sb.tmp / "managed.json"), *args[1:]]
    return run_cli(argv, env=env if env is not None else env_of(sb), cwd=sb.cwd)


def one_line_error(run: Run) -> str:
    assert run.code == 2, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    return lines[0]


# -- nothing left anywhere but the file written -------------------------------------------------

# command -> the file it writes (relative to the sandbox): each case must change that file
WRITES: list[tuple[list[str], str]] = [
    (["model", "set", "haiku", "--scope", "user"], "home/.claude/settings.json"),
    (["model", "set", "haiku", "--scope", "project"], "work/.claude/settings.json"),
    (["model", "set", "haiku", "--scope", "local"], "work/.claude/settings.local.json"),
    (["effort", "set", "high"], "home/.claude/settings.json"),
    (["fast", "on"], "home/.claude/settings.json"),
    (["migrate"], "home/.claude/settings.json"),
]


def _a_lived_in_setup(sb: Sandbox) -> None:
    """A project with committed settings and a commands folder; a user with settings that
    migrate changes and an organisation with fast mode."""
    _write(sb.cwd / ".claude" / "settings.json", '{"model": "sonnet"}\n')
    _write(sb.cwd / ".claude" / "commands" / "review.md", "Review the diff.\n")
    _write(sb.home / ".claude" / "settings.json", '{"model": "claude-opus-4-1"}\n')
    _write(sb.home / ".claude.json", '{"penguinModeOrgEnabled": true}\n')


@pytest.mark.parametrize(("argv", "written"), WRITES, ids=[" ".join(a) for a, _ in WRITES])
def test_a_write_leaves_no_file_but_the_one_it_writes(
    sandbox: Sandbox, argv: list[str], written: str
) -> None:
    """``model set --scope project`` left ``.claude/settings.json.lock`` beside the committed
    settings (and every write left one beside ``~/.claude/settings.json``)."""
    _a_lived_in_setup(sandbox)
    target = sandbox.home.parent / written
    before_bytes = target.read_bytes() if target.exists() else None
    project, user = sandbox.cwd / ".claude", sandbox.home / ".claude"
    before = {"project": tree(project), "user": tree(user), "home": tree(sandbox.home)}
    r = cli(sandbox, *argv)
    assert r.code == 0, r.stderr
    assert target.read_bytes() != before_bytes  # the command did write its file
    name = str(target.relative_to(project if written.startswith("work/") else user))
    expected = {
        "project": before["project"] | ({name} if written.startswith("work/") else set()),
        "user": before["user"] | ({name} if written.startswith("home/") else set()),
    }
    assert tree(project) == expected["project"]
    assert tree(user) == expected["user"]
    assert tree(sandbox.home) == before["home"] | {f".claude/{n}" for n in expected["user"]}
    assert list(locks_of(sandbox).iterdir()) == []  # the lock itself is gone too


def test_the_lock_folder_is_the_users_cache_when_xdg_cache_home_is_unset_or_relative(
    sandbox: Sandbox,
) -> None:
    env = base_env(sandbox.home, {"XDG_CACHE_HOME": "relative/cache"})
    r = cli(sandbox, "model", "set", "haiku", "--scope", "project", env=env)
    assert r.code == 0, r.stderr
    folder = sandbox.home / ".cache" / "claude-models" / "locks"
    assert folder.is_dir() and list(folder.iterdir()) == []
    assert (folder.stat().st_mode & 0o777) == 0o700
    assert not (sandbox.cwd / "relative").exists()
    assert SettingsPaths.of({"HOME": str(sandbox.home)}).locks == folder
    assert lock_folder({"HOME": "/h", "XDG_CACHE_HOME": "/c"}) == Path("/c/claude-models/locks")


# -- two real processes -------------------------------------------------------------------------

HOLDER = """
import os, sys, time
from pathlib import Path
from claude_models.settings.paths import lock_folder
from claude_models.settings.write import update_json_file

cwd, name, log, hold = Path(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])

def note(line):
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.write(fd, (line + "\\n").encode())
    os.close(fd)

def change(data):
    note("in " + name)
    time.sleep(hold)
    data[name] = True
    note("out " + name)
    return data

update_json_file(cwd / ".claude" / "settings.json", change, within=cwd,
                 locks=lock_folder(os.environ))
"""


def _holder(sb: Sandbox, name: str, log: Path, hold: float) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(sb.cwd), name, str(log), str(hold)],
        env=env_of(sb),
        cwd=sb.cwd,
    )


@pytest.mark.slow
def test_two_processes_writing_project_settings_take_turns_and_lose_nothing(
    sandbox: Sandbox,
) -> None:
    """While one process is inside its read-change-write of ``.claude/settings.json``, two
    more that start then wait: no change function runs while another's is running (with the
    lock gone, ``in b`` would come before ``out a``), every key survives, and the folder holds
    only the settings file. Two waiters also exercise the hand-over of a removed lock file."""
    _write(sandbox.cwd / ".claude" / "settings.json", '{"keep": 1}\n')
    log = sandbox.tmp / "log"
    first = _holder(sandbox, "a", log, 1.5)
    deadline = time.monotonic() + 60
    while not (log.exists() and log.read_text()):
        assert time.monotonic() < deadline and first.poll() is None
        time.sleep(0.02)
    rest = [_holder(sandbox, n, log, 0.2) for n in ("b", "c")]
    assert all(p.wait(timeout=120) == 0 for p in (first, *rest))
    lines = log.read_text().splitlines()
    assert lines[:2] == ["in a", "out a"]
    pairs = [lines[i : i + 2] for i in range(0, len(lines), 2)]
    assert len(lines) == 6 and all(p[0][3:] == p[1][4:] for p in pairs), lines
    data = json.loads((sandbox.cwd / ".claude" / "settings.json").read_text())
    assert data == {"keep": 1, "a": True, "b": True, "c": True}
    assert tree(sandbox.cwd / ".claude") == {"settings.json"}
    assert list(locks_of(sandbox).iterdir()) == []


WORKER = """
import os, sys
from pathlib import Path
from claude_models.settings.paths import lock_folder
from claude_models.settings.write import set_path, update_json_file

cwd, n = Path(sys.argv[1]), int(sys.argv[2])
for j in range(20):
    update_json_file(cwd / ".claude" / "settings.json", set_path(["w%d_%d" % (n, j)], j),
                     within=cwd, locks=lock_folder(os.environ))
"""


@pytest.mark.slow
def test_concurrent_project_writers_and_model_set_lose_nothing(sandbox: Sandbox) -> None:
    _write(sandbox.cwd / ".claude" / "settings.json", '{"keep": 1}\n')
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(sandbox.cwd), str(n)],
            env=env_of(sandbox),
            cwd=sandbox.cwd,
        )
        for n in range(4)
    ]
    sets = [cli(sandbox, "model", "set", m, "--scope", "project") for m in ("haiku", "opus")]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    assert [r.code for r in sets] == [0, 0], [r.stderr for r in sets]
    data = json.loads((sandbox.cwd / ".claude" / "settings.json").read_text())
    assert all(data[f"w{n}_{j}"] == j for n in range(4) for j in range(20))
    assert data["keep"] == 1 and data["model"] == "opus"
    assert tree(sandbox.cwd / ".claude") == {"settings.json"}
    assert list(locks_of(sandbox).iterdir()) == []


def test_migrate_with_both_files_in_one_folder_does_not_wait_for_itself(
    sandbox: Sandbox,
) -> None:
    """``CLAUDE_CONFIG_DIR`` puts ``settings.json`` and ``.claude.json`` in one folder: one lock
    per file, not per folder, so the second never waits for the first (a folder lock taken
    twice by one process would hang here)."""
    config = sandbox.tmp / "cfg"
    _write(config / "settings.json", '{"model": "claude-opus-4-1"}\n')
    r = cli(sandbox, "migrate", env=env_of(sandbox, CLAUDE_CONFIG_DIR=str(config)))
    assert r.code == 0, r.stderr
    assert json.loads((config / "settings.json").read_text()) == {"model": "opus"}
    assert tree(config) == {"settings.json", ".claude.json"}


def test_a_lock_left_by_a_killed_writer_is_taken_and_removed(tmp_path: Path) -> None:
    """A writer killed mid-write leaves its (empty, unlocked) lock file: the next writer of
    that file takes it and removes it."""
    p = _write(tmp_path / "s" / "settings.json", "{}")
    locks = tmp_path / "locks"
    dfd = os.open(p.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        name = lock_name(dfd, p.name)
    finally:
        os.close(dfd)
    locks.mkdir(mode=0o700)
    (locks / name).touch()
    update_json_file(p, set_path(["model"], "haiku"), locks=locks)
    assert json.loads(p.read_text()) == {"model": "haiku"}
    assert list(locks.iterdir()) == []


def test_two_paths_to_one_file_share_one_lock(tmp_path: Path) -> None:
    """A symlinked folder and its target: the lock is named by the folder opened (device and
    inode), so both paths serialise on one lock; another file in that folder has its own."""
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    names = []
    for folder, file in ((real, "settings.json"), (tmp_path / "link", "settings.json")):
        dfd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        names.append(lock_name(dfd, file))
        names.append(lock_name(dfd, ".claude.json"))
        os.close(dfd)
    assert names[0] == names[2] and names[1] == names[3] and names[0] != names[1]


def test_holding_the_same_lock_twice_in_one_group_does_not_deadlock(tmp_path: Path) -> None:
    locks = tmp_path / "locks"
    with holding(locks, ["x.lock", "x.lock", "y.lock"]):
        assert sorted(p.name for p in locks.iterdir()) == ["x.lock", "y.lock"]
    assert list(locks.iterdir()) == []


# -- a lock folder that cannot be used ----------------------------------------------------------


def _project_write(sb: Sandbox, env: dict[str, str]) -> tuple[Run, Path]:
    p = _write(sb.cwd / ".claude" / "settings.json", '{"model": "opus"}\n')
    return cli(sb, "model", "set", "haiku", "--scope", "project", env=env), p


def test_a_lock_folder_that_cannot_be_created_is_one_line_naming_it_and_the_fix(
    sandbox: Sandbox,
) -> None:
    blocker = _write(sandbox.tmp / "not-a-folder", "x")
    r, p = _project_write(sandbox, base_env(sandbox.home, {"XDG_CACHE_HOME": str(blocker)}))
    line = one_line_error(r)
    folder = blocker / "claude-models" / "locks"
    assert line.startswith(f"claude-models: error: {folder}: ")
    assert "XDG_CACHE_HOME" in line and "nothing written" in line
    assert p.read_text() == '{"model": "opus"}\n'
    assert tree(sandbox.cwd / ".claude") == {"settings.json"}


def test_a_lock_folder_that_is_a_symlink_is_refused_and_not_followed(sandbox: Sandbox) -> None:
    """Someone points the lock folder at a folder of their choosing: a lock file created there
    would be theirs to hold or replace."""
    elsewhere = sandbox.tmp / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    locks_of(sandbox).parent.mkdir(parents=True)
    locks_of(sandbox).symlink_to(elsewhere)
    r, p = _project_write(sandbox, env_of(sandbox))
    line = one_line_error(r)
    assert str(locks_of(sandbox)) in line and "symlink" in line and "not followed" in line
    assert list(elsewhere.iterdir()) == []
    assert p.read_text() == '{"model": "opus"}\n'


def test_a_lock_folder_others_may_write_is_refused(sandbox: Sandbox) -> None:
    locks_of(sandbox).mkdir(parents=True)
    locks_of(sandbox).chmod(0o777)
    r, p = _project_write(sandbox, env_of(sandbox))
    line = one_line_error(r)
    assert str(locks_of(sandbox)) in line and "0777" in line and "chmod 700" in line
    assert p.read_text() == '{"model": "opus"}\n'


@pytest.mark.skipif(not ROOT, reason="giving the folder another owner needs root")
def test_a_lock_folder_of_another_user_is_refused(sandbox: Sandbox) -> None:
    locks_of(sandbox).mkdir(parents=True, mode=0o700)
    os.chown(locks_of(sandbox), 4321, 4321)
    r, p = _project_write(sandbox, env_of(sandbox))
    line = one_line_error(r)
    assert str(locks_of(sandbox)) in line and "uid 4321" in line and "remove it" in line
    assert p.read_text() == '{"model": "opus"}\n'


@pytest.mark.parametrize("planted", ["symlink", "fifo", "folder"])
def test_a_lock_file_that_is_not_a_plain_file_is_refused(sandbox: Sandbox, planted: str) -> None:
    p = _write(sandbox.cwd / ".claude" / "settings.json", '{"model": "opus"}\n')
    locks = locks_of(sandbox)
    locks.mkdir(parents=True, mode=0o700)
    dfd = os.open(p.parent, os.O_RDONLY | os.O_DIRECTORY)
    lock = locks / lock_name(dfd, p.name)
    os.close(dfd)
    target = sandbox.tmp / "created-by-the-tool"
    if planted == "symlink":
        lock.symlink_to(target)
    elif planted == "fifo":
        os.mkfifo(lock)
    else:
        lock.mkdir()
    r = cli(sandbox, "model", "set", "haiku", "--scope", "project")
    line = one_line_error(r)
    assert str(lock) in line and "remove it" in line
    assert not target.exists()
    assert p.read_text() == '{"model": "opus"}\n'
