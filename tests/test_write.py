"""The one write path: order and unknown keys kept, atomic, locked, permissions, refusals."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claude_models.errors import SettingsParseError
from claude_models.settings.write import DELETE, set_path, update_json_file
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_keeps_unknown_keys_and_their_order_and_appends_new_keys(tmp_path: Path) -> None:
    p = tmp_path / "settings.json"
    _write(p, json.dumps({"zeta": 1, "model": "sonnet", "alpha": {"x": [1]}, "$schema": "s"}))
    update_json_file(p, set_path(["model"], "haiku"))
    update_json_file(p, set_path(["modelSettings", "claude-opus-5-5", "effortLevel"], "low"))
    data = json.loads(p.read_text())
    assert list(data) == ["zeta", "model", "alpha", "$schema", "modelSettings"]
    assert data["model"] == "haiku"
    assert data["alpha"] == {"x": [1]}


def test_delete_removes_only_that_key(tmp_path: Path) -> None:
    p = tmp_path / "settings.json"
    _write(p, '{"model": "opus", "other": true}')
    update_json_file(p, set_path(["model"], DELETE))
    assert json.loads(p.read_text()) == {"other": True}


@pytest.mark.parametrize(
    "text",
    ['{"model": "opus",}', "[1, 2]", '"just a string"', '{"a": '],
    ids=["trailing-comma", "list", "string", "truncated"],
)
def test_a_file_that_does_not_parse_is_never_rewritten(tmp_path: Path, text: str) -> None:
    p = tmp_path / "settings.json"
    _write(p, text)
    with pytest.raises(SettingsParseError) as err:
        update_json_file(p, set_path(["model"], "haiku"))
    assert str(p) in str(err.value)
    assert "not rewritten" in str(err.value)
    assert "\n" not in str(err.value)
    assert p.read_text() == text


def test_cli_refuses_an_unparseable_settings_file_with_one_line(sandbox: Sandbox) -> None:
    p = sandbox.home / ".claude" / "settings.json"
    _write(p, '{"model": "opus",, "keep": 1}')
    r = run_cli(["model", "set", "haiku"], env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert r.code == 2
    assert r.stderr.count("\n") == 1
    assert r.stderr.startswith(f"claude-models: error: {p}: user settings is not valid JSON")
    assert p.read_text() == '{"model": "opus",, "keep": 1}'


def test_keeps_the_permission_bits_of_the_original(tmp_path: Path) -> None:
    p = tmp_path / "settings.json"
    _write(p, "{}")
    p.chmod(0o640)
    update_json_file(p, set_path(["model"], "haiku"))
    assert stat.S_IMODE(p.stat().st_mode) == 0o640


def test_a_new_file_is_private(tmp_path: Path) -> None:
    p = tmp_path / "new" / "settings.json"
    update_json_file(p, set_path(["model"], "haiku"))
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert json.loads(p.read_text()) == {"model": "haiku"}


def test_no_write_when_nothing_changes(tmp_path: Path) -> None:
    p = tmp_path / "settings.json"
    _write(p, '{"model":"haiku"}')  # odd formatting stays as it is
    before = p.stat()
    res = update_json_file(p, set_path(["model"], "haiku"))
    assert not res.written
    assert p.read_text() == '{"model":"haiku"}'
    assert p.stat().st_ino == before.st_ino


def test_a_missing_file_is_not_created_for_nothing(tmp_path: Path) -> None:
    p = tmp_path / "settings.json"
    update_json_file(p, set_path(["model"], DELETE))
    assert not p.exists()


def test_replaces_atomically_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    p = tmp_path / "settings.json"
    _write(p, '{"a": 1}')
    inode = p.stat().st_ino
    update_json_file(p, set_path(["b"], 2))
    assert p.stat().st_ino != inode  # a new file renamed over the old one
    assert sorted(x.name for x in tmp_path.iterdir()) == ["settings.json"]


def test_keeps_the_indentation_of_the_file(tmp_path: Path) -> None:
    p = tmp_path / "settings.json"
    _write(p, json.dumps({"a": {"b": 1}}, indent=4) + "\n")
    update_json_file(p, set_path(["c"], 2))
    assert p.read_text() == json.dumps({"a": {"b": 1}, "c": 2}, indent=4) + "\n"


def test_writes_through_a_symlink_to_its_target(tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "settings.json"
    _write(target, '{"a": 1}')
    link = tmp_path / "claude" / "settings.json"
    link.parent.mkdir()
    link.symlink_to(target)
    update_json_file(link, set_path(["model"], "haiku"))
    assert link.is_symlink()
    assert json.loads(target.read_text()) == {"a": 1, "model": "haiku"}


def test_an_object_in_the_way_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    p = tmp_path / "settings.json"
    _write(p, '{"modelSettings": "oops"}')
    with pytest.raises(ValueError, match="modelSettings"):
        update_json_file(p, set_path(["modelSettings", "claude-opus-5-5", "effortLevel"], "low"))
    assert p.read_text() == '{"modelSettings": "oops"}'


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.dictionaries(st.text(min_size=1).filter(lambda k: k != "model"), json_values),
    model=st.sampled_from(["opus", "haiku", "claude-sonnet-4-6[1m]"]),
)
def test_no_unknown_key_is_ever_lost_by_a_write(
    tmp_path_factory: pytest.TempPathFactory, data: dict[str, Any], model: str
) -> None:
    """Rule: setting ``model`` leaves every other key, with its value, in its place."""
    p = tmp_path_factory.mktemp("w") / "settings.json"
    _write(p, json.dumps(data))
    update_json_file(p, set_path(["model"], model))
    after = json.loads(p.read_text())
    assert after.pop("model") == model
    assert list(after.items()) == list(json.loads(json.dumps(data)).items())


WORKER = """
import sys
from pathlib import Path
from claude_models import migrations
from claude_models.settings.write import set_path, update_json_file
from claude_models.snapshot import Snapshot

