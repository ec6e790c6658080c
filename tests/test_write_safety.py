"""The write path under attack and under failure (issue 12, items 10 and 12-16).

Symlinks out of the project and planted lock files, non-JSON numbers, owner / mode / hard
links, a writer that ignores the lock, migrations failing half-way, and every ``OSError`` a
disk can raise: each ends in one line naming the file and the fix, nothing written through a
link, and the file as it was.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from claude_models import cli, migrations
from claude_models.errors import SettingsError
from claude_models.settings import write
from claude_models.settings.paths import lock_folder
from claude_models.settings.write import set_path, update_json_file, update_json_files
from claude_models.snapshot import Snapshot
from tests.clirun import Run, base_env, run_cli
from tests.conftest import Sandbox

ROOT = os.geteuid() == 0


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def one_line_error(run: Run, code: int = 2) -> str:
    assert run.code == code, (run.code, run.stdout, run.stderr)
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("claude-models: error: ")
    return lines[0]


def model_set(sb: Sandbox, *args: str, env: dict[str, str] | None = None) -> Run:
    argv = ["model", "set", "haiku", "--managed-settings", str(sb.tmp / "managed.json"), *args]
    return run_cli(argv, env=base_env(sb.home, env), cwd=sb.cwd)


def snapshot(sb: Sandbox) -> dict[str, bytes]:
    """Every file under the sandbox with its bytes (links as their target text)."""
    out: dict[str, bytes] = {}
    for root in (sb.home, sb.cwd, sb.tmp):
        for p in sorted(root.rglob("*")):
            if p.is_symlink():
                out[str(p)] = b"-> " + str(p.readlink()).encode()
            elif p.is_file():
                out[str(p)] = p.read_bytes()
    return out


# ------------------------------------------------------------- 10: symlinks and lock files


@pytest.mark.parametrize("scope", ["project", "local"])
@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_project_write_never_follows_a_symlink_out_of_the_project(
    sandbox: Sandbox, scope: str, linked: str
) -> None:
    """The read side ignores a project file that is a symlink out of the project; the write
    side wrote straight through it. Now: refused, one line naming the link, the target as it
    was."""
    name = "settings.json" if scope == "project" else "settings.local.json"
    outside = _write(sandbox.tmp / "outside" / name, '{"keep": 1}')
    if linked == "file":
        (sandbox.cwd / ".claude").mkdir()
        link = sandbox.cwd / ".claude" / name
        link.symlink_to(outside)
    else:
        link = sandbox.cwd / ".claude"
        link.symlink_to(outside.parent)
    r = model_set(sandbox, "--scope", scope)
    line = one_line_error(r)
    assert f"{link} is a symlink" in line and "outside the project" in line
    assert outside.read_text() == '{"keep": 1}'
    assert sorted(p.name for p in outside.parent.iterdir()) == [name]  # no lock, no temp


def test_a_symlink_inside_the_project_is_still_written_through(sandbox: Sandbox) -> None:
    target = _write(sandbox.cwd / "shared" / "settings.json", '{"keep": 1}')
    (sandbox.cwd / ".claude").mkdir()
    (sandbox.cwd / ".claude" / "settings.json").symlink_to(target)
    r = model_set(sandbox, "--scope", "project")
    assert r.code == 0, r.stderr
    assert json.loads(target.read_text()) == {"keep": 1, "model": "haiku"}


@pytest.mark.parametrize("scope", ["user", "project"])
def test_a_planted_lock_symlink_beside_the_file_is_never_touched(
    sandbox: Sandbox, scope: str
) -> None:
    """``settings.json.lock`` -> a path of the attacker's choosing: the old lock beside the
    file was opened with O_CREAT through such a link. The lock no longer lives there: the
    link is neither followed nor removed, and the write goes ahead."""
    folder = sandbox.home / ".claude" if scope == "user" else sandbox.cwd / ".claude"
    settings = _write(folder / "settings.json", '{"model": "opus"}')
    planted = sandbox.tmp / "created-by-the-tool"
    lock = folder / "settings.json.lock"
    lock.symlink_to(planted)
    r = model_set(sandbox, "--scope", scope)
    assert r.code == 0, r.stderr
    assert not planted.exists()
    assert lock.is_symlink() and lock.readlink() == planted
    assert json.loads(settings.read_text()) == {"model": "haiku"}


def test_a_symlink_loop_is_one_line(sandbox: Sandbox) -> None:
    link = sandbox.home / ".claude" / "settings.json"
    link.parent.mkdir()
    link.symlink_to(link)
    r = model_set(sandbox)
    line = one_line_error(r)
    assert str(link) in line and ("loop" in line or "symbolic links" in line)
    assert link.is_symlink()


# ------------------------------------------------------------- 12: strict JSON only


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"model": "opus", "big": 1e400}', "too large"),
        ('{"model": "opus", "n": NaN}', "NaN"),
        ('{"model": "opus", "n": -Infinity}', "Infinity"),
        ('{"model": "opus", "n": ' + "9" * 5000 + "}", "digits"),
    ],
    ids=["1e400", "NaN", "-Infinity", "5000-digits"],
)
def test_a_file_that_is_not_strict_json_is_never_rewritten(
    sandbox: Sandbox, text: str, why: str
) -> None:
    """``1e400`` came back as ``Infinity`` and ``NaN`` was accepted: the tool wrote non-JSON
    that Claude Code (``JSON.parse``) then refused as a whole."""
    p = _write(sandbox.home / ".claude" / "settings.json", text)
    line = one_line_error(model_set(sandbox))
    assert str(p) in line and "not valid JSON" in line and why in line
    assert p.read_text() == text


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_reading_refuses_nan_and_infinity_as_json_parse_does(
    sandbox: Sandbox, constant: str
) -> None:
    """A settings file holding NaN is not JSON to Claude Code: the whole file is ignored,
    with one warning naming the file; it was read as if valid."""
    p = _write(sandbox.home / ".claude" / "settings.json", f'{{"model": "haiku", "x": {constant}}}')
    argv = ["resolve", "--json", "--managed-settings", str(sandbox.tmp / "m.json")]
    r = run_cli(argv, env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert r.code == 0, r.stderr
    out = r.json()
    assert out["main"]["source"] != "user"
    assert any(str(p) in w["message"] and "not valid JSON" in w["message"] for w in out["warnings"])


def test_a_change_producing_a_non_finite_number_writes_nothing(tmp_path: Path) -> None:
    p = _write(tmp_path / "settings.json", '{"a": 1}')
    with pytest.raises(SettingsError, match="would not be valid JSON"):
        update_json_file(p, set_path(["x"], float("inf")))
    assert p.read_text() == '{"a": 1}'


# ------------------------------------------------------------- 13: owner, mode, hard links


def test_a_read_only_file_is_not_replaced_even_as_root(sandbox: Sandbox) -> None:
    """Permission bits do not stop root, and a rename never needed write permission on the
    file: the mode is read explicitly."""
    p = _write(sandbox.home / ".claude" / "settings.json", '{"model": "opus"}')
    p.chmod(0o444)
    line = one_line_error(model_set(sandbox))
    assert str(p) in line and "read-only" in line and "chmod" in line
    assert p.read_text() == '{"model": "opus"}'
    assert stat.S_IMODE(p.stat().st_mode) == 0o444


def test_a_read_only_file_that_needs_no_change_is_not_an_error(sandbox: Sandbox) -> None:
    p = _write(sandbox.home / ".claude" / "settings.json", '{"model": "haiku"}')
    p.chmod(0o444)
    r = model_set(sandbox)
    assert r.code == 0, r.stderr
    assert p.read_text() == '{"model": "haiku"}'


def test_a_hard_linked_file_is_refused_and_both_names_stay_one_file(sandbox: Sandbox) -> None:
    """A rename replaced one name with a new file and silently split the link."""
    p = _write(sandbox.home / ".claude" / "settings.json", '{"model": "opus"}')
    other = sandbox.tmp / "same-file.json"
    os.link(p, other)
    line = one_line_error(model_set(sandbox))
    assert str(p) in line and "hard links" in line
    assert p.stat().st_ino == other.stat().st_ino
    assert p.read_text() == '{"model": "opus"}'


@pytest.mark.skipif(not ROOT, reason="changing a file's owner needs root")
def test_owner_group_and_mode_are_kept_when_root_rewrites_a_users_file(tmp_path: Path) -> None:
    """``sudo claude-models model set`` on a user's file handed it to root."""
    p = _write(tmp_path / "settings.json", '{"a": 1}')
    os.chown(p, 4321, 4322)
    p.chmod(0o640)
    update_json_file(p, set_path(["model"], "haiku"))
    st = p.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 4322, 0o640)
    assert json.loads(p.read_text()) == {"a": 1, "model": "haiku"}


