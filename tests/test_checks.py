"""Issue 16's checks (:mod:`claude_models.checks`): one row per check, each with a
configuration that triggers it and a close one that does not, and what the message names."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models._record import replace
from claude_models.checks import CODES, LEVELS, SEVERITY
from claude_models.diagnostics.collect import CODES as OLD_CODES
from claude_models.settings.layers import Layer, Settings
from claude_models.settings.scopes import Scope
from claude_models.snapshot import AgentDef

TODAY = date(2026, 11, 29)
VERTEX = {
    "CLAUDE_CODE_USE_VERTEX": "1",
    "ANTHROPIC_VERTEX_PROJECT_ID": "p",
    "CLOUD_ML_REGION": "us-east5",
}
BEDROCK = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}
EU_SONNET = "eu.anthropic.claude-sonnet-4-5-20250929-v1:0"


def snap(
    env: dict[str, str] | None = None,
    *,
    model: str | None = None,
    fallback: str | None = None,
    skill: str | None = None,
    agents: tuple[tuple[str, str], ...] = (),
    **kw: Any,
) -> Snapshot:
    flags = Flags(model=model, fallback_model=fallback, skill_model=skill, print_mode=True)
    defs = [AgentDef(n, m, None, f"/p/.claude/agents/{n}.md", "project") for n, m in agents]
    return Snapshot.of(env=env, flags=flags, agents=defs, today=TODAY, **kw)


def missing_managed(path: str | None) -> Callable[[], Snapshot]:
    def make() -> Snapshot:
        base = snap()
        if path is None:
            return base
        layer = Layer(Scope.MANAGED, path, exists=False)
        return replace(base, settings=Settings((layer,), session="print"))

    return make


Row = tuple[str, str, Callable[[], Snapshot], Callable[[], Snapshot], tuple[str, ...]]
# (id, code, triggers, does not trigger, substrings of the message)
ROWS: list[Row] = [
    # 1. every model id in every slot
    ("managed-allowlist-typo", "model_id_typo",
     lambda: snap(managed={"availableModels": ["sonet"]}),
     lambda: snap(managed={"availableModels": ["sonnet"]}),
     ("'sonet'", "did you mean sonnet", "<managed>", "allows nothing")),
    ("denied-typo", "model_id_typo",
     lambda: snap(managed={"deniedModels": ["claude-opsu-4-6"]}),
     lambda: snap(managed={"deniedModels": ["claude-opus-4-6"]}),
     ("claude-opsu-4-6", "did you mean claude-opus-4-6", "denies nothing")),
    ("anthropic-model-typo", "model_id_typo",
     lambda: snap({"ANTHROPIC_MODEL": "claude-opus-4-66"}),
     lambda: snap({"ANTHROPIC_MODEL": "claude-opus-4-6"}),
     ("ANTHROPIC_MODEL", "did you mean")),
    ("haiku-var-typo", "model_id_typo",
     lambda: snap({"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-haiku-4-5-2025100"}),
     lambda: snap({"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-haiku-4-5-20251001"}),
     ("ANTHROPIC_DEFAULT_HAIKU_MODEL", "did you mean claude-haiku-4-5-20251001")),
    ("opus-var-typo", "model_id_typo",
     lambda: snap({"ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-7x"}),
     lambda: snap({"ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-7"}),
     ("ANTHROPIC_DEFAULT_OPUS_MODEL",)),
    ("sonnet-var-typo", "model_id_typo",
     lambda: snap({"ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonet-4-6"}),
     lambda: snap({"ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-4-6"}),
     ("ANTHROPIC_DEFAULT_SONNET_MODEL",)),
    ("small-fast-typo", "model_id_typo",
     lambda: snap({"ANTHROPIC_SMALL_FAST_MODEL": "claude-haiku-4-55"}),
     lambda: snap({"ANTHROPIC_SMALL_FAST_MODEL": "claude-haiku-4-5"}),
     ("ANTHROPIC_SMALL_FAST_MODEL",)),
    ("subagent-var-typo", "model_id_typo",
     lambda: snap({"CLAUDE_CODE_SUBAGENT_MODEL": "claude-sonnet-4-66"}),
     lambda: snap({"CLAUDE_CODE_SUBAGENT_MODEL": "inherit"}),
     ("CLAUDE_CODE_SUBAGENT_MODEL",)),
    ("agent-frontmatter-typo", "model_id_typo",
     lambda: snap(agents=(("reviewer", "claude-sonnet-4-55"),)),
     lambda: snap(agents=(("reviewer", "sonnet"),)),
     ("agent 'reviewer' model", "/p/.claude/agents/reviewer.md")),
    ("fallback-setting-typo", "model_id_typo",
     lambda: snap(user={"fallbackModel": ["claude-sonnet-4-55"]}),
     lambda: snap(user={"fallbackModel": ["claude-sonnet-4-5"]}),
     ("fallbackModel", "<user>")),
    ("fallback-flag-typo", "model_id_typo",
     lambda: snap(fallback="sonnet,claude-opus-4-66"),
     lambda: snap(fallback="sonnet,claude-opus-4-6"),
     ("--fallback-model",)),
    ("override-value-typo", "model_id_typo",
     lambda: snap(user={"modelOverrides": {"claude-opus-4-6": "claude-opus-4-66"}}),
     lambda: snap(user={"modelOverrides": {"claude-opus-4-6": "claude-opus-4-7"}}),
     ("modelOverrides['claude-opus-4-6']",)),
    ("skill-typo", "model_id_typo",
     lambda: snap(skill="claude-haiku-4-55"),
     lambda: snap(skill="haiku"),
     ("--skill-model",)),
    ("allowlist-unknown", "allowlist_entry_unknown",
     lambda: snap(managed={"availableModels": ["acme-llm-7"]}),
     lambda: snap(managed={"availableModels": ["opus-4-5", "sonnet-4", "arn:aws:bedrock:x"]}),
     ("'acme-llm-7'", "only a model of exactly that name")),
    ("not-on-provider", "model_not_on_provider",
     lambda: snap(VERTEX, model="claude-mythos-5"),
     lambda: snap(model="claude-mythos-5"),
     ("--model", "vertex does not serve")),
    ("untranslated-bedrock", "model_id_untranslated",
     lambda: snap(BEDROCK, model="claude-sonnet-4-5"),
     lambda: snap(BEDROCK, model="claude-sonnet-4-5-20250929"),
     ("--model", "'claude-sonnet-4-5' as typed", "bedrock refuses",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0")),
    ("untranslated-vertex-env", "model_id_untranslated",
     lambda: snap({**VERTEX, "ANTHROPIC_MODEL": "claude-opus-4-5"}),
     lambda: snap({**VERTEX, "ANTHROPIC_MODEL": "opus"}),
     ("ANTHROPIC_MODEL", "claude-opus-4-5-20251101", "claude-opus-4-5@20251101")),
    ("untranslated-foundry-is-fine", "model_id_untranslated",
     lambda: snap(BEDROCK, user={"model": "claude-haiku-4-5"}),
     lambda: snap({"CLAUDE_CODE_USE_FOUNDRY": "1", "ANTHROPIC_FOUNDRY_RESOURCE": "r"},
                  user={"model": "claude-haiku-4-5"}),
     ("settings model", "<user>", "claude-haiku-4-5-20251001")),
    ("override-key", "model_override_unused",
     lambda: snap(user={"modelOverrides": {"claude-opus-4-66": "claude-opus-4-7"}}),
     lambda: snap(user={"modelOverrides": {"claude-opus-4-6": "claude-opus-4-7"}}),
     ("claude-opus-4-66", "never applies", "did you mean claude-opus-4-6")),
    ("bedrock-id-in-user-settings", "model_id_wrong_provider",
     lambda: snap(user={"model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}),
     lambda: snap(BEDROCK, user={"model": "us.anthropic.claude-sonnet-4-5-20250929-v1:0"}),
     ("settings model", "<user>", "a Bedrock id", "firstParty", "claude-sonnet-4-5-20250929")),
    ("vertex-id-first-party", "model_id_wrong_provider",
     lambda: snap({"ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-4-5@20250929"}),
     lambda: snap({**VERTEX, "ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-4-5@20250929"}),
     ("a Vertex id",)),
    ("bedrock-missing-suffix", "bedrock_id_malformed",
     lambda: snap(BEDROCK, model="us.anthropic.claude-sonnet-4-5-20250929"),
     lambda: snap(BEDROCK, model="us.anthropic.claude-sonnet-4-5-20250929-v1:0"),
     ("version suffix", "us.anthropic.claude-sonnet-4-5-20250929-v1:0")),
    ("bedrock-geo-mismatch", "bedrock_id_malformed",
     lambda: snap(BEDROCK, model="eu.anthropic.claude-sonnet-4-5-20250929-v1:0"),
     lambda: snap({**BEDROCK, "AWS_REGION": "eu-west-1"}, model=EU_SONNET),
     ("geo prefix 'eu.'", "AWS_REGION=us-east-1", "us.anthropic.claude-sonnet-4-5")),
    ("bedrock-arn-is-fine", "bedrock_id_malformed",
     lambda: snap(BEDROCK, model="eu.anthropic.claude-haiku-4-5-20251001"),
     lambda: snap(BEDROCK, model="arn:aws:bedrock:us-east-1:123:application-inference-profile/x"),
     ("eu.",)),
    ("aws-region", "region_unknown",
     lambda: snap({**BEDROCK, "AWS_REGION": "us-east-7"}),
     lambda: snap({**BEDROCK, "AWS_REGION": "us-west-2"}),
     ("AWS_REGION=us-east-7", "not an AWS region", "did you mean")),
    ("vertex-location", "region_unknown",
     lambda: snap({**VERTEX, "CLOUD_ML_REGION": "us-east-5"}),
     lambda: snap({**VERTEX, "CLOUD_ML_REGION": "europe-west1"}),
     ("CLOUD_ML_REGION=us-east-5", "did you mean us-east5")),
    ("vertex-project", "vertex_project_missing",
     lambda: snap({"CLAUDE_CODE_USE_VERTEX": "1"}),
     lambda: snap(VERTEX),
     ("ANTHROPIC_VERTEX_PROJECT_ID",)),
    ("two-switches", "provider_switch_conflict",
     lambda: snap({"CLAUDE_CODE_USE_BEDROCK": "1", "CLAUDE_CODE_USE_VERTEX": "1"}),
     lambda: snap({"CLAUDE_CODE_USE_BEDROCK": "1", "CLAUDE_CODE_USE_VERTEX": "0"}),
     ("CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "uses the first, bedrock")),
    # 2. settings and variable names
    ("settings-key-typo", "settings_key_typo",
     lambda: snap(managed={"availableModel": ["sonnet"]}),
     lambda: snap(managed={"availableModels": ["sonnet"]}),
     ("'availableModel'", "did you mean 'availableModels'")),
    ("settings-unknown-key", "settings_unknown_key",
     lambda: snap(user={"themee": "dark"}),
     lambda: snap(user={"theme": "dark", "advisorModel": "opus"}),
     ("'themee'", "did you mean 'theme'")),
    ("env-modle", "env_name_typo",
     lambda: snap({"ANTHROPIC_MODLE": "opus"}),
     lambda: snap({"ANTHROPIC_MODEL": "opus"}),
     ("ANTHROPIC_MODLE", "did you mean ANTHROPIC_MODEL")),
    ("env-bedrck", "env_name_typo",
     lambda: snap({"CLAUDE_CODE_USE_BEDRCK": "1"}),
     lambda: snap({"CLAUDE_CODE_USE_BEDROCK": "1"}),
     ("CLAUDE_CODE_USE_BEDRCK", "did you mean CLAUDE_CODE_USE_BEDROCK")),
    ("env-unknown", "env_name_unknown",
     lambda: snap({"CLAUDE_CODE_ZZZ_QQQ_XYZZY": "1"}),
     lambda: snap({"CLAUDE_CODE_ENABLE_TELEMETRY": "1"}),
     ("CLAUDE_CODE_ZZZ_QQQ_XYZZY",)),
    ("not-modelled", "not_modelled",
     lambda: snap({"CLAUDE_CODE_MODEL_NOBODY_CHOSE": "1", "ANTHROPIC_BETAS": "x"}),
     lambda: snap({"CLAUDE_CODE_ENABLE_TELEMETRY": "1"}),
     ("CLAUDE_CODE_MODEL_NOBODY_CHOSE", "ANTHROPIC_BETAS", "does not model")),
    # 3. surprises
    ("one-m-partial", "one_m_partial",
     lambda: snap({"ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-6[1m]",
                   "ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-4-5"}),
     lambda: snap({"ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-6[1m]",
                   "ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-4-5[1m]"}),
     ("ANTHROPIC_DEFAULT_SONNET_MODEL=claude-sonnet-4-5", "200k")),
    ("subagent-var-vs-frontmatter", "subagent_model_shadowed",
     lambda: snap({"CLAUDE_CODE_SUBAGENT_MODEL": "haiku"}, agents=(("reviewer", "opus"),)),
     lambda: snap({"CLAUDE_CODE_SUBAGENT_MODEL": "haiku"}, agents=(("reviewer", "inherit"),)),
     ("CLAUDE_CODE_SUBAGENT_MODEL=haiku", "'reviewer'", "frontmatter beats it")),
    ("agent-first-party-on-vertex", "agent_first_party_id",
     lambda: snap(VERTEX, agents=(("reviewer", "claude-sonnet-4-5-20250929"),)),
     lambda: snap(agents=(("reviewer", "claude-sonnet-4-5-20250929"),)),
     ("'reviewer'", "on vertex", "claude-sonnet-4-5@20250929", "model: sonnet")),
    ("effort-max", "effort_max_in_settings",
     lambda: snap(project={"effortLevel": "max"}),
     lambda: snap(project={"effortLevel": "xhigh"}),
     ("<project>", "never applied", "--effort max")),
    ("allowlist-not-enforced", "allowlist_not_enforced",
     lambda: snap(managed={"availableModels": ["sonnet"]}),
     lambda: snap(managed={"availableModels": ["sonnet"], "enforceAvailableModels": True}),
     ("claude-opus-5-5", "enforceAvailableModels")),
    ("side-expensive", "side_model_expensive",
     lambda: snap({"ANTHROPIC_SMALL_FAST_MODEL": "claude-opus-4-6"}),
     lambda: snap({"ANTHROPIC_SMALL_FAST_MODEL": "claude-haiku-4-5"}),
     ("claude-opus-4-6", "+$4.90 input and +$24.50 output per million tokens",
      "ANTHROPIC_SMALL_FAST_MODEL")),
    ("subagent-expensive", "subagent_model_expensive",
     lambda: snap({"CLAUDE_CODE_SUBAGENT_MODEL": "claude-opus-4-1"}, model="sonnet"),
     lambda: snap({"CLAUDE_CODE_SUBAGENT_MODEL": "haiku"}, model="sonnet"),
     ("CLAUDE_CODE_SUBAGENT_MODEL=claude-opus-4-1", "+$13 input and +$65 output")),
    ("managed-missing", "managed_policy_missing",
     missing_managed("/etc/claude-code/managed-settings.json"),
     missing_managed(None),
     ("/etc/claude-code/managed-settings.json", "no managed policy is in force")),
]  # fmt: skip


@pytest.mark.parametrize(
    ("code", "bad", "good", "needles"), [r[1:] for r in ROWS], ids=[r[0] for r in ROWS]
)
def test_check(
    code: str,
    bad: Callable[[], Snapshot],
    good: Callable[[], Snapshot],
    needles: tuple[str, ...],
) -> None:
    found = [w for w in resolve(bad()).warnings if w.code == code]
    assert found, f"no {code}: {[w.code for w in resolve(bad()).warnings]}"
    text = " | ".join(w.message for w in found)
    for needle in needles:
        assert needle in text
    assert all(w.severity == SEVERITY[code] for w in found)
    assert not [w for w in resolve(good()).warnings if w.code == code]


def test_every_check_code_has_a_row() -> None:
    assert set(CODES) == {r[1] for r in ROWS} - set(OLD_CODES)


def test_every_code_has_one_severity() -> None:
    assert set(SEVERITY) == set(CODES) | set(OLD_CODES)
    assert set(SEVERITY.values()) <= set(LEVELS)


def test_json_warnings_carry_severity() -> None:
    out = resolve(snap(managed={"availableModels": ["sonet"]})).to_json()
    typo = next(w for w in out["warnings"] if w["code"] == "model_id_typo")
    assert typo["severity"] == "error"


def test_unusable_managed_policy_is_an_error() -> None:
    layer = Layer.parse(Scope.MANAGED, "/etc/claude-code/managed-settings.json", [1])
    s = replace(snap(), settings=Settings((layer,), session="print"))
    found = [w for w in resolve(s).warnings if "managed-settings.json" in w.message]
    assert found and found[0].severity == "error"


def test_retired_side_model_names_the_side_variable() -> None:
    s = snap({"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-3-5-haiku-20241022"}, model="opus")
    retired = [w.message for w in resolve(s).warnings if w.code == "model_retired"]
    assert retired and "set ANTHROPIC_DEFAULT_HAIKU_MODEL to a current model" in retired[0]
    assert "--model or settings model" not in retired[0]
    # the main loop's own retired model still names --model
    main = snap(model="claude-3-5-haiku-20241022")
    retired = [w.message for w in resolve(main).warnings if w.code == "model_retired"]
    assert retired and "--model" in retired[0]


def test_a_huge_allowlist_is_summarised_not_listed() -> None:
    entries = [f"claude-custom-{i}" for i in range(3000)]
    s = snap(managed={"availableModels": [*entries, "sonnet"], "enforceAvailableModels": True})
    msgs = [w.message for w in resolve(s).warnings if w.code == "allowlist_entry_unknown"]
    assert len(msgs) == 1 and "and 2995 more" in msgs[0]


WHY: list[tuple[str, Snapshot, Snapshot, str]] = [
    (
        "default-opus-var",
        snap({"ANTHROPIC_DEFAULT_OPUS_MODEL": "claude-opus-4-6"}),
        snap(),
        "opus re-pointed by ANTHROPIC_DEFAULT_OPUS_MODEL=claude-opus-4-6 (environment)",
    ),
    (
        "model-flag-var",
        snap({"ANTHROPIC_DEFAULT_SONNET_MODEL": "claude-sonnet-4-5"}, model="sonnet"),
        snap(model="sonnet"),
        "sonnet re-pointed by ANTHROPIC_DEFAULT_SONNET_MODEL=claude-sonnet-4-5",
    ),
    (
        "allowlist-entry",
        snap(managed={"availableModels": ["opus", "opus-4-5"]}, model="opus"),
        snap(managed={"availableModels": ["opus"]}, model="opus"),
        "opus re-pointed by availableModels entry 'opus-4-5' (managed (<managed>))",
    ),
]


@pytest.mark.parametrize(("bad", "good", "needle"), [w[1:] for w in WHY], ids=[w[0] for w in WHY])
def test_origin_names_what_re_pointed_the_alias(bad: Snapshot, good: Snapshot, needle: str) -> None:
    assert needle in (resolve(bad).main.origin or "")
    assert "re-pointed" not in (resolve(good).main.origin or "")
