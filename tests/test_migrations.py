"""Start-up migrations: each one's before/after, BEHAVIOUR.md 8c exactly, idempotence, and the
``migrate`` command on a realistic ``~/.claude``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claude_models.migrations import MIGRATION_VERSION, MIGRATIONS, MigrationContext, migrate
from claude_models.snapshot import Snapshot
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

NOW = 1_700_000_000.0
NOW_MS = 1_700_000_000_000
BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}
DONE = {"opusProMigrationComplete": True, "migrationVersion": MIGRATION_VERSION}


def _migrate(
    user: dict[str, Any],
    config: dict[str, Any] | None = None,
    *,
    env: dict[str, str] | None = None,
    tier: str = "api",
) -> tuple[dict[str, Any], dict[str, Any]]:
    snap = Snapshot.of(env=env or {}, subscription=tier, now=NOW)
    out = migrate(user, config or {}, MigrationContext.of(snap))
    return out.user, out.config


# (id, user before, config before, env, tier, user after, config after)
CASES: list[
    tuple[str, dict[str, Any], dict[str, Any], dict[str, str], str, dict[str, Any], dict[str, Any]]
] = [
    # migrateLegacyOpusToCurrent (8c)
    *[
        (
            f"legacy-{old}",
            {"model": old, "x": 1},
            {},
            {},
            "api",
            {"model": "opus", "x": 1},
            {"legacyOpusMigrationTimestamp": NOW_MS, **DONE},
        )
        for old in ("claude-opus-4-1-20250805", "claude-opus-4-1", "claude-opus-4-20250514")
    ],
    (
        "legacy-bedrock",
        {"model": "claude-opus-4-1"},
        {},
        BEDROCK,
        "api",
        {"model": "claude-opus-4-1"},
        DONE,
    ),
    (
        "legacy-remap-disabled",
        {"model": "claude-opus-4-1-20250805"},
        {},
        {"CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP": "1"},
        "api",
        {"model": "claude-opus-4-1-20250805"},
        DONE,
    ),
    # migrateFennecToOpus: staff only
    ("fennec-non-ant", {"model": "fennec-latest"}, {}, {}, "api", {"model": "fennec-latest"}, DONE),
    (
        "fennec-ant",
        {"model": "fennec-latest"},
        {},
        {"USER_TYPE": "ant"},
        "api",
        {"model": "opus"},
        DONE,
    ),
    (
        "fennec-fast-ant",
        {"model": "fennec-fast-latest"},
        {},
        {"USER_TYPE": "ant"},
        "api",
        {"model": "opus[1m]", "fastMode": True},
        DONE,
    ),
    # migrateSonnet1mToSonnet45: retired today
    ("sonnet1m-max", {"model": "sonnet[1m]"}, {}, {}, "max", {"model": "sonnet[1m]"}, DONE),
    # migrateSonnet45ToSonnet46: Pro/Max/Team Premium first party
    (
        "sonnet45-pro",
        {"model": "claude-sonnet-4-5-20250929"},
        {"numStartups": 9},
        {},
        "pro",
        {"model": "sonnet"},
        {"numStartups": 9, "sonnet45To46MigrationTimestamp": NOW_MS, **DONE},
    ),
    (
        "sonnet45-1m-new-user",
        {"model": "claude-sonnet-4-5[1m]"},
        {"numStartups": 1},
        {},
        "team_premium",
        {"model": "sonnet[1m]"},
        {"numStartups": 1, **DONE},
    ),
    (
        "sonnet45-api-left-alone",
        {"model": "claude-sonnet-4-5-20250929"},
        {},
        {},
        "api",
        {"model": "claude-sonnet-4-5-20250929"},
        DONE,
    ),
    (
        "sonnet45-enterprise-left-alone",
        {"model": "claude-sonnet-4-5"},
        {},
        {},
        "enterprise",
        {"model": "claude-sonnet-4-5"},
        DONE,
    ),
    # migrateOpusToOpus1m: the merged default already is opus[1m], so the pin goes
    ("opus1m-max", {"model": "opus", "y": 2}, {}, {}, "max", {"y": 2}, DONE),
    (
        "opus1m-max-other-default",
        {"model": "opus"},
        {},
        {"ANTHROPIC_DEFAULT_MODEL": "sonnet"},
        "max",
        {"model": "opus[1m]"},
        DONE,
    ),
    ("opus1m-unknown-tier", {"model": "opus"}, {}, {}, "unknown", {"model": "opus"}, DONE),
    ("opus1m-pro", {"model": "opus"}, {}, {}, "pro", {"model": "opus"}, DONE),
    (
        "opus1m-disabled",
        {"model": "opus"},
        {},
        {"CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"},
        "max",
        {"model": "opus"},
        DONE,
    ),
    # resetProToOpusDefault
    ("pro-no-model", {}, {}, {}, "pro", {}, {"opusProMigrationTimestamp": NOW_MS, **DONE}),
    ("pro-custom-model", {"model": "haiku"}, {}, {}, "pro", {"model": "haiku"}, DONE),
    (
        "pro-already-done",
        {},
        {"opusProMigrationComplete": True},
        {},
        "pro",
        {},
        {"opusProMigrationComplete": True, "migrationVersion": MIGRATION_VERSION},
    ),
    # migrationVersion: raised, never lowered
    (
        "version-raised",
        {},
        {"migrationVersion": 3},
        {},
        "api",
        {},
        {"migrationVersion": 15, "opusProMigrationComplete": True},
    ),
    (
        "version-kept",
        {},
        {"migrationVersion": 99},
        {},
        "api",
        {},
        {"migrationVersion": 99, "opusProMigrationComplete": True},
    ),
]

# BEHAVIOUR.md 8c: not rewritten for an API-key user.
LEFT_ALONE = [
    {"model": "sonnet[1m]"},
    {"model": "claude-sonnet-4-5-20250929"},
    {"model": "opus"},
    {"model": "opusplan"},
    {"model": "claude-opus-4-5-20251101"},
    {"model": "claude-opus-4-6"},
    {"model": "claude-3-5-haiku-20241022"},
    {"model": "claude-3-7-sonnet-20250219"},
    {"model": "claude-sonnet-4-20250514"},
    {"model": "fennec-latest"},
    {"effortLevel": "max"},
    {"model": "claude-opus-4-1[1m]"},
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_each_migration_before_and_after(case: tuple[Any, ...]) -> None:
    _, user, config, env, tier, user_after, config_after = case
    got_user, got_config = _migrate(user, config, env=env, tier=tier)
    assert got_user == user_after
    assert got_config == config_after


@pytest.mark.parametrize("user", LEFT_ALONE, ids=[json.dumps(u) for u in LEFT_ALONE])
def test_what_8c_leaves_alone_for_an_api_key_user(user: dict[str, Any]) -> None:
    got_user, got_config = _migrate(user)
    assert got_user == user
    assert got_config == DONE


def test_a_fresh_start_records_version_15_and_the_opus_pro_flag() -> None:
    assert _migrate({}) == ({}, DONE)


def test_every_migration_is_its_own_module_with_a_name() -> None:
    names = [m.NAME for m in MIGRATIONS]
    assert names == [
        "migrateFennecToOpus",
        "migrateLegacyOpusToCurrent",
        "migrateSonnet1mToSonnet45",
        "migrateSonnet45ToSonnet46",
        "migrateOpusToOpus1m",
        "resetProToOpusDefault",
    ]
    assert all(m.__doc__ and "Today" in m.__doc__ for m in MIGRATIONS)


MODELS = [
    "opus",
    "sonnet",
    "haiku",
    "opus[1m]",
    "sonnet[1m]",
    "opusplan",
    "fennec-latest",
    "fennec-fast-latest",
    "opus-4-5-fast",
    "claude-opus-4-1",
    "claude-opus-4-1-20250805",
    "claude-opus-4-20250514",
    "claude-sonnet-4-5-20250929",
    "claude-sonnet-4-5[1m]",
    "claude-opus-4-6",
]
ENVS = [
    {},
    BEDROCK,
    {"USER_TYPE": "ant"},
    {"CLAUDE_CODE_DISABLE_1M_CONTEXT": "1"},
    {"ANTHROPIC_DEFAULT_MODEL": "sonnet"},
    {"CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP": "1"},
]
TIERS = ["api", "pro", "max", "team_standard", "team_premium", "enterprise", "unknown"]
extra_keys = st.dictionaries(
    st.sampled_from(["zzz", "permissions", "effortLevel", "fastMode", "custom"]),
    st.integers() | st.text(max_size=5) | st.booleans(),
    max_size=3,
)
configs = st.fixed_dictionaries(
    {},
    optional={
        "numStartups": st.integers(0, 5),
        "migrationVersion": st.integers(0, 20),
        "opusProMigrationComplete": st.booleans(),
    },
)


@settings(max_examples=300, deadline=None)
@given(
    model=st.none() | st.sampled_from(MODELS),
    extra=extra_keys,
    config=configs,
    env=st.sampled_from(ENVS),
    tier=st.sampled_from(TIERS),
)
def test_a_migration_run_twice_equals_run_once(
    model: str | None,
    extra: dict[str, Any],
    config: dict[str, Any],
    env: dict[str, str],
    tier: str,
) -> None:
    """Rule: migrating the output of a migration changes nothing, for every tier, provider
    and model value; and no key other than model/fastMode is ever changed or lost."""
    user = {**extra, **({"model": model} if model else {})}
    once = _migrate(user, config, env=env, tier=tier)
    twice = _migrate(once[0], once[1], env=env, tier=tier)
    assert twice == once
    for key, value in extra.items():
        if key != "fastMode":
            assert once[0][key] == value


# -- the command ----------------------------------------------------------------------------


REALISTIC = Path(__file__).parent / "data" / "realistic_home"


def _home(sandbox: Sandbox) -> Path:
    home = sandbox.home
    shutil.copytree(REALISTIC, home, dirs_exist_ok=True)
    return home


def test_dry_run_shows_a_diff_and_migrate_applies_exactly_it(sandbox: Sandbox) -> None:
    home = _home(sandbox)
    env = base_env(home, {"CLAUDE_MODELS_NOW": str(NOW)})
    settings_path = home / ".claude" / "settings.json"
    config_path = home / ".claude.json"
    before = {p: p.read_text() for p in (settings_path, config_path)}

    dry = run_cli(["migrate", "--dry-run"], env=env, cwd=sandbox.cwd)
    assert dry.code == 0, dry.stderr
    assert f"--- {settings_path}" in dry.stdout
    assert '-    "model": "claude-opus-4-1-20250805",' in dry.stdout
    assert '+    "model": "opus",' in dry.stdout
    assert f'+  "legacyOpusMigrationTimestamp": {NOW_MS}' in dry.stdout
    assert '-  "migrationVersion": 11,' in dry.stdout
    assert {p: p.read_text() for p in before} == before  # dry run wrote nothing

    plan = run_cli(["migrate", "--dry-run", "--json"], env=env, cwd=sandbox.cwd).json()
    applied = run_cli(["migrate"], env=env, cwd=sandbox.cwd)
    assert applied.code == 0, applied.stderr
    assert applied.stdout == dry.stdout  # the same diff, now applied
    for f in plan["files"]:
        assert Path(f["path"]).read_text() == f["after"]
        assert f["before"] == before[Path(f["path"])]
    assert {f["path"] for f in plan["files"]} == {str(settings_path), str(config_path)}
    again = run_cli(["migrate", "--dry-run"], env=env, cwd=sandbox.cwd)
    assert again.stdout == "Nothing to migrate.\n"


def test_migrate_keeps_every_other_key_of_the_realistic_home(sandbox: Sandbox) -> None:
    home = _home(sandbox)
    settings_path = home / ".claude" / "settings.json"
    old = json.loads(settings_path.read_text())
    assert run_cli(["migrate"], env=base_env(home), cwd=sandbox.cwd).code == 0
    new = json.loads(settings_path.read_text())
    assert list(new) == list(old)
    assert {k: v for k, v in new.items() if k != "model"} == {
        k: v for k, v in old.items() if k != "model"
    }
    assert new["effortLevel"] == "max"  # 8c: left alone
    config = json.loads((home / ".claude.json").read_text())
    assert config["projects"] == json.loads((REALISTIC / ".claude.json").read_text())["projects"]
    assert isinstance(config["legacyOpusMigrationTimestamp"], int)


def test_project_local_and_managed_settings_are_never_touched(sandbox: Sandbox) -> None:
    legacy = '{"model": "claude-opus-4-1-20250805"}'
    files = [
        sandbox.cwd / ".claude" / "settings.json",
        sandbox.cwd / ".claude" / "settings.local.json",
        sandbox.tmp / "managed.json",
    ]
    for f in files:
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(legacy)
    r = run_cli(
        ["migrate", "--managed-settings", str(files[2])],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
    )
    assert r.code == 0, r.stderr
    assert all(f.read_text() == legacy for f in files)
    assert not (sandbox.home / ".claude" / "settings.json").exists()


def test_an_unparseable_global_config_stops_migrate_and_nothing_is_written(
    sandbox: Sandbox,
) -> None:
    settings_path = sandbox.home / ".claude" / "settings.json"
    settings_path.parent.mkdir()
    settings_path.write_text('{"model": "claude-opus-4-1"}')
    (sandbox.home / ".claude.json").write_text("{broken")
    r = run_cli(["migrate"], env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert r.code == 2
    assert f"{sandbox.home / '.claude.json'}: global config is not valid JSON" in r.stderr
    assert settings_path.read_text() == '{"model": "claude-opus-4-1"}'
    assert (sandbox.home / ".claude.json").read_text() == "{broken"


def test_migrate_json_on_bedrock_changes_only_the_global_config(sandbox: Sandbox) -> None:
    settings_path = sandbox.home / ".claude" / "settings.json"
    settings_path.parent.mkdir()
    settings_path.write_text('{"model": "claude-opus-4-1-20250805"}')
    env = base_env(sandbox.home, BEDROCK)
    out = run_cli(["migrate", "--json"], env=env, cwd=sandbox.cwd).json()
    assert out["applied"] is True
    assert [f["scope"] for f in out["files"]] == ["global"]
    assert settings_path.read_text() == '{"model": "claude-opus-4-1-20250805"}'


def test_config_dir_moves_both_files(sandbox: Sandbox) -> None:
    cfg = sandbox.tmp / "cfg"
    (cfg).mkdir()
    (cfg / "settings.json").write_text('{"model": "claude-opus-4-1"}')
    r = run_cli(
        ["migrate"], env=base_env(sandbox.home, {"CLAUDE_CONFIG_DIR": str(cfg)}), cwd=sandbox.cwd
    )
    assert r.code == 0, r.stderr
    assert json.loads((cfg / "settings.json").read_text()) == {"model": "opus"}
    assert json.loads((cfg / ".claude.json").read_text())["migrationVersion"] == 15
    assert not (sandbox.home / ".claude.json").exists()