@pytest.mark.skipif(not ROOT, reason="giving the file another owner needs root")
def test_an_owner_that_cannot_be_kept_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the right to chown (any non-root user writing someone else's group-writable
    file), the file would change owner: refused instead."""
    p = _write(tmp_path / "settings.json", '{"a": 1}')
    os.chown(p, 4321, os.getgid())

    def no_chown(fd: int, uid: int, gid: int) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "fchown", no_chown)
    with pytest.raises(SettingsError, match="belongs to uid") as err:
        update_json_file(p, set_path(["model"], "haiku"))
    assert "\n" not in str(err.value)
    assert p.read_text() == '{"a": 1}'
    assert sorted(x.name for x in tmp_path.iterdir()) == ["settings.json"]


# ------------------------------------------------------------- 14: a writer without the lock


def test_a_change_made_without_the_lock_between_read_and_rename_is_kept(tmp_path: Path) -> None:
    """Another program (Claude Code itself takes no lock) writes the file while we prepare
    ours: its key used to vanish under our rename; now our change is applied to its file."""
    p = _write(tmp_path / "settings.json", '{"a": 1}')
    calls = 0

    def change(data: dict[str, Any]) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        if calls == 1:
            p.write_text('{"a": 1, "theirs": true}')  # in place, same inode, no lock
        data["model"] = "haiku"
        return data

    res = update_json_file(p, change)
    assert json.loads(p.read_text()) == {"a": 1, "theirs": True, "model": "haiku"}
    assert res.before == {"a": 1, "theirs": True}
    assert calls == 2


def test_a_file_that_keeps_changing_is_refused_and_left_to_the_other_writer(
    tmp_path: Path,
) -> None:
    p = _write(tmp_path / "settings.json", '{"n": 0}')
    calls = 0

    def change(data: dict[str, Any]) -> dict[str, Any]:
        nonlocal calls
        calls += 1
        p.write_text(json.dumps({"n": calls}))
        data["model"] = "haiku"
        return data

    with pytest.raises(SettingsError, match="kept changing"):
        update_json_file(p, change)
    assert json.loads(p.read_text()) == {"n": calls}
    assert calls == write.ATTEMPTS
    assert sorted(x.name for x in tmp_path.iterdir()) == ["settings.json"]


# ------------------------------------------------------------- 15: migrate, all or nothing


def run_with_file_size_limit(
    sb: Sandbox, limit: int, argv: list[str], env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The CLI in a process whose files may not grow over ``limit`` bytes (RLIMIT_FSIZE).

    ``-B``: under the limit, importlib's short writes would leave truncated ``.pyc`` files in
    ``src/`` that break every later import ("marshal data too short")."""
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
        "from claude_models.cli import main\n"
        "raise SystemExit(main(sys.argv[1:]))\n"
    )
    return subprocess.run(
        [sys.executable, "-B", "-c", code, *argv],
        env=base_env(sb.home, env),
        cwd=sb.cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _migration_home(sb: Sandbox) -> tuple[Path, Path]:
    settings = _write(sb.home / ".claude" / "settings.json", '{"model": "claude-opus-4-1"}')
    big = {"projects": {f"/p/{i}": {"history": ["x" * 200]} for i in range(50)}}
    config = _write(sb.home / ".claude.json", json.dumps(big))
    return settings, config


def test_migrate_that_cannot_write_the_global_config_leaves_both_files(sandbox: Sandbox) -> None:
    """A file size limit lets settings.json (small) be written and stops ~/.claude.json
    (large): settings.json was already changed, then a traceback. Now both files are prepared
    before either is renamed: nothing changes, one line (real RLIMIT_FSIZE, no seam)."""
    _, config = _migration_home(sandbox)
    before = snapshot(sandbox)
    argv = ["migrate", "--managed-settings", str(sandbox.tmp / "m.json")]
    proc = run_with_file_size_limit(sandbox, 4096, argv, {"CLAUDE_MODELS_NOW": "1"})
    line = one_line_error(Run(proc.returncode, proc.stdout, proc.stderr))
    assert str(config) in line and "ulimit -f" in line
    after = snapshot(sandbox)
    assert after == before


@pytest.mark.parametrize("step", ["rename", "fsync-dir"])
def test_migrate_failing_on_the_second_file_puts_the_first_back(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    """An injected failure after settings.json was renamed (renaming ~/.claude.json, or
    flushing the folder): settings.json is restored from its copy."""
    _, config = _migration_home(sandbox)
    before = snapshot(sandbox)
    fault(monkeypatch, step, config.name, errno.EIO)
    with pytest.raises(SettingsError) as err:
        migrations.run(Snapshot.of(env={"HOME": str(sandbox.home)}, now=1.0))
    assert str(config) in str(err.value) and "\n" not in str(err.value)
    after = snapshot(sandbox)
    assert after == before


def fault(monkeypatch: pytest.MonkeyPatch, step: str, name: str, code: int) -> None:
    """Make ``step`` of the write path fail with ``code`` for files called ``name``."""

    def failing(at: str, path: Path) -> None:
        if at == step and path.name == name:
            raise OSError(code, os.strerror(code))

    monkeypatch.setattr(write, "_fault", failing)


# ------------------------------------------------------------- 16: every OSError is one line


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, sandbox: Sandbox) -> Iterator[Sandbox]:
    for key in list(os.environ):
        monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(sandbox.home))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    yield sandbox


