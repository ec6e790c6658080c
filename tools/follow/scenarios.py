"""The harness's scenario corpus: one table of inputs, run through the real binary (observe) and
through ``claude-models`` (score, and the CI replay of stored observations).

A scenario is a plain dict (so it is stored verbatim in each observation file):

- ``name``, ``what``: a stable id and one line saying what it checks;
- ``env``: the whole environment of the run (on top of PATH, a fresh HOME and the harness's own
  variables); ``FAKE`` (``http://127.0.0.1:9``) stands for the fake API's URL;
- ``files``: as in ``shared/conformance``: ``~/x`` under HOME, ``x`` under cwd,
  ``<managed-settings.json>`` is managed policy, ``<--settings file>`` the flag settings file;
- ``args``: Claude Code flags that ``claude-models resolve`` also takes;
- ``agent``: the ``Agent`` tool input the fake API makes the main loop send, or null;
- ``side``: ``"hook"`` adds a ``UserPromptSubmit`` prompt hook to user settings, so every run
  makes one hook side query; ``"hook+webfetch"`` also makes the main loop call ``WebFetch`` on
  a loopback HTTPS page (its summary is another side query); null for none;
- ``server``: ``refuse`` (``[{model_contains, status, times}]``), ``profiles`` (the Bedrock
  system-defined inference profiles to list, or null) and, when set, ``refusal``
  (``[{model_contains, times}]``: a 200 reply whose ``stop_reason`` is ``"refusal"``).

Groups (the name prefix): ``al_`` aliases per provider, ``rg_`` regions, ``id_`` full ids,
``pr_`` precedence, ``mg_`` managed policy, ``ov_`` env overrides, ``ls_`` allowlists, ``ef_``
effort/max_tokens/thinking, ``cx_`` 1M, ``pl_`` plan mode, ``sq_`` side queries, ``sa_``
subagents, ``fb_`` fallbacks and refusals, ``fm_`` fast mode, ``bp_`` Bedrock profiles, ``mo_``
modelOverrides, ``ub_`` ANTHROPIC_BETAS, ``rf_`` replies with ``stop_reason: "refusal"``, ``vr_``
other variables.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, Final

FAKE: Final = "http://127.0.0.1:9"
# A console-shaped fake key (BEHAVIOUR.md 4: console keys are "haiku-capable"); never a real one.
KEY: Final = "sk-ant-api03-fakefakefakefake"
WEB: Final = "hook+webfetch"
HOOK: Final = {
    "hooks": {"UserPromptSubmit": [{"hooks": [{"type": "prompt", "prompt": "Check: $ARGUMENTS"}]}]}
}

Scenario = dict[str, Any]


def fp(**extra: str) -> dict[str, str]:
    return {"ANTHROPIC_BASE_URL": FAKE, "ANTHROPIC_API_KEY": KEY, **extra}


def bd(region: str = "us-east-1", **extra: str) -> dict[str, str]:
    return {
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "ANTHROPIC_BEDROCK_BASE_URL": FAKE,
        "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
        "AWS_REGION": region,
        **extra,
    }


def vx(region: str = "us-east5", **extra: str) -> dict[str, str]:
    return {
        "CLAUDE_CODE_USE_VERTEX": "1",
        "ANTHROPIC_VERTEX_BASE_URL": f"{FAKE}/v1",
        "CLAUDE_CODE_SKIP_VERTEX_AUTH": "1",
        "ANTHROPIC_VERTEX_PROJECT_ID": "p1",
        "CLOUD_ML_REGION": region,
        **extra,
    }


def fd(**extra: str) -> dict[str, str]:
    return {
        "CLAUDE_CODE_USE_FOUNDRY": "1",
        "ANTHROPIC_FOUNDRY_BASE_URL": FAKE,
        "CLAUDE_CODE_SKIP_FOUNDRY_AUTH": "1",
        **extra,
    }


def gw(**extra: str) -> dict[str, str]:
    return {"CLAUDE_CODE_USE_GATEWAY": "1", **fp(**extra)}


def mt(**extra: str) -> dict[str, str]:
    return {
        "CLAUDE_CODE_USE_MANTLE": "1",
        "ANTHROPIC_BEDROCK_MANTLE_BASE_URL": FAKE,
        "CLAUDE_CODE_SKIP_MANTLE_AUTH": "1",
        "AWS_REGION": "us-east-1",
        **extra,
    }


def aws(**extra: str) -> dict[str, str]:
    return {
        "CLAUDE_CODE_USE_ANTHROPIC_AWS": "1",
        "ANTHROPIC_AWS_BASE_URL": FAKE,
        "ANTHROPIC_AWS_WORKSPACE_ID": "ws1",
        "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH": "1",
        "AWS_REGION": "us-east-1",
        **extra,
    }


def gcp(**extra: str) -> dict[str, str]:
    return {
        "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD": "1",
        "ANTHROPIC_GOOGLE_CLOUD_BASE_URL": FAKE,
        "ANTHROPIC_GOOGLE_CLOUD_PROJECT": "p1",
        "ANTHROPIC_GOOGLE_CLOUD_LOCATION": "us-east5",
        "ANTHROPIC_GOOGLE_CLOUD_WORKSPACE_ID": "ws1",
        "CLAUDE_CODE_SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH": "1",
        **extra,
    }


PROVIDERS: Final = {
    "fp": fp,
    "bd": bd,
    "vx": vx,
    "fd": fd,
    "gw": gw,
    "mt": mt,
    "aws": aws,
    "gcp": gcp,
}


def S(  # noqa: N802 - reads as a table constructor in the corpus
    name: str,
    what: str,
    env: dict[str, str],
    *args: str,
    files: dict[str, Any] | None = None,
    agent: dict[str, Any] | None = None,
    side: str | None = "hook",
    refuse: list[tuple[str, int]] | None = None,
    refuse_times: int | None = None,
    profiles: list[str] | None = None,
    refusal: Sequence[tuple[str, int | None]] | None = None,
) -> Scenario:
    server: dict[str, Any] = {
        "refuse": [
            {"model_contains": m, "status": s, "times": refuse_times} for m, s in refuse or []
        ],
        "profiles": profiles,
    }
    if refusal:  # only when given: older observations' scenarios stay as they were stored
        server["refusal"] = [{"model_contains": m, "times": t} for m, t in refusal]
    return {
        "name": name,
        "what": what,
        "env": env,
        "files": files or {},
        "args": list(args),
        "agent": agent,
        "side": side,
        "server": server,
    }


def agent(
    model: str | None = None, subagent_type: str = "general-purpose", **extra: str
) -> dict[str, Any]:
    call: dict[str, Any] = {
        "description": "probe",
        "prompt": "say hi",
        "subagent_type": subagent_type,
    }
    if model is not None:
        call["model"] = model
    call.update(extra)
    return call


PROBE_AGENT: Final = "---\nname: probe\ndescription: Probe agent\nmodel: {model}\n---\nReply ok.\n"
PROBE_AGENT_NOMODEL: Final = "---\nname: probe\ndescription: Probe agent\n---\nReply ok.\n"
PROBE_AGENT_EFFORT: Final = (
    "---\nname: probe\ndescription: Probe agent\nmodel: {model}\neffort: {effort}\n---\nReply ok.\n"
)
USER: Final = "~/.claude/settings.json"
PROJECT: Final = ".claude/settings.json"
LOCAL: Final = ".claude/settings.local.json"
MANAGED: Final = "<managed-settings.json>"
FLAG: Final = "<--settings file>"


def _aliases() -> list[Scenario]:
    out: list[Scenario] = []
    aliases = {
        "default": None,
        "opus": "opus",
        "sonnet": "sonnet",
        "haiku": "haiku",
        "fable": "fable",
        "best": "best",
        "opusplan": "opusplan",
        "sonnet1m": "sonnet[1m]",
        "opus1m": "opus[1m]",
        "upper": "SONNET",
    }
    for pkey, make in PROVIDERS.items():
        for akey, alias in aliases.items():
            args = () if alias is None else ("--model", alias)
            what = f"{pkey}: " + (
                "no model (built-in default)" if alias is None else f"--model {alias}"
            )
            out.append(S(f"al_{pkey}_{akey}", what, make(), *args))
    return out


def _regions() -> list[Scenario]:
    return [
        S("rg_bd_euw1_default", "Bedrock eu-west-1 default", bd("eu-west-1")),
        S("rg_bd_euw1_sonnet", "Bedrock eu-west-1 --model sonnet", bd("eu-west-1"), "--model", "sonnet"),
        S("rg_bd_euw1_haiku", "Bedrock eu-west-1 --model haiku", bd("eu-west-1"), "--model", "haiku"),
        S("rg_bd_apne1_default", "Bedrock ap-northeast-1 default", bd("ap-northeast-1")),
        S("rg_bd_apne1_sonnet", "Bedrock ap-northeast-1 --model sonnet", bd("ap-northeast-1"), "--model", "sonnet"),
        S("rg_bd_prefix_global", "ANTHROPIC_BEDROCK_REGION_PREFIX=global", bd(ANTHROPIC_BEDROCK_REGION_PREFIX="global")),
        S("rg_bd_prefix_eu", "ANTHROPIC_BEDROCK_REGION_PREFIX=eu with us-east-1", bd(ANTHROPIC_BEDROCK_REGION_PREFIX="eu"), "--model", "sonnet"),
        S("rg_vx_global", "Vertex CLOUD_ML_REGION=global", vx("global")),
        S("rg_vx_global_sonnet", "Vertex global --model sonnet", vx("global"), "--model", "sonnet"),
        S("rg_vx_opus_region", "VERTEX_REGION_CLAUDE_5_5_OPUS moves the opus main loop only", vx(VERTEX_REGION_CLAUDE_5_5_OPUS="us-central1")),
        S("rg_vx_sonnet45_region", "VERTEX_REGION_CLAUDE_4_5_SONNET with --model sonnet", vx(VERTEX_REGION_CLAUDE_4_5_SONNET="europe-west1"), "--model", "sonnet"),
        S("rg_vx_sonnet45_region_id", "VERTEX_REGION_CLAUDE_4_5_SONNET with the sonnet-4-5 id", vx(VERTEX_REGION_CLAUDE_4_5_SONNET="europe-west1"), "--model", "claude-sonnet-4-5@20250929"),
    ]  # fmt: skip


def _ids() -> list[Scenario]:
    return [
        S("id_fp_opus46", "--model claude-opus-4-6", fp(), "--model", "claude-opus-4-6"),
        S("id_fp_opus45_dated", "--model claude-opus-4-5-20251101", fp(), "--model", "claude-opus-4-5-20251101"),
        S("id_fp_opus47", "--model claude-opus-4-7", fp(), "--model", "claude-opus-4-7"),
        S("id_fp_opus48", "--model claude-opus-4-8", fp(), "--model", "claude-opus-4-8"),
        S("id_fp_sonnet5", "--model claude-sonnet-5", fp(), "--model", "claude-sonnet-5"),
        S("id_fp_sonnet46", "--model claude-sonnet-4-6", fp(), "--model", "claude-sonnet-4-6"),
        S("id_fp_sonnet45", "--model claude-sonnet-4-5", fp(), "--model", "claude-sonnet-4-5"),
        S("id_fp_sonnet45_1m", "--model claude-sonnet-4-5[1m]", fp(), "--model", "claude-sonnet-4-5[1m]"),
        S("id_fp_haiku45", "--model claude-haiku-4-5", fp(), "--model", "claude-haiku-4-5"),
        S("id_fp_haiku35", "--model claude-3-5-haiku-20241022", fp(), "--model", "claude-3-5-haiku-20241022"),
        S("id_fp_opus41_remap", "retired claude-opus-4-1 is remapped", fp(), "--model", "claude-opus-4-1"),
        S("id_fp_opus40_remap", "retired claude-opus-4-0 is remapped", fp(), "--model", "claude-opus-4-0"),
        S("id_fp_opus41_noremap", "CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP keeps claude-opus-4-1", fp(CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP="1"), "--model", "claude-opus-4-1"),
        S("id_fp_unknown", "unknown id claude-foo-9", fp(), "--model", "claude-foo-9"),
        S("id_fp_opus45_short", "opus-4-5 (unrecognized)", fp(), "--model", "opus-4-5"),
        S("id_fp_fable52", "--model claude-fable-5-2", fp(), "--model", "claude-fable-5-2"),
        S("id_bd_opus46", "Bedrock translates claude-opus-4-6", bd(), "--model", "claude-opus-4-6"),
        S("id_bd_full", "Bedrock full id passes through", bd(), "--model", "us.anthropic.claude-opus-4-6-v1"),
        S("id_bd_arn", "Bedrock application profile ARN via ANTHROPIC_MODEL", bd(ANTHROPIC_MODEL="arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123")),
        S("id_bd_opus41", "Bedrock retired opus-4-1 is not remapped", bd(), "--model", "claude-opus-4-1"),
        S("id_vx_opus46", "Vertex claude-opus-4-6", vx(), "--model", "claude-opus-4-6"),
        S("id_fd_opus46", "Foundry claude-opus-4-6", fd(), "--model", "claude-opus-4-6"),
        S("id_mt_opus46", "Mantle claude-opus-4-6 (no mantle id)", mt(), "--model", "claude-opus-4-6"),
        # Which typed ids a 3P provider translates: only a model's first-party id, or any name?
        S("id_bd_sonnet45", "Bedrock --model claude-sonnet-4-5 (catalog id, not the first-party id)", bd(), "--model", "claude-sonnet-4-5"),
        S("id_bd_sonnet45_dated", "Bedrock --model claude-sonnet-4-5-20250929 (first-party id)", bd(), "--model", "claude-sonnet-4-5-20250929"),
        S("id_bd_sonnet46", "Bedrock --model claude-sonnet-4-6 (catalog id = first-party id)", bd(), "--model", "claude-sonnet-4-6"),
        S("id_bd_haiku45_env", "Bedrock ANTHROPIC_MODEL=claude-haiku-4-5", bd(ANTHROPIC_MODEL="claude-haiku-4-5")),
        S("id_bd_sonnet45_user", "Bedrock user settings model claude-sonnet-4-5", bd(), files={USER: {"model": "claude-sonnet-4-5"}}),
        S("id_bd_opus41_dated", "Bedrock --model claude-opus-4-1-20250805", bd(), "--model", "claude-opus-4-1-20250805"),
        S("id_vx_opus45", "Vertex --model claude-opus-4-5 (catalog id, not the first-party id)", vx(), "--model", "claude-opus-4-5"),
        S("id_vx_sonnet45_dated", "Vertex --model claude-sonnet-4-5-20250929", vx(), "--model", "claude-sonnet-4-5-20250929"),
        # opus-4-5's effort on Bedrock and Vertex (first party and Foundry send high)
        S("id_vx_opus45_dated", "Vertex --model claude-opus-4-5-20251101", vx(), "--model", "claude-opus-4-5-20251101"),
        S("id_bd_opus45_dated", "Bedrock --model claude-opus-4-5-20251101", bd(), "--model", "claude-opus-4-5-20251101"),
        S("id_bd_opus45", "Bedrock --model claude-opus-4-5", bd(), "--model", "claude-opus-4-5"),
    ]  # fmt: skip


def _precedence() -> list[Scenario]:
    return [
        S("pr_cli_vs_env", "--model beats ANTHROPIC_MODEL", fp(ANTHROPIC_MODEL="haiku"), "--model", "sonnet"),
        S("pr_env_vs_user", "ANTHROPIC_MODEL beats user settings", fp(ANTHROPIC_MODEL="haiku"), files={USER: {"model": "sonnet"}}),
        S("pr_user_only", "user settings model", fp(), files={USER: {"model": "sonnet"}}),
        S("pr_project_only", "project settings model", fp(), files={PROJECT: {"model": "haiku"}}),
        S("pr_local_only", "local settings model", fp(), files={LOCAL: {"model": "haiku"}}),
        S("pr_project_vs_local", "local beats project", fp(), files={PROJECT: {"model": "sonnet"}, LOCAL: {"model": "haiku"}}),
        S("pr_user_vs_project", "project beats user", fp(), files={USER: {"model": "sonnet"}, PROJECT: {"model": "haiku"}}),
        S("pr_flag_vs_local", "flag settings beat local", fp(), files={FLAG: {"model": "sonnet"}, LOCAL: {"model": "haiku"}}),
        S("pr_env_vs_flag", "ANTHROPIC_MODEL beats flag settings", fp(ANTHROPIC_MODEL="haiku"), files={FLAG: {"model": "sonnet"}}),
        S("pr_cli_vs_flag", "--model beats flag settings", fp(), "--model", "haiku", files={FLAG: {"model": "sonnet"}}),
        S("pr_default_model_env", "ANTHROPIC_DEFAULT_MODEL=sonnet changes the default", fp(ANTHROPIC_DEFAULT_MODEL="sonnet")),
        S("pr_default_model_vs_user", "user model vs ANTHROPIC_DEFAULT_MODEL", fp(ANTHROPIC_DEFAULT_MODEL="sonnet"), files={USER: {"model": "haiku"}}),
        S("pr_bd_user_model", "Bedrock user settings model sonnet", bd(), files={USER: {"model": "sonnet"}}),
    ]  # fmt: skip


def _managed() -> list[Scenario]:
    return [
        S("mg_model_vs_user_local", "managed model beats user and local", fp(), files={MANAGED: {"model": "haiku"}, USER: {"model": "sonnet"}, LOCAL: {"model": "sonnet"}}),
        S("mg_model_vs_env", "ANTHROPIC_MODEL beats managed model", fp(ANTHROPIC_MODEL="sonnet"), files={MANAGED: {"model": "haiku"}}),
        S("mg_model_vs_cli", "--model beats managed model", fp(), "--model", "sonnet", files={MANAGED: {"model": "haiku"}}),
        S("mg_allow_sonnet_cli_opus", "managed availableModels [sonnet], --model opus", fp(), "--model", "opus", files={MANAGED: {"availableModels": ["sonnet"]}}),
        S("mg_enforce_sonnet_default", "managed enforced [sonnet], no model", fp(), files={MANAGED: {"availableModels": ["sonnet"], "enforceAvailableModels": True}}),
        S("mg_enforce_sonnet_cli_opus", "managed enforced [sonnet], --model opus", fp(), "--model", "opus", files={MANAGED: {"availableModels": ["sonnet"], "enforceAvailableModels": True}}),
        S("mg_denied_opus_default", "managed deniedModels [opus]", fp(), files={MANAGED: {"deniedModels": ["opus"]}}),
        S("mg_denied_opus_cli", "managed deniedModels [opus], --model opus", fp(), "--model", "opus", files={MANAGED: {"deniedModels": ["opus"]}}),
        S("mg_denied_haiku_side", "managed deniedModels [haiku]: side queries on the main model", fp(), files={MANAGED: {"deniedModels": ["haiku"]}}),
        S("mg_denied_haiku_subagent", "managed deniedModels [haiku], Agent(model=haiku)", fp(), files={MANAGED: {"deniedModels": ["haiku"]}}, agent=agent("haiku")),
        S("mg_enforce_subagent_haiku", "managed enforced [opus], Agent(model=haiku)", fp(), files={MANAGED: {"availableModels": ["opus"], "enforceAvailableModels": True}}, agent=agent("haiku")),
        S("mg_effort_vs_project", "managed effortLevel beats project", fp(), files={MANAGED: {"effortLevel": "low"}, PROJECT: {"effortLevel": "high"}}),
        S("mg_fastmode_false", "managed fastMode false beats flag settings", fp(), files={MANAGED: {"fastMode": False}, FLAG: {"fastMode": True}}),
        S("mg_denied_bad_element", "managed deniedModels [opus, null] still denies opus", fp(), files={MANAGED: {"deniedModels": ["opus", None]}}),
        S("mg_override_denied", "modelOverrides target denied by managed policy is not applied", fp(), files={MANAGED: {"deniedModels": ["haiku"]}, USER: {"modelOverrides": {"claude-opus-5-5": "claude-haiku-5-5"}}}),
        S("mg_fallback_denied", "a managed-denied --fallback-model is dropped", fp(), "--fallback-model", "sonnet", files={MANAGED: {"deniedModels": ["sonnet"]}}, refuse=[("opus-5-5", 404)]),
        S("mg_bd_denied_opus", "Bedrock managed deniedModels [opus]", bd(), files={MANAGED: {"deniedModels": ["opus"]}}),
    ]  # fmt: skip


def _overrides() -> list[Scenario]:
    return [
        S("ov_opus_custom_default", "DEFAULT_OPUS custom id, no model", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="my-gateway-opus")),
        S("ov_opus_custom_cli", "DEFAULT_OPUS custom id, --model opus", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="my-gateway-opus"), "--model", "opus"),
        S("ov_opus46_default", "DEFAULT_OPUS=claude-opus-4-6, no model", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="claude-opus-4-6")),
        S("ov_sonnet_cli", "DEFAULT_SONNET with --model sonnet", fp(ANTHROPIC_DEFAULT_SONNET_MODEL="claude-sonnet-4-6"), "--model", "sonnet"),
        S("ov_haiku_cli", "DEFAULT_HAIKU with --model haiku", fp(ANTHROPIC_DEFAULT_HAIKU_MODEL="claude-haiku-4-5"), "--model", "haiku"),
        S("ov_fable_cli", "DEFAULT_FABLE with --model fable", fp(ANTHROPIC_DEFAULT_FABLE_MODEL="claude-opus-4-8"), "--model", "fable"),
        S("ov_small_fast_and_haiku", "SMALL_FAST beats DEFAULT_HAIKU for side queries", fp(ANTHROPIC_SMALL_FAST_MODEL="claude-haiku-4-5", ANTHROPIC_DEFAULT_HAIKU_MODEL="claude-3-5-haiku-20241022"), "--model", "haiku"),
        S("ov_small_fast_only", "SMALL_FAST alone", fp(ANTHROPIC_SMALL_FAST_MODEL="claude-sonnet-4-6")),
        S("ov_opusplan_halves", "DEFAULT_OPUS/SONNET apply to opusplan", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="claude-opus-4-6", ANTHROPIC_DEFAULT_SONNET_MODEL="claude-sonnet-4-6"), "--model", "opusplan"),
        S("ov_custom_option", "ANTHROPIC_CUSTOM_MODEL_OPTION with --model my-model", fp(ANTHROPIC_CUSTOM_MODEL_OPTION="my-model"), "--model", "my-model"),
        S("ov_bd_sonnet_only", "Bedrock DEFAULT_SONNET only: the default becomes it", bd(ANTHROPIC_DEFAULT_SONNET_MODEL="us.anthropic.claude-sonnet-4-6")),
        S("ov_bd_haiku_literal", "Bedrock DEFAULT_HAIKU=haiku sends the literal id", bd(ANTHROPIC_DEFAULT_HAIKU_MODEL="haiku")),
        S("ov_bd_opus_only", "Bedrock DEFAULT_OPUS only", bd(ANTHROPIC_DEFAULT_OPUS_MODEL="us.anthropic.claude-opus-4-6-v1")),
        S("ov_vx_haiku", "Vertex DEFAULT_HAIKU", vx(ANTHROPIC_DEFAULT_HAIKU_MODEL="claude-haiku-4-5@20251001")),
        S("ov_capabilities", "DEFAULT_OPUS_MODEL_SUPPORTED_CAPABILITIES on a custom opus", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="my-opus", ANTHROPIC_DEFAULT_OPUS_MODEL_SUPPORTED_CAPABILITIES="thinking"), "--model", "opus"),
    ]  # fmt: skip


def _allowlists() -> list[Scenario]:
    return [
        S("ls_family_opus_cli_sonnet", "user availableModels [opus], --model sonnet", fp(), "--model", "sonnet", files={USER: {"availableModels": ["opus"]}}),
        S("ls_version_opus45_cli_opus", "user availableModels [opus-4-5], --model opus", fp(), "--model", "opus", files={USER: {"availableModels": ["opus-4-5"]}}),
        S("ls_version_opus45_default", "user availableModels [opus-4-5], no model", fp(), files={USER: {"availableModels": ["opus-4-5"]}}),
        S("ls_exact_id_cli_opus", "user availableModels [claude-opus-4-6], --model opus", fp(), "--model", "opus", files={USER: {"availableModels": ["claude-opus-4-6"]}}),
        S("ls_empty_cli_sonnet", "user availableModels [], --model sonnet", fp(), "--model", "sonnet", files={USER: {"availableModels": []}}),
        S("ls_sonnet_cli_haiku", "user availableModels [sonnet], --model haiku", fp(), "--model", "haiku", files={USER: {"availableModels": ["sonnet"]}}),
        S("ls_disallowed_env", "user availableModels [sonnet], ANTHROPIC_MODEL=haiku", fp(ANTHROPIC_MODEL="haiku"), files={USER: {"availableModels": ["sonnet"]}}),
        S("ls_enforce_sonnet_default", "user enforced [sonnet], no model", fp(), files={USER: {"availableModels": ["sonnet"], "enforceAvailableModels": True}}),
        S("ls_enforce_opus45_default", "user enforced [opus-4-5], no model", fp(), files={USER: {"availableModels": ["opus-4-5"], "enforceAvailableModels": True}}),
        S("ls_enforce_empty_default", "user enforced [], no model", fp(), files={USER: {"availableModels": [], "enforceAvailableModels": True}}),
        S("ls_enforce_opus_side", "user enforced [opus]: side queries still on haiku", fp(), files={USER: {"availableModels": ["opus"], "enforceAvailableModels": True}}),
        S("ls_user_denied_ignored", "user deniedModels has no effect", fp(), files={USER: {"deniedModels": ["opus"]}}),
        S("ls_bd_sonnet_cli_opus", "Bedrock user availableModels [sonnet], --model opus", bd(), "--model", "opus", files={USER: {"availableModels": ["sonnet"]}}),
        # Does an explicit model the allowlist drops count as "no explicit model" for side queries?
        S("ls_vx_sonnet_cli_opus", "Vertex user availableModels [sonnet], --model opus", vx(), "--model", "opus", files={USER: {"availableModels": ["sonnet"]}}),
        S("ls_bd_sonnet_env_opus", "Bedrock user availableModels [sonnet], ANTHROPIC_MODEL=opus", bd(ANTHROPIC_MODEL="opus"), files={USER: {"availableModels": ["sonnet"]}}),
        S("ls_bd_sonnet_user_opus", "Bedrock user availableModels [sonnet] and model opus", bd(), files={USER: {"availableModels": ["sonnet"], "model": "opus"}}),
        S("ls_bd_sonnet_cli_sonnet", "Bedrock user availableModels [sonnet], --model sonnet (kept)", bd(), "--model", "sonnet", files={USER: {"availableModels": ["sonnet"]}}),
        # opusplan whose sonnet half is a custom id: is the allowlist asked about "opusplan" (an
        # opus word) or the id it runs (a sonnet word)? (found hash-seed dependent in round 4)
        S("ls_bd_opusplan_pin_sonnet_list", "Bedrock sonnet pin my-sonnet, availableModels [sonnet, haiku, opus-4-6], --model opusplan", bd(ANTHROPIC_DEFAULT_SONNET_MODEL="my-sonnet"), "--model", "opusplan", files={USER: {"availableModels": ["sonnet", "haiku", "opus-4-6"]}}),
        S("ls_bd_opusplan_pin_opus_list", "Bedrock sonnet pin my-sonnet, availableModels [opus], --model opusplan", bd(ANTHROPIC_DEFAULT_SONNET_MODEL="my-sonnet"), "--model", "opusplan", files={USER: {"availableModels": ["opus"]}}),
        S("ls_sonnet_pin_opusword_opus_list", "sonnet pin my-opus-x, availableModels [opus], --model sonnet", fp(ANTHROPIC_DEFAULT_SONNET_MODEL="my-opus-x"), "--model", "sonnet", files={USER: {"availableModels": ["opus"]}}),
        S("ls_sonnet_pin_opusword_sonnet_list", "sonnet pin my-opus-x, availableModels [sonnet], --model sonnet", fp(ANTHROPIC_DEFAULT_SONNET_MODEL="my-opus-x"), "--model", "sonnet", files={USER: {"availableModels": ["sonnet"]}}),
        S("ls_sonnet_pin45_sonnet_list", "sonnet pin claude-sonnet-4-5, availableModels [sonnet], --model sonnet", fp(ANTHROPIC_DEFAULT_SONNET_MODEL="claude-sonnet-4-5"), "--model", "sonnet", files={USER: {"availableModels": ["sonnet"]}}),
        S("ls_sonnet_pin_opusword_haiku_list", "sonnet pin my-opus-x, availableModels [haiku], --model sonnet", fp(ANTHROPIC_DEFAULT_SONNET_MODEL="my-opus-x"), "--model", "sonnet", files={USER: {"availableModels": ["haiku"]}}),
        S("ls_sonnet_pin_opusword_sonnet_agent", "sonnet pin my-opus-x, availableModels [sonnet], Agent(model=sonnet)", fp(ANTHROPIC_DEFAULT_SONNET_MODEL="my-opus-x"), files={USER: {"availableModels": ["sonnet"]}}, agent=agent("sonnet")),
        S("ls_default_pin_sonnetword_opus_list", "opus pin my-sonnet-x, availableModels [opus], --model default", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="my-sonnet-x"), "--model", "default", files={USER: {"availableModels": ["opus"]}}),
        S("ls_opus_pin_sonnetword_opus_list", "opus pin my-sonnet-x, availableModels [opus], --model opus", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="my-sonnet-x"), "--model", "opus", files={USER: {"availableModels": ["opus"]}}),
        S("ls_opusplan_pin_sonnet_list", "sonnet pin my-sonnet, availableModels [sonnet, haiku], --model opusplan", fp(ANTHROPIC_DEFAULT_SONNET_MODEL="my-sonnet"), "--model", "opusplan", files={USER: {"availableModels": ["sonnet", "haiku"]}}),
    ]  # fmt: skip


def _effort() -> list[Scenario]:
    sonnet45 = ("--model", "claude-sonnet-4-5")
    return [
        S("ef_env_low", "CLAUDE_CODE_EFFORT_LEVEL=low", fp(CLAUDE_CODE_EFFORT_LEVEL="low")),
        S("ef_env_max", "CLAUDE_CODE_EFFORT_LEVEL=max", fp(CLAUDE_CODE_EFFORT_LEVEL="max")),
        S("ef_env_auto", "CLAUDE_CODE_EFFORT_LEVEL=auto", fp(CLAUDE_CODE_EFFORT_LEVEL="auto")),
        S("ef_env_garbage", "CLAUDE_CODE_EFFORT_LEVEL=banana", fp(CLAUDE_CODE_EFFORT_LEVEL="banana")),
        S("ef_cli_high", "--effort high", fp(), "--effort", "high"),
        S("ef_cli_xhigh", "--effort xhigh", fp(), "--effort", "xhigh"),
        S("ef_cli_low", "--effort low", fp(), "--effort", "low"),
        S("ef_env_vs_cli", "CLAUDE_CODE_EFFORT_LEVEL beats --effort", fp(CLAUDE_CODE_EFFORT_LEVEL="low"), "--effort", "high"),
        S("ef_cli_vs_project", "--effort beats project effortLevel", fp(), "--effort", "low", files={PROJECT: {"effortLevel": "high"}}),
        S("ef_project", "project effortLevel high", fp(), files={PROJECT: {"effortLevel": "high"}}),
        S("ef_local", "local effortLevel low", fp(), files={LOCAL: {"effortLevel": "low"}}),
        S("ef_flag", "flag settings effortLevel high", fp(), files={FLAG: {"effortLevel": "high"}}),
        S("ef_project_max", "project effortLevel max (the settings schema drops max)", fp(), files={PROJECT: {"effortLevel": "max"}}),
        S("ef_flag_max", "flag settings effortLevel max", fp(), files={FLAG: {"effortLevel": "max"}}),
        S("ef_user_ignored", "user effortLevel is ignored in print mode", fp(), files={USER: {"effortLevel": "low"}}),
        S("ef_user_modelsettings", "user modelSettings.claude-opus-5-5.effortLevel", fp(), files={USER: {"modelSettings": {"claude-opus-5-5": {"effortLevel": "low"}}}}),
        S("ef_project_modelsettings_alias", "project modelSettings.opus.effortLevel", fp(), files={PROJECT: {"modelSettings": {"opus": {"effortLevel": "high"}}}}),
        S("ef_modelsettings_other_model", "a sonnet modelSettings entry does not touch opus", fp(), files={USER: {"modelSettings": {"claude-sonnet-5-5": {"effortLevel": "low"}}}}),
        S("ef_opus46_xhigh_clamp", "opus-4-6 with --effort xhigh is clamped", fp(), "--model", "claude-opus-4-6", "--effort", "xhigh"),
        S("ef_opus46_max", "opus-4-6 with --effort max", fp(), "--model", "claude-opus-4-6", "--effort", "max"),
        S("ef_sonnet45_effort", "sonnet-4-5 gets no effort", fp(), *sonnet45, "--effort", "max"),
        S("ef_bd_max", "Bedrock --effort max", bd(), "--effort", "max"),
        S("ef_max_output_cap", "CLAUDE_CODE_MAX_OUTPUT_TOKENS=500000 is capped", fp(CLAUDE_CODE_MAX_OUTPUT_TOKENS="500000")),
        S("ef_max_output_small", "CLAUDE_CODE_MAX_OUTPUT_TOKENS=1000", fp(CLAUDE_CODE_MAX_OUTPUT_TOKENS="1000")),
        S("ef_max_output_garbage", "CLAUDE_CODE_MAX_OUTPUT_TOKENS=abc is ignored", fp(CLAUDE_CODE_MAX_OUTPUT_TOKENS="abc")),
        S("ef_thinking_budget", "MAX_THINKING_TOKENS=5000 on sonnet-4-5", fp(MAX_THINKING_TOKENS="5000"), *sonnet45),
        S("ef_thinking_zero", "MAX_THINKING_TOKENS=0 disables thinking on sonnet-4-5", fp(MAX_THINKING_TOKENS="0"), *sonnet45),
        S("ef_always_thinking_false", "alwaysThinkingEnabled false on sonnet-4-5", fp(), *sonnet45, files={USER: {"alwaysThinkingEnabled": False}}),
        S("ef_disable_thinking", "CLAUDE_CODE_DISABLE_THINKING=1", fp(CLAUDE_CODE_DISABLE_THINKING="1")),
        S("ef_disable_adaptive", "CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING=1", fp(CLAUDE_CODE_DISABLE_ADAPTIVE_THINKING="1")),
        S("ef_opus45_default", "opus-4-5 dated: budget thinking, effort high", fp(), "--model", "claude-opus-4-5-20251101"),
        S("ef_haiku35", "3-5-haiku: 8192, no thinking", fp(), "--model", "claude-3-5-haiku-20241022"),
        S("ef_subagent_env", "CLAUDE_CODE_SUBAGENT_EFFORT", fp(CLAUDE_CODE_SUBAGENT_EFFORT="low"), agent=agent("sonnet")),
    ]  # fmt: skip


def _context() -> list[Scenario]:
    return [
        S("cx_disable_default", "CLAUDE_CODE_DISABLE_1M_CONTEXT on the default", fp(CLAUDE_CODE_DISABLE_1M_CONTEXT="1")),
        S("cx_disable_sonnet45_1m", "DISABLE_1M with claude-sonnet-4-5[1m]", fp(CLAUDE_CODE_DISABLE_1M_CONTEXT="1"), "--model", "claude-sonnet-4-5[1m]"),
        S("cx_bd_sonnet45_1m", "Bedrock sonnet-4-5[1m]: beta in the body", bd(), "--model", "claude-sonnet-4-5[1m]"),
        S("cx_vx_sonnet45_1m", "Vertex claude-sonnet-4-5[1m]", vx(), "--model", "claude-sonnet-4-5[1m]"),
        S("cx_fd_sonnet45_1m", "Foundry claude-sonnet-4-5[1m]", fd(), "--model", "claude-sonnet-4-5[1m]"),
        S("cx_fable_1m", "--model fable[1m]", fp(), "--model", "fable[1m]"),
    ]  # fmt: skip


def _plan() -> list[Scenario]:
    plan = ("--permission-mode", "plan")
    return [
        S("pl_fp_opusplan", "opusplan in plan mode", fp(), "--model", "opusplan", *plan),
        S("pl_fp_haiku", "haiku in plan mode is upgraded", fp(), "--model", "haiku", *plan),
        S("pl_fp_sonnet", "sonnet in plan mode stays", fp(), "--model", "sonnet", *plan),
        S("pl_fp_default", "default in plan mode", fp(), *plan),
        S("pl_fp_opusplan1m", "opusplan[1m] in plan mode", fp(), "--model", "opusplan[1m]", *plan),
        S("pl_fp_opusplan_opus46", "opusplan plan mode with DEFAULT_OPUS=claude-opus-4-6", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="claude-opus-4-6"), "--model", "opusplan", *plan),
        S("pl_bd_opusplan", "Bedrock opusplan in plan mode: side on the sonnet half", bd(), "--model", "opusplan", *plan),
        S("pl_vx_opusplan", "Vertex opusplan in plan mode", vx(), "--model", "opusplan", *plan),
        S("pl_bd_haiku", "Bedrock haiku in plan mode", bd(), "--model", "haiku", *plan),
    ]  # fmt: skip


def _side() -> list[Scenario]:
    return [
        S("sq_fp_authtoken", "auth token through a custom base URL: side on the main model", {"ANTHROPIC_BASE_URL": FAKE, "ANTHROPIC_AUTH_TOKEN": "fake-auth-token-0000"}),
        S("sq_fp_nonconsole_key", "non-console key through a custom base URL", {"ANTHROPIC_BASE_URL": FAKE, "ANTHROPIC_API_KEY": "fake-proxy-key-0000"}),
        S("sq_fp_env_effort", "CLAUDE_CODE_EFFORT_LEVEL applies to side queries", fp(CLAUDE_CODE_EFFORT_LEVEL="high")),
        S("sq_fp_cli_effort", "--effort does not apply to side queries", fp(), "--effort", "low"),
        S("sq_bd_explicit_main", "Bedrock explicit main model: side on it", bd(), "--model", "opus"),
        S("sq_bd_opus_override", "Bedrock DEFAULT_OPUS only: side on the sonnet", bd(ANTHROPIC_DEFAULT_OPUS_MODEL="us.anthropic.claude-opus-4-6-v1")),
        S("sq_bd_sonnet_override", "Bedrock DEFAULT_SONNET: side on it", bd(ANTHROPIC_DEFAULT_SONNET_MODEL="us.anthropic.claude-sonnet-4-6")),
        S("sq_bd_haiku_override", "Bedrock DEFAULT_HAIKU: side on it", bd(ANTHROPIC_DEFAULT_HAIKU_MODEL="us.anthropic.claude-haiku-4-5-20251001-v1:0")),
        S("sq_vx_explicit_main", "Vertex explicit main model", vx(), "--model", "opus"),
        S("sq_fd_default", "Foundry: side on the main model", fd()),
        S("sq_fp_haiku404", "first party, haiku-5-5 refused 404", fp(), refuse=[("haiku-5-5", 404)]),
        S("sq_fp_haiku403", "first party, haiku-5-5 refused 403", fp(), refuse=[("haiku-5-5", 403)]),
        S("sq_bd_sonnet403", "Bedrock default, side sonnet-4-5 refused 403", bd(), refuse=[("sonnet-4-5", 403)]),
        S("sq_bd_sonnet404", "Bedrock default, side sonnet-4-5 refused 404", bd(), refuse=[("sonnet-4-5", 404)]),
        S("sq_bd_haiku_override403", "Bedrock DEFAULT_HAIKU refused 403", bd(ANTHROPIC_DEFAULT_HAIKU_MODEL="us.anthropic.claude-haiku-4-5-20251001-v1:0"), refuse=[("haiku-4-5", 403)]),
        S("sq_vx_haiku_override404", "Vertex DEFAULT_HAIKU refused 404", vx(ANTHROPIC_DEFAULT_HAIKU_MODEL="claude-haiku-4-5@20251001"), refuse=[("haiku-4-5", 404)]),
        S("sq_vx_default404", "Vertex default, static side model refused 404", vx(), refuse=[("sonnet", 404)]),
        S("sq_fd_haiku_override404", "Foundry DEFAULT_HAIKU refused 404", fd(ANTHROPIC_DEFAULT_HAIKU_MODEL="claude-haiku-4-5"), refuse=[("haiku-4-5", 404)]),
        S("sq_fd_main_side404", "Foundry --model sonnet refused once: side is the main model", fd(), "--model", "sonnet", refuse=[("sonnet", 404)], refuse_times=2),
        S("sq_gw_haiku404", "gateway haiku-5-5 refused 404", gw(), refuse=[("haiku-5-5", 404)]),
        S("sq_mt_default", "Mantle default: side on the main model", mt()),
        S("sq_aws_default", "Anthropic on AWS: side on haiku-4-5", aws()),
        S("sq_small_fast404", "SMALL_FAST refused 404", fp(ANTHROPIC_SMALL_FAST_MODEL="claude-haiku-4-5"), refuse=[("haiku-4-5", 404)]),
        S("sq_fp_webfetch", "first party WebFetch summary", fp(), side=WEB),
        S("sq_bd_webfetch", "Bedrock WebFetch summary", bd(), side=WEB),
        S("sq_vx_webfetch", "Vertex WebFetch summary", vx(), side=WEB),
        S("sq_fd_webfetch", "Foundry WebFetch summary", fd(), side=WEB),
        S("sq_fp_webfetch_haiku404", "first party WebFetch, haiku-5-5 refused 404", fp(), side=WEB, refuse=[("haiku-5-5", 404)]),
        S("sq_bd_webfetch_sonnet404", "Bedrock WebFetch, sonnet-4-5 refused 404", bd(), side=WEB, refuse=[("sonnet-4-5", 404)]),
        S("sq_vx_webfetch_sonnet404", "Vertex WebFetch, the static side model refused 404", vx(), side=WEB, refuse=[("sonnet-5-5", 404), ("sonnet-4-5", 404)]),
    ]  # fmt: skip


def _subagents() -> list[Scenario]:
    probe = ".claude/agents/probe.md"
    return [
        S("sa_inherit_default", "Agent without model inherits", fp(), agent=agent()),
        S("sa_param_sonnet", "Agent(model=sonnet)", fp(), agent=agent("sonnet")),
        S("sa_param_haiku", "Agent(model=haiku)", fp(), agent=agent("haiku")),
        S("sa_param_opus_main_haiku", "Agent(model=opus) under --model haiku", fp(), "--model", "haiku", agent=agent("opus")),
        S("sa_param_fable", "Agent(model=fable)", fp(), agent=agent("fable")),
        S("sa_param_inherit_rejected", "Agent(model=inherit) is rejected", fp(), agent=agent("inherit")),
        S("sa_family_keeps_parent", "Agent(model=opus) under claude-opus-4-6", fp(), "--model", "claude-opus-4-6", agent=agent("opus")),
        S("sa_family_sonnet45_1m", "Agent(model=sonnet) under claude-sonnet-4-5[1m]", fp(), "--model", "claude-sonnet-4-5[1m]", agent=agent("sonnet")),
        S("sa_env_haiku", "CLAUDE_CODE_SUBAGENT_MODEL=haiku", fp(CLAUDE_CODE_SUBAGENT_MODEL="haiku"), agent=agent()),
        S("sa_env_vs_param", "tool param beats CLAUDE_CODE_SUBAGENT_MODEL", fp(CLAUDE_CODE_SUBAGENT_MODEL="haiku"), agent=agent("sonnet")),
        S("sa_force_env_vs_param", "FORCE makes CLAUDE_CODE_SUBAGENT_MODEL win", fp(CLAUDE_CODE_SUBAGENT_MODEL="haiku", CLAUDE_CODE_SUBAGENT_MODEL_FORCE="1"), agent=agent("sonnet")),
        S("sa_env_inherit_param_haiku", "SUBAGENT_MODEL=inherit does not stop Agent(model=haiku)", fp(CLAUDE_CODE_SUBAGENT_MODEL="inherit"), agent=agent("haiku")),
        S("sa_custom_haiku", "custom agent with model: haiku", fp(), files={probe: PROBE_AGENT.format(model="haiku")}, agent=agent(subagent_type="probe")),
        S("sa_custom_nomodel", "custom agent without model inherits", fp(), files={probe: PROBE_AGENT_NOMODEL}, agent=agent(subagent_type="probe")),
        S("sa_custom_inherit", "custom agent model: inherit", fp(), files={probe: PROBE_AGENT.format(model="inherit")}, agent=agent(subagent_type="probe")),
        S("sa_custom_vs_param", "tool param beats frontmatter", fp(), files={probe: PROBE_AGENT.format(model="haiku")}, agent=agent("sonnet", subagent_type="probe")),
        S("sa_custom_vs_env", "frontmatter beats CLAUDE_CODE_SUBAGENT_MODEL", fp(CLAUDE_CODE_SUBAGENT_MODEL="sonnet"), files={probe: PROBE_AGENT.format(model="haiku")}, agent=agent(subagent_type="probe")),
        S("sa_explore", "built-in Explore inherits", fp(), agent=agent(subagent_type="Explore")),
        S("sa_effort_param", "Agent(effort=low)", fp(), agent=agent("sonnet", effort="low")),
        S("sa_effort_env_vs_param", "CLAUDE_CODE_EFFORT_LEVEL beats the Agent effort", fp(CLAUDE_CODE_EFFORT_LEVEL="high"), agent=agent("sonnet", effort="low")),
        S("sa_effort_frontmatter", "frontmatter effort", fp(), files={probe: PROBE_AGENT_EFFORT.format(model="sonnet", effort="high")}, agent=agent(subagent_type="probe")),
        S("sa_opus46_default_effort", "Agent under DEFAULT_OPUS=claude-opus-4-6 gets its own default", fp(ANTHROPIC_DEFAULT_OPUS_MODEL="claude-opus-4-6"), agent=agent("opus")),
        S("sa_bd_param_haiku", "Bedrock eu-west-1 Agent(model=haiku)", bd("eu-west-1"), agent=agent("haiku")),
        S("sa_bd_env_sonnet", "Bedrock CLAUDE_CODE_SUBAGENT_MODEL=sonnet", bd(CLAUDE_CODE_SUBAGENT_MODEL="sonnet"), agent=agent()),
        S("sa_bd_parent_prefix", "Bedrock eu parent id gives the eu sonnet", bd(), "--model", "eu.anthropic.claude-opus-4-6-v1", agent=agent("sonnet")),
        S("sa_vx_param_haiku", "Vertex Agent(model=haiku)", vx(), agent=agent("haiku")),
        S("sa_vx_param_sonnet", "Vertex Agent(model=sonnet)", vx(), agent=agent("sonnet")),
        S("sa_fd_inherit", "Foundry Agent without model", fd(), agent=agent()),
        S("sa_fd_param_opus", "Foundry Agent(model=opus)", fd(), agent=agent("opus")),
        S("sa_mt_param_haiku", "Mantle Agent(model=haiku)", mt(), agent=agent("haiku")),
        S("sa_opusplan_default_mode", "opusplan outside plan mode, Agent without model", fp(), "--model", "opusplan", agent=agent()),
    ]  # fmt: skip


def _fallbacks() -> list[Scenario]:
    opus = [("opus-5-5", 404)]
    return [
        S("fb_fp_main404_none", "first party opus refused 404, no fallback", fp(), refuse=opus),
        S("fb_fp_main403_none", "first party opus refused 403, no fallback", fp(), refuse=[("opus-5-5", 403)]),
        S("fb_fp_main404_fallback", "first party opus 404, --fallback-model sonnet", fp(), "--fallback-model", "sonnet", refuse=opus),
        S("fb_fp_main404_chain", "opus and sonnet refused, --fallback-model sonnet,haiku", fp(), "--fallback-model", "sonnet,haiku", refuse=[("opus-5-5", 404), ("sonnet-5-5", 404)]),
        S("fb_fp_four_fallbacks", "four fallbacks, the first three refused", fp(), "--fallback-model", "sonnet,haiku,claude-opus-4-6,claude-sonnet-4-6", refuse=[("opus-5-5", 404), ("sonnet-5-5", 404), ("haiku-5-5", 404), ("opus-4-6", 404)]),
        S("fb_fp_settings_list", "settings fallbackModel list", fp(), files={USER: {"fallbackModel": ["sonnet"]}}, refuse=opus),
        S("fb_fp_settings_string", "settings fallbackModel as a string is ignored", fp(), files={USER: {"fallbackModel": "sonnet"}}, refuse=opus),
        S("fb_fp_529_fallback", "529 on opus with retries 4 and --fallback-model sonnet", fp(CLAUDE_CODE_MAX_RETRIES="4"), "--fallback-model", "sonnet", refuse=[("opus", 529)]),
        S("fb_fp_529_retries1", "529 on opus with retries 1", fp(CLAUDE_CODE_MAX_RETRIES="1"), "--fallback-model", "sonnet", refuse=[("opus", 529)]),
        S("fb_gw_main404", "gateway opus refused 404: no automatic fallback", gw(), refuse=opus),
        S("fb_bd_main404", "Bedrock opus refused 404", bd(), refuse=opus),
        S("fb_bd_main403", "Bedrock opus refused 403", bd(), refuse=[("opus-5-5", 403)]),
        S("fb_bd_opus5_too", "Bedrock opus-5-5 and opus-5 refused", bd(), refuse=[("opus-5", 404)]),
        S("fb_bd_sonnet45_404", "Bedrock --model sonnet refused 404", bd(), "--model", "sonnet", refuse=[("sonnet-4-5", 404)]),
        S("fb_bd_full_id", "Bedrock full provider id refused: no automatic fallback", bd(), "--model", "us.anthropic.claude-opus-5-5", refuse=opus),
        S("fb_bd_no_model_fallback", "Bedrock CLAUDE_CODE_NO_MODEL_FALLBACK=1", bd(CLAUDE_CODE_NO_MODEL_FALLBACK="1"), refuse=opus),
        S("fb_bd_disable_access_fallback", "Bedrock CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK=1", bd(CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK="1"), refuse=opus),
        S("fb_bd_configured_first", "Bedrock configured --fallback-model still comes first", bd(), "--fallback-model", "haiku", refuse=opus),
        S("fb_vx_main404", "Vertex opus refused 404", vx(), refuse=opus),
        S("fb_vx_sonnet404", "Vertex --model sonnet refused 404", vx(), "--model", "sonnet", refuse=[("sonnet-5-5", 404), ("sonnet-4-5", 404)]),
        S("fb_fd_main404", "Foundry default refused 404", fd(), refuse=[("sonnet-5-5", 404), ("sonnet-4-5", 404)]),
        S("fb_fd_main403", "Foundry default refused 403", fd(), refuse=[("sonnet-5-5", 403), ("sonnet-4-5", 403)]),
        S("fb_fd_opus404", "Foundry --model opus refused 404", fd(), "--model", "opus", refuse=[("opus", 404)]),
    ]  # fmt: skip


def _fast() -> list[Scenario]:
    fast = {FLAG: {"fastMode": True}}
    return [
        S("fm_flag_fast", "--settings fastMode true", fp(), files=fast),
        S("fm_user_fast", "user fastMode true needs the SDK opt-in", fp(), files={USER: {"fastMode": True}}),
        S("fm_flag_sonnet", "flag fastMode with --model sonnet", fp(), "--model", "sonnet", files=fast),
        S("fm_flag_allow_sonnet", "flag fastMode with availableModels [sonnet]", fp(), files={**fast, USER: {"availableModels": ["sonnet"]}}),
        S("fm_bd", "Bedrock flag fastMode", bd(), files=fast),
        S("fm_vx_east5", "Vertex us-east5 flag fastMode", vx(), files=fast),
        S("fm_vx_global", "Vertex global flag fastMode", vx("global"), files=fast),
        S("fm_fd", "Foundry flag fastMode", fd(), files=fast),
        S("fm_gw", "gateway flag fastMode", gw(), files=fast),
    ]  # fmt: skip


def _profiles() -> list[Scenario]:
    eu_us = ["us.anthropic.claude-opus-5-5", "eu.anthropic.claude-opus-5-5"]
    return [
        S("bp_region_match_wins", "us-east-1 with eu and us listed: us", bd(), profiles=list(reversed(eu_us))),
        S("bp_eu_match_wins", "eu-west-1 with us then eu listed: eu", bd("eu-west-1"), profiles=eu_us),
        S("bp_global_only", "us-east-1 with only global listed", bd(), profiles=["global.anthropic.claude-opus-5-5", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"]),
        S("bp_eu_with_us_only", "eu-west-1 with only us listed", bd("eu-west-1"), profiles=["us.anthropic.claude-opus-5-5"]),
        S("bp_jp", "ap-northeast-1 with jp listed", bd("ap-northeast-1"), profiles=["jp.anthropic.claude-opus-5-5", "jp.anthropic.claude-sonnet-4-5-20250929-v1:0"]),
        S("bp_empty", "an empty listing leaves the built-in ids", bd(), profiles=[]),
        S("bp_subagent", "profiles apply to subagents", bd(), profiles=["global.anthropic.claude-haiku-4-5-20251001-v1:0"], agent=agent("haiku")),
    ]  # fmt: skip


def _model_overrides() -> list[Scenario]:
    return [
        S("mo_fp_opus_to_46", "first party modelOverrides claude-opus-5-5 -> claude-opus-4-6", fp(), files={USER: {"modelOverrides": {"claude-opus-5-5": "claude-opus-4-6"}}}),
        S("mo_fp_short_key_ignored", "modelOverrides key claude-sonnet-4-5 (not the catalog id) is ignored", fp(), "--model", "claude-sonnet-4-5-20250929", files={USER: {"modelOverrides": {"claude-sonnet-4-5": "claude-opus-4-6"}}}),
        S("mo_fp_alias_key_ignored", "modelOverrides key opus is ignored", fp(), files={USER: {"modelOverrides": {"opus": "claude-opus-4-6"}}}),
        S("mo_fp_unknown_target", "modelOverrides to an unknown id reports 200k", fp(), files={PROJECT: {"modelOverrides": {"claude-opus-5-5": "my-custom-opus"}}}),
        S("mo_fp_unknown_target_cli", "--model opus, overridden to an unknown id", fp(), "--model", "opus", files={PROJECT: {"modelOverrides": {"claude-opus-5-5": "my-custom-opus"}}}),
        S("mo_fp_unknown_target_sonnet", "--model sonnet, overridden to an unknown id", fp(), "--model", "sonnet", files={PROJECT: {"modelOverrides": {"claude-sonnet-5-5": "my-custom-sonnet"}}}),
        S("mo_bd_sonnet_arn", "Bedrock modelOverrides sonnet-4-5 -> an ARN (side query)", bd(), files={USER: {"modelOverrides": {"claude-sonnet-4-5-20250929": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/sonnet"}}}),
        S("mo_fp_side", "modelOverrides applies to side queries", fp(), files={USER: {"modelOverrides": {"claude-haiku-5-5": "claude-haiku-4-5-20251001"}}}),
        S("mo_fp_subagent", "modelOverrides applies to subagents", fp(), files={USER: {"modelOverrides": {"claude-sonnet-5-5": "claude-sonnet-4-6"}}}, agent=agent("sonnet")),
    ]  # fmt: skip


def _user_betas() -> list[Scenario]:
    """ANTHROPIC_BETAS (docs/decisions/measure.md): which betas are sent, on which provider,
    by which role; the same in 2.1.328, 2.1.331 and 2.1.332."""
    c1m = "context-1m-2025-08-07"
    mixed = f"foo-2026-01-01,{c1m},effort-2025-11-24"
    return [
        S("ub_fp_list", "ANTHROPIC_BETAS: trimmed, empty parts, repeats, afk-mode and a GA beta", fp(ANTHROPIC_BETAS="foo-2026-01-01, bar-2026-02-02 ,foo-2026-01-01,,afk-mode-2026-01-31,mid-conversation-system-2026-04-07")),
        S("ub_fp_case_space", "ANTHROPIC_BETAS keeps case and inner spaces", fp(ANTHROPIC_BETAS=" FOO-2026 ,a b")),
        S("ub_fp_sonnet45_c1m", "ANTHROPIC_BETAS context-1m on sonnet-4-5: sent, window stays 200k", fp(ANTHROPIC_BETAS=c1m), "--model", "claude-sonnet-4-5"),
        S("ub_fp_sonnet45_1m_c1m", "ANTHROPIC_BETAS context-1m with claude-sonnet-4-5[1m]", fp(ANTHROPIC_BETAS=c1m), "--model", "claude-sonnet-4-5[1m]"),
        S("ub_fp_disable1m_c1m", "CLAUDE_CODE_DISABLE_1M_CONTEXT does not drop a context-1m from ANTHROPIC_BETAS", fp(ANTHROPIC_BETAS=c1m, CLAUDE_CODE_DISABLE_1M_CONTEXT="1"), "--model", "claude-sonnet-4-5"),
        S("ub_fp_subagent", "ANTHROPIC_BETAS on a subagent", fp(ANTHROPIC_BETAS="foo-2026-01-01"), agent=agent("sonnet")),
        S("ub_fp_fallback", "ANTHROPIC_BETAS on the fallback model's request", fp(ANTHROPIC_BETAS="foo-2026-01-01"), "--fallback-model", "sonnet", refuse=[("opus-5-5", 404)]),
        S("ub_fp_no_experimental", "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS keeps ANTHROPIC_BETAS", fp(ANTHROPIC_BETAS="foo-2026-01-01", CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS="1")),
        S("ub_bd", "Bedrock ANTHROPIC_BETAS: only known betas, context-1m in the body", bd(ANTHROPIC_BETAS=mixed)),
        S("ub_bd_sonnet", "Bedrock --model sonnet with ANTHROPIC_BETAS", bd(ANTHROPIC_BETAS=mixed), "--model", "sonnet"),
        S("ub_vx", "Vertex ANTHROPIC_BETAS: only known betas", vx(ANTHROPIC_BETAS=mixed)),
        S("ub_mt", "Mantle ANTHROPIC_BETAS: only known betas", mt(ANTHROPIC_BETAS=mixed)),
        S("ub_fd", "Foundry ANTHROPIC_BETAS: every beta", fd(ANTHROPIC_BETAS=mixed)),
        S("ub_gw", "gateway ANTHROPIC_BETAS: every beta", gw(ANTHROPIC_BETAS=mixed)),
        S("ub_aws", "Anthropic on AWS ANTHROPIC_BETAS: every beta", aws(ANTHROPIC_BETAS=mixed)),
        S("ub_gcp", "Anthropic on Google Cloud ANTHROPIC_BETAS: every beta", gcp(ANTHROPIC_BETAS=mixed)),
    ]  # fmt: skip


def _refusals() -> list[Scenario]:
    """Replies with ``stop_reason: "refusal"`` (category cyber) and the two variables that turn
    Claude Code's answer to them off (docs/decisions/measure.md)."""
    opus = [("opus-5-5", None)]
    return [
        S("rf_fp_opus_once", "opus-5-5 refusal once: one retry on the same model", fp(), refusal=[("opus-5-5", 1)]),
        S("rf_fp_opus", "opus-5-5 always refuses: retry, then claude-opus-4-8", fp(), refusal=opus),
        S("rf_fp_opus_low", "the refusal fallback keeps the session's effort", fp(), "--effort", "low", refusal=opus),
        S("rf_fp_no_retry", "CLAUDE_CODE_DISABLE_REFUSAL_RETRY: no retry, straight to the fallback", fp(CLAUDE_CODE_DISABLE_REFUSAL_RETRY="1"), refusal=opus),
        S("rf_fp_no_fallback", "CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK: retry, then exit 1", fp(CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK="1"), refusal=opus),
        S("rf_fp_neither", "both refusal variables: one request, exit 1", fp(CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK="1", CLAUDE_CODE_DISABLE_REFUSAL_RETRY="1"), refusal=opus),
        S("rf_fp_sonnet", "sonnet-5-5 always refuses: retry, then claude-sonnet-5", fp(), "--model", "sonnet", refusal=[("sonnet-5-5", None)]),
        S("rf_fp_opus46", "opus-4-6 (no refusal_fallback capability): retry, then exit 1", fp(), "--model", "claude-opus-4-6", refusal=[("opus-4-6", None)]),
        S("rf_fp_target_refuses", "the refusal fallback refuses too: exit 1, no further step", fp(), refusal=[("opus-5-5", None), ("opus-4-8", None)]),
        S("rf_fp_fallback_model", "a configured --fallback-model is not the refusal fallback", fp(), "--fallback-model", "sonnet", refusal=opus),
        S("rf_bd_opus", "Bedrock opus-5-5 always refuses", bd(), refusal=opus),
    ]  # fmt: skip


