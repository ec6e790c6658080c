"""Every change of spec/CHANGES.md, per release, on both sides of its boundary: the catalog
data of each release, the rules the chains read (`rules_for`), and what `resolve` shows of
them (`main_stepdown`, `side.retry_models`, `side.webfetch_stepdown`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from claude_models import Snapshot, resolve
from claude_models.changes import alias_target, release_changes
from claude_models.registry import Provider, registry
from claude_models.result import Resolution
from claude_models.snapshot import Flags
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

TODAY = date(2026, 11, 29)
VERTEX = {"CLAUDE_CODE_USE_VERTEX": "1", "ANTHROPIC_VERTEX_PROJECT_ID": "p"}
VERTEX |= {"CLOUD_ML_REGION": "us-east5"}
FOUNDRY = {"CLAUDE_CODE_USE_FOUNDRY": "1", "ANTHROPIC_FOUNDRY_RESOURCE": "r"}
BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}
MANTLE = {"CLAUDE_CODE_USE_MANTLE": "1"}
GATEWAY = {"CLAUDE_CODE_USE_GATEWAY": "1", "ANTHROPIC_BASE_URL": "https://gw.example"}
PROVIDER_ENV = {"vertex": VERTEX, "foundry": FOUNDRY, "bedrock": BEDROCK, "firstParty": {}}


def res(env: dict[str, str], version: str, model: str | None = None, **kw: Any) -> Resolution:
    flags = Flags(model=model, fallback_model=kw.pop("fallback", None))
    return resolve(Snapshot.of(env=env, claude_version=version, flags=flags, today=TODAY, **kw))


# -- catalog data per release ----------------------------------------------------------------

# (alias, provider, 2.1.331 target, 2.1.332 target): CHANGES.md "2.1.332 / Catalog"
ALIAS_MOVES = [
    ("opus", "foundry", "claude-opus-4-6", "claude-opus-5-5"),
    ("sonnet", "vertex", "claude-sonnet-4-5", "claude-sonnet-5-5"),
    ("sonnet", "foundry", "claude-sonnet-4-5", "claude-sonnet-5-5"),
    # 2.1.328's catalog said sonnet-4-5, which has no Mantle id: haiku-4-5 was sent (8e)
    ("sonnet", "mantle", "claude-haiku-4-5", "claude-sonnet-5"),
]


@pytest.mark.parametrize(("alias", "provider", "before", "after"), ALIAS_MOVES)
def test_alias_moves_come_from_each_releases_catalog(
    alias: str, provider: Any, before: str, after: str
) -> None:
    for v in ("2.1.328", "2.1.329", "2.1.330", "2.1.331"):
        assert alias_target(registry(v), alias, provider) == before, v
    assert alias_target(registry("2.1.332"), alias, provider) == after


def test_only_those_aliases_moved() -> None:
    moves = [
        (c.subject, c.provider, c.old, c.new)
        for v in ("2.1.329", "2.1.330", "2.1.331", "2.1.332")
        for c in release_changes(v)
        if c.kind == "alias"
    ]
    assert moves == [
        ("opus", "foundry", "claude-opus-4-6", "claude-opus-5-5"),
        ("sonnet", "vertex", "claude-sonnet-4-5", "claude-sonnet-5-5"),
        ("sonnet", "foundry", "claude-sonnet-4-5", "claude-sonnet-5-5"),
        ("sonnet", "mantle", "claude-haiku-4-5", "claude-sonnet-5"),
    ]


@pytest.mark.parametrize(
    ("model", "provider", "first", "when"),
    [
        ("claude-sonnet-4-5", "firstParty", "2.1.329", date(2026, 11, 30)),
        ("claude-sonnet-4-5", "vertex", "2.1.329", date(2026, 11, 30)),
        ("claude-sonnet-4-5", "foundry", "2.1.329", date(2026, 11, 30)),
        ("claude-3-5-sonnet", "firstParty", "2.1.329", date(2025, 10, 28)),
        ("claude-opus-4-5", "firstParty", "2.1.332", date(2027, 1, 22)),
        ("claude-opus-4-1", "foundry", "2.1.332", date(2026, 8, 5)),
        ("claude-sonnet-4-0", "foundry", "2.1.332", date(2026, 6, 15)),
    ],
)
def test_retirement_dates_start_in_their_release(
    model: str, provider: str, first: str, when: date
) -> None:
    from claude_models.releases import RELEASES

    i = RELEASES.index(first)
    before = registry(RELEASES[i - 1]).deprecation_for(model)
    assert before is None or before.retirement.get(provider) is None
    dep = registry(first).deprecation_for(model)
    assert dep is not None and dep.retirement[provider] == when


@pytest.mark.parametrize(
    ("model", "capability"),
    [
        ("claude-opus-4-8", "send_user_file_input_whole"),
        ("claude-opus-5", "send_user_file_input_whole"),
        ("claude-fable-5-2", "script_output_cost"),
    ],
)
def test_capabilities_gained_in_2_1_329(model: str, capability: str) -> None:
    assert not registry("2.1.328").get(model).supports(capability)
    assert registry("2.1.329").get(model).supports(capability)


# -- what the catalog moves change in answers (CHANGES.md "What follows from the catalog") ----


@pytest.mark.parametrize(
    ("version", "side", "effort"),
    [("2.1.331", "claude-sonnet-4-5@20250929", None), ("2.1.332", "claude-sonnet-5-5", "medium")],
)
def test_vertex_static_side_model(version: str, side: str, effort: str | None) -> None:
    r = res(VERTEX, version)
    assert (r.side is not None) and (r.side.model, r.side.effort) == (side, effort)


def test_vertex_sonnet_1m_sends_no_beta_from_2_1_332() -> None:
    old = res(VERTEX, "2.1.331", "sonnet[1m]").main
    new = res(VERTEX, "2.1.332", "sonnet[1m]").main
    assert any(b.startswith("context-1m") for b in old.betas)
    assert new.model == "claude-sonnet-5-5" and new.betas == ()
    assert (new.max_tokens, new.effort, new.context_window) == (128000, "medium", 1_000_000)


def test_vertex_region_variable_no_longer_moves_sonnet() -> None:
    env = VERTEX | {"VERTEX_REGION_CLAUDE_4_5_SONNET": "europe-west1"}
    assert res(env, "2.1.331", "sonnet").main.region == "europe-west1"
    assert res(env, "2.1.332", "sonnet").main.region == "us-east5"


@pytest.mark.parametrize(
    ("model", "before", "after"),
    [
        (None, "claude-sonnet-4-5", "claude-sonnet-5-5"),
        ("sonnet", "claude-sonnet-4-5", "claude-sonnet-5-5"),
        ("opus", "claude-opus-4-6", "claude-opus-5-5"),
        ("best", "claude-opus-4-6", "claude-opus-5-5"),
    ],
)
def test_foundry_defaults_and_aliases(model: str | None, before: str, after: str) -> None:
    assert res(FOUNDRY, "2.1.331", model).main.model == before
    new = res(FOUNDRY, "2.1.332", model).main
    assert new.model == after
    if after == "claude-opus-5-5":
        assert (new.max_tokens, new.effort, new.context_window) == (128000, "medium", 1_000_000)


def test_foundry_subagent_follows_the_opus_move() -> None:
    agent = {"subagent_type": "general-purpose", "model": "opus"}
    old = res(FOUNDRY, "2.1.331", agent=agent).subagent
    new = res(FOUNDRY, "2.1.332", agent=agent).subagent
    assert old is not None and old.request is not None
    assert new is not None and new.request is not None
    assert old.request.model == "claude-opus-4-6"
    assert (new.request.model, new.request.effort) == ("claude-opus-5-5", "medium")


def test_mantle_sonnet() -> None:
    assert res(MANTLE, "2.1.331", "sonnet").main.model == "anthropic.claude-haiku-4-5"
    new = res(MANTLE, "2.1.332", "sonnet").main
    assert (new.model, new.max_tokens, new.effort, new.context_window) == (
        "anthropic.claude-sonnet-5",
        64000,
        "high",
        1_000_000,
    )
    assert "provider_alias_quirk" not in {w.code for w in res(MANTLE, "2.1.332", "sonnet").warnings}


# -- rule: hook side query retries on the main-loop model (2.1.330) -----------------------------


@pytest.mark.parametrize(
    ("env", "main"),
    [
        ({}, "claude-opus-5-5"),
        (BEDROCK, "us.anthropic.claude-opus-5-5"),
        (VERTEX, "claude-opus-5-5"),
        (GATEWAY, "claude-opus-5-5"),
        ({"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-haiku-4-5"}, "claude-opus-5-5"),
        ({"ANTHROPIC_SMALL_FAST_MODEL": "claude-haiku-4-5"}, "claude-opus-5-5"),
    ],
    ids=["firstParty", "bedrock", "vertex", "gateway", "haiku-override", "small-fast"],
)
def test_side_retry_on_main_starts_in_2_1_330(env: dict[str, str], main: str) -> None:
    before = res(env, "2.1.329").side
    at = res(env, "2.1.330").side
    assert before is not None and at is not None
    assert not before.retry_on_main and before.to_json()["retry_models"] == []
    assert at.retry_on_main and at.to_json()["retry_models"] == [main]
    assert at.to_json()["retry_rule"] == "hook_side_query_retry_on_main"


@pytest.mark.parametrize(
    ("env", "model", "version", "steps"),
    [
        (FOUNDRY, None, "2.1.332", ["claude-sonnet-5", "claude-sonnet-4-6", "claude-sonnet-4-5"]),
        (BEDROCK, "haiku", "2.1.330", ["us.anthropic.claude-3-5-haiku-20241022-v1:0"]),
    ],
)
def test_a_side_model_that_is_the_main_model_steps_down(
    env: dict[str, str], model: str | None, version: str, steps: list[str]
) -> None:
    side = res(env, version, model).side
    assert side is not None and side.retry is not None
    assert side.model == res(env, version, model).main.model
    assert not side.retry_on_main
    assert list(side.retry.models) == steps


# -- rule: WebFetch summariser steps down on Vertex (2.1.330) ----------------------------------


def test_webfetch_stepdown_on_vertex_only_from_2_1_330() -> None:
    env = VERTEX | {"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-sonnet-5-5"}
    before, at = res(env, "2.1.329").side, res(env, "2.1.330").side
    assert before is not None and at is not None
    assert before.to_json()["webfetch_stepdown"] == []
    assert at.to_json()["webfetch_stepdown"] == [
        "claude-sonnet-5",
        "claude-sonnet-4-6",
        "claude-sonnet-4-5@20250929",
    ]
    for other in ({}, BEDROCK, FOUNDRY):
        side = res(other | {"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-sonnet-5-5"}, "2.1.330").side
        assert side is not None and side.to_json()["webfetch_stepdown"] == []


# -- rule: automatic 3P main-loop step-down (2.1.332) ------------------------------------------


@pytest.mark.parametrize(
    ("provider", "model", "first_two"),
    [
        ("bedrock", "opus", ["us.anthropic.claude-opus-5", "us.anthropic.claude-opus-4-8"]),
        ("vertex", "opus", ["claude-opus-5", "claude-opus-4-8"]),
        ("vertex", "claude-sonnet-5-5", ["claude-sonnet-5", "claude-sonnet-4-6"]),
        ("foundry", "sonnet", ["claude-sonnet-5", "claude-sonnet-4-6"]),
    ],
)
def test_main_stepdown_starts_in_2_1_332(provider: str, model: str, first_two: list[str]) -> None:
    env = PROVIDER_ENV[provider]
    assert res(env, "2.1.331", model).main_stepdown is None
    sd = res(env, "2.1.332", model).main_stepdown
    assert sd is not None and sd.rule == "auto_3p_main_stepdown"
    assert list(sd.models[:2]) == first_two


def test_the_stepdown_model_gets_its_own_defaults() -> None:
    sd = res(BEDROCK, "2.1.332", "opus").main_stepdown
    assert sd is not None
    step = sd.requests[0]
    assert (step.model, step.max_tokens, step.effort) == (
        "us.anthropic.claude-opus-5",
        64000,
        "high",
    )


@pytest.mark.parametrize(
    ("env", "model", "kw"),
    [
        ({}, "opus", {}),
        (GATEWAY, "opus", {}),
        (MANTLE, "opus", {}),
        (BEDROCK, "us.anthropic.claude-opus-5-5", {}),
        (BEDROCK | {"CLAUDE_CODE_NO_MODEL_FALLBACK": "1"}, "opus", {}),
        (VERTEX | {"CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK": "1"}, "opus", {}),
        (VERTEX, "opus", {"fallback": "claude-sonnet-5-5"}),
        (FOUNDRY, "opus", {"user": {"fallbackModel": ["claude-sonnet-5-5"]}}),
    ],
    ids=[
        "firstParty",
        "gateway",
        "mantle",
        "full-provider-id",
        "NO_MODEL_FALLBACK",
        "DISABLE_MODEL_ACCESS_FALLBACK",
        "--fallback-model",
        "fallbackModel",
    ],
)
def test_no_automatic_stepdown(env: dict[str, str], model: str, kw: dict[str, Any]) -> None:
    assert res(env, "2.1.332", model, **kw).main_stepdown is None


def test_bedrock_sonnet_4_5_does_not_step_down_to_a_retired_model() -> None:
    sd = res(BEDROCK, "2.1.332", "sonnet").main_stepdown
    assert sd is not None and sd.models == ()
    # before sonnet-4-0's Bedrock date (2026-10-14) it would have
    early = resolve(
        Snapshot.of(
            env=BEDROCK,
            claude_version="2.1.332",
            flags=Flags(model="sonnet"),
            today=date(2026, 10, 1),
        )
    ).main_stepdown
    assert early is not None and early.models[0].startswith("us.anthropic.claude-sonnet-4-")


# -- rules that hold in every release (CHANGES.md) ----------------------------------------------


def test_resolve_json_carries_the_rule_fields(sandbox: Sandbox) -> None:
    env = base_env(sandbox.home, BEDROCK)
    out = run_cli(
        [
            "resolve",
            "--json",
            "--model",
            "opus",
            "--claude-version",
            "2.1.332",
            "--managed-settings",
            "/nonexistent",
        ],
        env=env,
        cwd=sandbox.cwd,
    ).json()
    assert out["main_stepdown"]["models"][0] == "us.anthropic.claude-opus-5"
    assert out["main_stepdown"]["requests"][0]["max_tokens"] == 64000
    # an explicit main model on 3P: side queries run on it, so a refusal steps down instead
    assert out["side"]["model"] == "us.anthropic.claude-opus-5-5"
    assert out["side"]["retry_on_main"] is False
    assert out["side"]["retry_models"][0] == "us.anthropic.claude-opus-5"
    assert out["side"]["webfetch_stepdown"] == []


# -- the date ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "today", "warned"),
    [
        ("2.1.328", "2026-11-29", False),  # 2.1.328's table has no sonnet-4-5 entry
        ("2.1.329", "2026-11-29", True),
        ("2.1.329", "2026-08-01", False),  # more than 90 days before
        ("2.1.332", "2026-12-01", True),  # retired: model_retired
    ],
)
def test_explain_says_when_a_model_in_use_retires(
    sandbox: Sandbox, version: str, today: str, warned: bool
) -> None:
    env = base_env(sandbox.home, VERTEX | {"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-sonnet-4-5"})
    run = run_cli(
        [
            "explain",
            "--claude-version",
            version,
            "--today",
            today,
            "--managed-settings",
            "/nonexistent",
        ],
        env=env,
        cwd=sandbox.cwd,
    )
    hit = [line for line in run.stdout.splitlines() if "retire" in line and "sonnet-4-5" in line]
    assert bool(hit) is warned
    if warned:
        assert "2026-11-30" in hit[0]


# -- 2.1.332 counterparts of BEHAVIOUR.md tests pinned to 2.1.328 ---------------------------------


@pytest.mark.parametrize(
    ("env", "flag", "v328", "v332"),
    [
        (VERTEX, "sonnet", "claude-sonnet-4-5@20250929", "claude-sonnet-5-5"),
        (FOUNDRY, "opus", "claude-opus-4-6", "claude-opus-5-5"),
        (MANTLE, "sonnet", "anthropic.claude-haiku-4-5", "anthropic.claude-sonnet-5"),
    ],
)
def test_fallback_models_follow_the_release(
    env: dict[str, str], flag: str, v328: str, v332: str
) -> None:
    assert res(env, "2.1.328", fallback=flag).fallback_models == (v328,)
    assert res(env, "2.1.332", fallback=flag).fallback_models == (v332,)


def test_foundry_picker_default_follows_the_release() -> None:
    from claude_models.actions.picker import options

    def default(version: str) -> str:
        snap = Snapshot.of(env=FOUNDRY, claude_version=version)
        return options(snap)[0].description

    assert default("2.1.328") == "Use the default model (currently Sonnet 4.5)"
    assert default("2.1.332") == "Use the default model (currently Sonnet 5.5)"


@pytest.mark.parametrize(
    ("env", "model", "v328", "v332"),
    [
        (VERTEX, None, "claude-sonnet-4-5@20250929", "claude-sonnet-5-5"),
        (FOUNDRY, None, "claude-sonnet-4-5", "claude-sonnet-5-5"),
        (FOUNDRY, "opus", "claude-opus-4-6", "claude-opus-5-5"),
    ],
)
def test_side_model_follows_the_release(
    env: dict[str, str], model: str | None, v328: str, v332: str
) -> None:
    old, new = res(env, "2.1.328", model).side, res(env, "2.1.332", model).side
    assert old is not None and new is not None
    assert (old.model, new.model) == (v328, v332)


@pytest.mark.parametrize(
    ("version", "named"),
    [
        ("2.1.328", []),
        ("2.1.329", []),
        ("2.1.330", ["CLAUDE_CODE_MODEL_NOBODY_CHOSE"]),
        ("2.1.332", ["CLAUDE_CODE_MODEL_NOBODY_CHOSE"]),
    ],
)
def test_unmodelled_variables_are_named_from_the_release_that_reads_them(
    version: str, named: list[str]
) -> None:
    """2.1.330's binary is the first to read CLAUDE_CODE_MODEL_NOBODY_CHOSE, whose effect was not
    reproduced (docs/decisions/measure.md). ANTHROPIC_BETAS and the refusal switches (modelled)
    and CLAUDE_CODE_TOTAL_TOKENS_REMINDER (message text only) are not named."""
    env = {
        "CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK": "1",
        "CLAUDE_CODE_MODEL_NOBODY_CHOSE": "secret-ish-value",
        "ANTHROPIC_BETAS": "x-beta",
        "CLAUDE_CODE_TOTAL_TOKENS_REMINDER": "fixed",
    }
    found = [w.message for w in res(env, version).warnings if w.code == "unmeasured_variable"]
    assert [m.split(" ", 1)[0] for m in found] == named
    assert all(
        m.startswith(f"{v} is set: Claude Code {version}")
        for v, m in zip(named, found, strict=True)
    )
    if named:
        assert "remote self-hosted runner" in found[0]
    assert "x-beta" not in " ".join(found)  # a value is never printed
    assert "secret-ish-value" not in " ".join(found)


# -- rules that hold in every release measured (CHANGES.md) --------------------------------------

EVERY_RELEASE = ["2.1.328", "2.1.332"]


@pytest.mark.parametrize("version", EVERY_RELEASE)
@pytest.mark.parametrize("env", [BEDROCK, VERTEX], ids=["bedrock", "vertex"])
def test_opusplan_plan_mode_side_queries_use_the_sonnet_half(
    env: dict[str, str], version: str
) -> None:
    """The main-loop model of 3P side queries is the one outside plan mode: opusplan in plan
    mode runs opus, its side queries the sonnet half, without effort."""
    plan = resolve(
        Snapshot.of(
            env=env,
            claude_version=version,
            flags=Flags(model="opusplan", permission_mode="plan", print_mode=True),
            today=TODAY,
        )
    )
    outside = res(env, version, "opusplan")
    assert plan.main.catalog_id == "claude-opus-5-5"
    assert plan.side is not None and outside.side is not None
    assert plan.side.model == outside.main.model == outside.side.model
    provider: Provider = "bedrock" if env is BEDROCK else "vertex"
    assert plan.side.catalog_id == registry(version).aliases["sonnet"].target(provider)
    assert plan.side.effort == outside.side.effort
    if version == "2.1.328":
        assert plan.side.effort is None  # sonnet-4-5 takes no effort


@pytest.mark.parametrize("version", EVERY_RELEASE)
def test_opusplan_plan_mode_takes_the_default_opus_path(version: str) -> None:
    """With ANTHROPIC_DEFAULT_OPUS_MODEL=claude-opus-4-6, opusplan in plan mode sends opus-4-6
    with the context-1m beta and a 1M window, as the default opus does (the [1m] merge)."""
    env = {"ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-6"}
    default = res(env, version).main
    plan = resolve(
        Snapshot.of(
            env=env,
            claude_version=version,
            flags=Flags(model="opusplan", permission_mode="plan"),
            today=TODAY,
        )
    ).main
    assert (plan.model, plan.betas, plan.context_window) == (
        "claude-opus-4-6",
        ("context-1m-2025-08-07",),
        1_000_000,
    )
    assert (plan.model, plan.betas, plan.context_window) == (
        default.model,
        default.betas,
        default.context_window,
    )


@pytest.mark.parametrize("version", EVERY_RELEASE)
@pytest.mark.parametrize(
    ("key", "setting", "window"),
    [
        # measured: tests/observed/2.1.3{28,32}/mo_fp_unknown_target_cli (opus-5-5: 1M)
        ("claude-opus-5-5", "opus", 1_000_000),
        # a 200k model keeps its 200k (CHANGES.md's observation; mo_bd_sonnet_arn likewise)
        ("claude-opus-4-6", "claude-opus-4-6", 200_000),
    ],
)
def test_model_overrides_to_an_unknown_id(
    version: str, key: str, setting: str, window: int
) -> None:
    """modelOverrides mapping a first-party id to an id the catalog does not know reports the
    window of the model it overrides (an unknown --model id reports 1M); the request keeps the
    original model's max_tokens and effort."""
    over = resolve(
        Snapshot.of(
            user={"modelOverrides": {key: "my-custom-model"}},
            claude_version=version,
            flags=Flags(model=setting),
            today=TODAY,
        )
    ).main
    plain = res({}, version, setting).main
    assert over.model == "my-custom-model"
    assert over.context_window == window
    assert (over.max_tokens, over.effort) == (plain.max_tokens, plain.effort)
    assert res({}, version, "my-custom-model").main.context_window == 1_000_000