FAULTS: list[tuple[str, int, str]] = [
    ("write", errno.ENOSPC, "free some disk space"),
    ("write", errno.EFBIG, "ulimit -f"),
    ("fsync", errno.EIO, "I/O error"),
    ("lock", errno.EACCES, "set XDG_CACHE_HOME to a folder of yours"),
    ("lock", errno.EROFS, "set XDG_CACHE_HOME to a folder of yours"),
    ("rename", errno.EXDEV, "check the file and its folder"),
    ("fsync-dir", errno.EIO, "I/O error"),
]


@pytest.mark.parametrize("case", FAULTS, ids=[f"{s}-{errno.errorcode[c]}" for s, c, _ in FAULTS])
def test_a_disk_failure_anywhere_is_one_line_and_the_file_unchanged(
    clean_env: Sandbox,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: tuple[str, int, str],
) -> None:
    sb = clean_env
    step, code, fix = case
    p = _write(sb.home / ".claude" / "settings.json", '{"model": "opus", "keep": 1}\n')
    before = snapshot(sb)
    fault(monkeypatch, step, p.name, code)
    status = cli.main(["model", "set", "haiku", "--managed-settings", str(sb.tmp / "m.json")])
    err = capsys.readouterr().err
    assert status == 2
    named = lock_folder({"HOME": str(sb.home)}) if step == "lock" else p  # what failed
    assert err.count("\n") == 1 and err.startswith(f"claude-models: error: {named}: ")
    assert fix in err
    after = snapshot(sb)
    assert after == before