def _variables() -> list[Scenario]:
    """Variables 2.1.332 reads that change nothing the model system reports (evidence)."""
    return [
        S("vr_nobody_chose", "CLAUDE_CODE_MODEL_NOBODY_CHOSE=1 with --model sonnet", fp(CLAUDE_CODE_MODEL_NOBODY_CHOSE="1"), "--model", "sonnet"),
        S("vr_bd_nobody_chose", "Bedrock CLAUDE_CODE_MODEL_NOBODY_CHOSE=1 with --model sonnet", bd(CLAUDE_CODE_MODEL_NOBODY_CHOSE="1"), "--model", "sonnet"),
        S("vr_total_tokens_fixed", "CLAUDE_CODE_TOTAL_TOKENS_REMINDER=fixed", fp(CLAUDE_CODE_TOTAL_TOKENS_REMINDER="fixed")),
        S("vr_total_tokens_off", "CLAUDE_CODE_TOTAL_TOKENS_REMINDER=off on sonnet-4-5", fp(CLAUDE_CODE_TOTAL_TOKENS_REMINDER="off"), "--model", "claude-sonnet-4-5"),
    ]  # fmt: skip


def corpus() -> list[Scenario]:
    """Every scenario, in a stable order (names unique)."""
    out = [
        *_aliases(),
        *_regions(),
        *_ids(),
        *_precedence(),
        *_managed(),
        *_overrides(),
        *_allowlists(),
        *_effort(),
        *_context(),
        *_plan(),
        *_side(),
        *_subagents(),
        *_fallbacks(),
        *_fast(),
        *_profiles(),
        *_model_overrides(),
        *_user_betas(),
        *_refusals(),
        *_variables(),
    ]
    names = [s["name"] for s in out]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f"scenarios: duplicate names {dupes}")
    return out