home, n = sys.argv[1], int(sys.argv[2])
env = {"HOME": home}
p = Path(home) / ".claude" / "settings.json"
for j in range(15):
    update_json_file(p, set_path(["w%d_%d" % (n, j)], j))
    update_json_file(p, set_path(["modelSettings", "m%d" % n, "effortLevel"], "low"))
    if j % 5 == 0:
        migrations.run(Snapshot.of(env=env, now=1.0))
"""


@pytest.mark.slow
def test_concurrent_writers_and_migrations_lose_nothing(sandbox: Sandbox) -> None:
    """Several processes write keys, effort levels and run migrations on one file at once:
    the file stays valid JSON holding every key any of them wrote."""
    p = sandbox.home / ".claude" / "settings.json"
    _write(p, json.dumps({"model": "claude-opus-4-1", "keep": "me"}))
    env = {**os.environ, **base_env(sandbox.home)}
    cli = base_env(sandbox.home)
    absent = f"--managed-settings={sandbox.tmp / 'absent-managed-settings.json'}"
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, str(sandbox.home), str(n)], env=env)
        for n in range(6)
    ]
    clis = [
        subprocess.Popen(
            [sys.executable, "-m", "claude_models", "effort", "set", "high", "--model", m, absent],
            env=cli,
            cwd=sandbox.cwd,
            stdout=subprocess.DEVNULL,
        )
        for m in ("sonnet", "haiku", "fable")
    ]
    assert all(proc.wait(timeout=120) == 0 for proc in procs + clis)
    data = json.loads(p.read_text())
    for n in range(6):
        for j in range(15):
            assert data[f"w{n}_{j}"] == j
        assert data["modelSettings"][f"m{n}"] == {"effortLevel": "low"}
    for cid in ("claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5-2"):
        assert data["modelSettings"][cid] == {"effortLevel": "high"}
    assert data["keep"] == "me"
    assert data["model"] == "opus"  # the migration ran under the lock too
    config = json.loads((sandbox.home / ".claude.json").read_text())
    assert config["migrationVersion"] == 15