def test_a_file_size_limit_is_one_line(sandbox: Sandbox) -> None:
    """Real EFBIG: RLIMIT_FSIZE below the new file's size (Python ignores SIGXFSZ)."""
    p = _write(sandbox.home / ".claude" / "settings.json", json.dumps({"k": "x" * 3000}))
    argv = ["model", "set", "haiku", "--managed-settings", str(sandbox.tmp / "m.json")]
    proc = run_with_file_size_limit(sandbox, 1024, argv)
    line = one_line_error(Run(proc.returncode, proc.stdout, proc.stderr))
    assert str(p) in line and "ulimit -f" in line
    assert json.loads(p.read_text()) == {"k": "x" * 3000}


@pytest.mark.parametrize(
    ("config_dir", "expect"),
    [("file", "is not a folder"), ("/proc", "/proc/settings.json"), ("/proc/self", "folder")],
)
def test_claude_config_dir_that_cannot_hold_settings_is_one_line(
    sandbox: Sandbox, config_dir: str, expect: str
) -> None:
    if config_dir == "file":
        config_dir = str(_write(sandbox.tmp / "a-file", "x"))
    r = model_set(sandbox, env={"CLAUDE_CONFIG_DIR": config_dir})
    line = one_line_error(r)
    assert expect in line and "CLAUDE_CONFIG_DIR" in line


def test_settings_nested_hundreds_deep_are_refused_not_a_recursion_error(
    sandbox: Sandbox,
) -> None:
    text = '{"model": "opus", "deep": ' + "[" * 700 + "]" * 700 + "}"
    p = _write(sandbox.home / ".claude" / "settings.json", text)
    line = one_line_error(model_set(sandbox))
    assert str(p) in line and "levels deep" in line
    assert p.read_text() == text


def test_a_lone_surrogate_is_kept_as_its_escape_and_the_file_stays_utf8(sandbox: Sandbox) -> None:
    """``"\\ud800"`` (valid JSON, not encodable as UTF-8) made the write raise
    UnicodeEncodeError. It is written back as the same escape: the key and its value survive,
    and the file is valid UTF-8 JSON."""
    p = _write(sandbox.home / ".claude" / "settings.json", '{"odd": "a\\ud800b", "model": "opus"}')
    r = model_set(sandbox)
    assert r.code == 0, r.stderr
    raw = p.read_bytes()
    raw.decode("utf-8")  # strict: no surrogate bytes
    assert b'"a\\ud800b"' in raw
    assert json.loads(raw) == {"odd": "a\ud800b", "model": "haiku"}


def test_update_json_files_locks_each_real_file_once(tmp_path: Path) -> None:
    """Two names of one file (a symlink and its target) in one group: one lock, no deadlock."""
    target = _write(tmp_path / "t.json", "{}")
    link = tmp_path / "l.json"
    link.symlink_to(target)
    change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] = lambda objs: objs  # noqa: E731
    res = update_json_files([(target, "a"), (link, "b")], change)
    assert [r.written for r in res] == [False, False]