def is_managed(scenario: Scenario) -> bool:
    return MANAGED in scenario["files"]


def provider_of(scenario: Scenario) -> str:
    env = scenario["env"]
    for var, name in (
        ("CLAUDE_CODE_USE_BEDROCK", "bedrock"),
        ("CLAUDE_CODE_USE_VERTEX", "vertex"),
        ("CLAUDE_CODE_USE_FOUNDRY", "foundry"),
        ("CLAUDE_CODE_USE_MANTLE", "mantle"),
        ("CLAUDE_CODE_USE_ANTHROPIC_AWS", "anthropicAws"),
        ("CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD", "anthropicGoogleCloud"),
        ("CLAUDE_CODE_USE_GATEWAY", "gateway"),
    ):
        if env.get(var):
            return name
    return "firstParty"


def effective_files(scenario: Scenario) -> dict[str, Any]:
    """The scenario's files with the side-query hook (and, for WebFetch, the preflight skip:
    the domain check would go to claude.ai) merged into user settings."""
    files = dict(scenario["files"])
    side = scenario.get("side") or ""
    user = files.get(USER)
    merged = dict(user) if isinstance(user, dict) else {}
    if "hook" in side:
        merged.update(HOOK)
    if "webfetch" in side:
        merged["skipWebFetchPreflight"] = True
    if merged:
        files[USER] = merged
    return files


