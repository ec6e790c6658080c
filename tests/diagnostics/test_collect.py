"""Every warning code: a configuration that raises it, and what its message must name.

``CASES`` must hold at least one row per code of :data:`claude_models.warnings.CODES`; a new
code without a row fails :func:`test_every_code_has_a_case`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from claude_models import Flags, Snapshot, resolve
from claude_models._record import replace
from claude_models.checks import CODES as CHECK_CODES
from claude_models.diagnostics.collect import CODES
from claude_models.releases import ClaudeCode
from claude_models.settings.layers import Layer, Settings
from claude_models.settings.scopes import Scope

P = True  # print mode
PROXY = "http://127.0.0.1:9"
SECRET_KEY = "sk-ant-oat01-SECRETSECRETSECRET"
SECRET_TOKEN = "tok-SECRET-auth-token-value"


#: The release BEHAVIOUR.md describes: these cases are its observations (the 2.1.332
#: counterparts of the ones whose catalog moved are in tests/test_release_rules.py).
BEHAVIOUR_RELEASE = "2.1.328"


def snap(
    model: str | None = None,
    env: dict[str, str] | None = None,
    *,
    effort: str | None = None,
    fallback: str | None = None,
    skill: str | None = None,
    print_mode: bool = P,
    **kw: Any,
) -> Snapshot:
    flags = Flags(
        model=model,
        effort=effort,
        fallback_model=fallback,
        skill_model=skill,
        print_mode=print_mode,
    )
    kw.setdefault("claude_version", BEHAVIOUR_RELEASE)
    return Snapshot.of(env=env, flags=flags, **kw)


def unusable_layer() -> Snapshot:
    layer = Layer.parse(Scope.USER, "/home/u/.claude/settings.json", [1, 2])
    return replace(Snapshot.of(flags=Flags(print_mode=True)), settings=Settings((layer,)))


Case = tuple[str, str, Callable[[], Snapshot], tuple[str, ...]]


# (id, code, snapshot, substrings the message must contain)
def _older_than_installed() -> ClaudeCode:
    """What the loader records for --claude-version 2.1.330 with 2.1.332 installed."""
    from claude_models.installed import choose

    return replace(
        choose({}, "2.1.330"),
        installed="2.1.332",
        installed_path="/usr/bin/claude",
        notes=(
            "modelling Claude Code 2.1.330 (--claude-version) but the claude installed at "
            "/usr/bin/claude is 2.1.332: answers are for 2.1.330",
        ),
    )


CASES: list[Case] = [
    ("settings-unusable", "settings_unusable", unusable_layer, ("settings.json", "JSON object")),
    ("wrong-type", "settings_wrong_type", lambda: snap(user={"model": 5}), ("<user>", "model")),
    (
        "fallback-string",
        "settings_wrong_type",
        lambda: snap(user={"fallbackModel": "sonnet"}),
        ("fallbackModel", '["sonnet"]'),
    ),
    ("unknown-key", "settings_unknown_key", lambda: snap(project={"modle": "x"}), ("'modle'",)),
    (
        "env-not-a-number",
        "env_invalid_value",
        lambda: snap(env={"CLAUDE_CODE_MAX_OUTPUT_TOKENS": "lots"}),
        ("CLAUDE_CODE_MAX_OUTPUT_TOKENS", "ignored"),
    ),
    (
        "provider-switch-not-truthy",
        "env_invalid_value",
        lambda: snap(env={"CLAUDE_CODE_USE_BEDROCK": "yes please"}),
        ("CLAUDE_CODE_USE_BEDROCK", "first party"),
    ),
    (
        "effort-env-garbage",
        "effort_invalid",
        lambda: snap(env={"CLAUDE_CODE_EFFORT_LEVEL": "turbo"}),
        ("CLAUDE_CODE_EFFORT_LEVEL", "turbo"),
    ),
    (
        "user-denied-models",
        "setting_ignored_in_scope",
        lambda: snap(user={"deniedModels": ["opus"]}),
        ("<user>", "deniedModels", "managed"),
    ),
    (
        "user-effort-print",
        "setting_ignored_in_scope",
        lambda: snap(user={"effortLevel": "high"}),
        ("<user>", "effortLevel", "--effort"),
    ),
    (
        "user-fast-mode-print",
        "setting_ignored_in_scope",
        lambda: snap(user={"fastMode": True}),
        ("<user>", "fastMode", "--settings"),
    ),
    (
        "explicit-replaced",
        "model_replaced_by_default",
        lambda: snap("haiku", user={"availableModels": ["sonnet"]}),
        ("--model", "'haiku'", "availableModels", "claude-opus-5-5"),
    ),
    (
        "allowlist-excludes-used",
        "allowlist_excludes_model",
        lambda: snap(managed={"availableModels": ["sonnet"]}),
        ("<managed>", "claude-opus-5-5"),
    ),
    (
        "side-main-proxy-key",
        "side_on_main_model",
        lambda: snap(env={"ANTHROPIC_BASE_URL": PROXY, "ANTHROPIC_API_KEY": SECRET_KEY}),
        ("claude-opus-5-5", "ANTHROPIC_BASE_URL", "ANTHROPIC_DEFAULT_HAIKU_MODEL"),
    ),
    (
        "side-main-auth-token",
        "side_on_main_model",
        lambda: snap(env={"ANTHROPIC_BASE_URL": PROXY, "ANTHROPIC_AUTH_TOKEN": SECRET_TOKEN}),
        ("auth token", "ANTHROPIC_DEFAULT_HAIKU_MODEL"),
    ),
    (
        "side-main-3p-explicit",
        "side_on_main_model",
        lambda: snap("opus", {"CLAUDE_CODE_USE_VERTEX": "1"}),
        ("explicit main model", "claude-opus-5-5"),
    ),
    (
        "side-main-denied",
        "side_on_main_model",
        lambda: snap(managed={"deniedModels": ["haiku"]}),
        ("deniedModels",),
    ),
    (
        "haiku-alias-3p",
        "haiku_alias_sent_literally",
        lambda: snap(
            env={"CLAUDE_CODE_USE_BEDROCK": "1", "ANTHROPIC_DEFAULT_HAIKU_MODEL": "haiku"}
        ),
        ("ANTHROPIC_DEFAULT_HAIKU_MODEL=haiku", "bedrock"),
    ),
    (
        "effort-clamped",
        "effort_clamped",
        lambda: snap("claude-opus-4-6", effort="xhigh"),
        ("'xhigh'", "'high'", "--effort"),
    ),
    (
        "effort-dropped",
        "effort_dropped",
        lambda: snap("claude-sonnet-4-5", effort="high"),
        ("'high'", "claude-sonnet-4-5"),
    ),
    (
        "env-model-over-settings",
        "env_overrides_setting",
        lambda: snap(env={"ANTHROPIC_MODEL": "haiku"}, project={"model": "sonnet"}),
        ("ANTHROPIC_MODEL=haiku", "'sonnet'", "<project>"),
    ),
    (
        "env-effort-over-settings",
        "env_overrides_setting",
        lambda: snap(env={"CLAUDE_CODE_EFFORT_LEVEL": "low"}, project={"effortLevel": "high"}),
        ("CLAUDE_CODE_EFFORT_LEVEL=low", "<project>"),
    ),
    (
        "env-effort-over-model-settings",
        "env_overrides_setting",
        lambda: snap(
            env={"CLAUDE_CODE_EFFORT_LEVEL": "low"},
            user={"modelSettings": {"claude-opus-5-5": {"effortLevel": "high"}}},
        ),
        ("modelSettings.claude-opus-5-5.effortLevel", "<user>"),
    ),
    (
        "retired",
        "model_retired",
        lambda: snap("claude-3-7-sonnet-20250219", today=date(2026, 3, 1)),
        ("2026-02-19", "firstParty"),
    ),
    (
        "retired-on-this-provider-only",
        "model_retired",
        lambda: snap(
            "claude-3-7-sonnet-20250219",
            {"CLAUDE_CODE_USE_BEDROCK": "1"},
            today=date(2026, 5, 1),
        ),
        ("2026-04-28", "bedrock"),
    ),
    (
        "retiring",
        "model_retiring",
        lambda: snap("claude-sonnet-4-20250514", today=date(2026, 5, 1)),
        ("2026-06-15", "45 days"),
    ),
    (
        "unknown-not-a-typo",
        "unknown_model",
        lambda: snap("acme-internal-llm"),
        ("'acme-internal-llm'", "sent verbatim"),
    ),
    (
        "unknown-did-you-mean",
        "model_id_typo",  # a typo is an error of its own (claude_models.checks.ids)
        lambda: snap("claude-sonet-5-5"),
        ("'claude-sonet-5-5'", "did you mean claude-sonnet-5-5"),
    ),
    (
        "subagent-replaced",
        "subagent_model_replaced",
        lambda: snap(managed={"deniedModels": ["haiku"]}, agent={"model": "haiku"}),
        ("'haiku'", "claude-opus-5-5"),
    ),
    (
        "subagent-rejected",
        "subagent_call_rejected",
        lambda: snap(agent={"model": "inherit"}),
        ("InputValidationError",),
    ),
    (
        "skill-replaced",
        "skill_model_replaced",
        lambda: snap(skill="haiku", user={"availableModels": ["opus"]}),
        ("'haiku'", "claude-opus-5-5", "SKILL.md"),
    ),
    (
        "legacy-remap",
        "legacy_model_remapped",
        lambda: snap("claude-opus-4-1"),
        ("claude-opus-4-1", "CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP"),
    ),
    (
        "mantle-sonnet-quirk",
        "provider_alias_quirk",
        lambda: snap("sonnet", {"CLAUDE_CODE_USE_MANTLE": "1"}),
        ("mantle", "anthropic.claude-haiku-4-5"),
    ),
    (
        "fallbacks-truncated",
        "fallback_models_truncated",
        lambda: snap(fallback="sonnet,haiku,fable,opus"),
        ("4 fallback models",),
    ),
    (
        "override-not-applied",
        "model_override_not_applied",
        lambda: snap(
            managed={"deniedModels": ["haiku"]},
            project={"modelOverrides": {"claude-opus-5-5": "claude-haiku-5-5"}},
        ),
        ("'claude-opus-5-5' -> 'claude-haiku-5-5'", "deniedModels entry 'haiku'", "<project>"),
    ),
    (
        "fallback-dropped",
        "fallback_model_dropped",
        lambda: snap(fallback="haiku,sonnet", managed={"deniedModels": ["haiku"]}),
        ("'haiku'", "deniedModels entry 'haiku'", "<managed>"),
    ),
    (
        "claude-code-release",
        "claude_code_release",
        lambda: replace(Snapshot.of(claude_version="2.1.330"), claude_code=_older_than_installed()),
        ("modelling Claude Code 2.1.330", "is 2.1.332"),
    ),
    (
        "unmeasured-variable",
        "unmeasured_variable",
        lambda: Snapshot.of(env={"CLAUDE_CODE_MODEL_NOBODY_CHOSE": "1"}),
        ("CLAUDE_CODE_MODEL_NOBODY_CHOSE is set", "not measured"),
    ),
    (
        "load-problem",
        "load_problem",
        lambda: replace(Snapshot.of(), problems=("/p/.claude/agents/x.md: cannot be read",)),
        ("x.md",),
    ),
]


@pytest.mark.parametrize(
    ("code", "make", "needles"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_warning(code: str, make: Callable[[], Snapshot], needles: tuple[str, ...]) -> None:
    found = [w.message for w in resolve(make()).warnings if w.code == code]
    assert found, f"no {code}"
    assert any(all(n in m for n in needles) for m in found), found


def test_every_code_has_a_case() -> None:
    # the codes of claude_models.checks have their cases in tests/test_checks.py
    assert set(CODES) <= {c[1] for c in CASES} <= set(CODES) | set(CHECK_CODES)


def test_clean_configuration_has_no_warnings() -> None:
    assert resolve(snap()).warnings == ()
    assert resolve(snap(env={"CLAUDE_CODE_USE_BEDROCK": "1"})).warnings == ()


@pytest.mark.parametrize(
    ("make", "absent"),
    [
        (lambda: snap("haiku", {"CLAUDE_CODE_USE_FOUNDRY": "1"}), "side_on_main_model"),
        (
            lambda: snap(env={"ANTHROPIC_DEFAULT_HAIKU_MODEL": "haiku"}),
            "haiku_alias_sent_literally",
        ),
        (lambda: snap(user={"fastMode": True}, print_mode=False), "setting_ignored_in_scope"),
        (lambda: snap(user={"effortLevel": "high"}, print_mode=False), "setting_ignored_in_scope"),
        (lambda: snap(managed={"deniedModels": ["opus"]}), "setting_ignored_in_scope"),
        (lambda: snap("claude-sonnet-4-20250514", today=date(2026, 1, 1)), "model_retiring"),
        (lambda: snap("claude-opus-4-6", effort="max"), "effort_clamped"),
        (lambda: snap(env={"ANTHROPIC_MODEL": "haiku"}), "env_overrides_setting"),
        (lambda: snap(fallback="sonnet,haiku,opus"), "fallback_models_truncated"),
    ],
    ids=[
        "cheap-main-model",
        "alias-fine-on-first-party",
        "interactive-user-fast-mode",
        "interactive-user-effort",
        "managed-denied-honoured",
        "retirement-far-off",
        "max-kept-on-opus-4-6",
        "env-with-nothing-to-override",
        "three-fallbacks",
    ],
)
def test_warning_not_raised_where_it_does_not_apply(
    make: Callable[[], Snapshot], absent: str
) -> None:
    assert absent not in [w.code for w in resolve(make()).warnings]


def test_no_secret_in_any_output() -> None:
    env = {
        "ANTHROPIC_BASE_URL": PROXY,
        "ANTHROPIC_API_KEY": SECRET_KEY,
        "ANTHROPIC_AUTH_TOKEN": SECRET_TOKEN,
        "CLAUDE_CODE_OAUTH_TOKEN": SECRET_TOKEN + "-oauth",
        "AWS_BEARER_TOKEN_BEDROCK": SECRET_TOKEN + "-bedrock",
    }
    for case in CASES:
        s = case[2]()
        s = replace(s, env={**s.env, **env})
        text = json.dumps(resolve(s).to_json())
        assert SECRET_KEY not in text and SECRET_TOKEN not in text, case[0]