def file_path(key: str, *, home: Path, cwd: Path) -> Path:
    """Where a ``files`` key other than :data:`MANAGED` / :data:`FLAG` is written: ``~/x`` under
    ``home``, ``x`` under ``cwd``. A key that would land elsewhere (an absolute path, a ``..``
    part, ``~user/``, an existing symlink pointing out) is refused, naming the key."""
    in_home = key.startswith("~/")
    root, rel = (home, key[2:]) if in_home else (cwd, key)
    pure = PurePosixPath(rel)
    if not rel or pure.is_absolute() or ".." in pure.parts or (key[:1] == "~" and not in_home):
        raise ValueError(
            f"scenario file {key!r}: give a relative path under the working directory or '~/' "
            "(no absolute path, no '..', no '~user/')"
        )
    path = root / rel
    if not path.resolve().is_relative_to(root.resolve()):
        raise ValueError(f"scenario file {key!r}: a symlink on the way leads out of {root}")
    return path


def write_files(
    files: Mapping[str, Any], *, home: Path, cwd: Path, tmp: Path, managed: bool = True
) -> list[str]:
    """Write a scenario's (or a conformance case's) ``files``: a string as it is, anything else
    as indented JSON. Returns the flags they imply: ``--settings`` for :data:`FLAG` (written
    under ``tmp``) and, with ``managed``, ``--managed-settings`` for :data:`MANAGED` (written
    under ``tmp``: what ``claude-models`` takes). ``managed=False`` leaves the policy out (the
    real binary reads it from ``/etc``: ``observe.managed_policy`` puts it there)."""
    extra: list[str] = []
    for key, content in files.items():
        if key == MANAGED:
            if not managed:
                continue
            path = tmp / "managed-settings.json"
            extra += ["--managed-settings", str(path)]
        elif key == FLAG:
            path = tmp / "flag-settings.json"
            extra += ["--settings", str(path)]
        else:
            path = file_path(key, home=home, cwd=cwd)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return extra
