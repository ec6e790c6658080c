"""The checks of issue 16: every way a model configuration is known to fail or surprise.

One module per group, each a pure function ``check(ctx, parts) -> list[Warning]`` over what
the resolver computed (no disk, no environment of its own):

- :mod:`.ids`: every model id in every slot against the catalog, with "did you mean".
- :mod:`.provider`: ids spelled for another provider, malformed Bedrock ids, unknown regions and
  locations, a missing Vertex project, two provider switches.
- :mod:`.names`: settings keys and ``CLAUDE_CODE_*`` / ``ANTHROPIC_*`` variable names against
  Claude Code's own (``_data/claude_code_names.json``, read from its binary).
- :mod:`.surprises`: what users report as surprises (``[1m]`` on one slot only, effort ``max``
  in settings, an allowlist that is not enforced, costly side queries and subagents, a managed
  policy file that is missing or unusable, ...).

:data:`CODES` lists the codes added here; :data:`SEVERITY` gives every code (these and
:data:`claude_models.warnings.CODES`) its severity: ``error`` (requests will fail or policy is
not what the admin wrote), ``warning`` (a likely surprise or cost) or ``info``.
:func:`finish` is the one call :func:`claude_models.warnings.collect` makes.
"""

from __future__ import annotations

from claude_models.result import Warning

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from claude_models.diagnostics.collect import Parts
    from claude_models.resolvers.context import Ctx

ERROR: Final = "error"
WARNING: Final = "warning"
INFO: Final = "info"
LEVELS: Final = (ERROR, WARNING, INFO)

CODES: Final[dict[str, str]] = {
    # ids
    "model_id_typo": "a model id that is not Claude Code's but close to one (a typo)",
    "allowlist_entry_unknown": "an availableModels / deniedModels entry that matches no model",
    "model_not_on_provider": "a known model this provider does not serve",
    "model_override_unused": "a modelOverrides key that is not a first-party model id",
    "model_id_untranslated": "a catalog id that is not the first-party id, sent untranslated",
    # provider
    "model_id_wrong_provider": "an id spelled for another provider, sent verbatim",
    "bedrock_id_malformed": "a Bedrock id without its version suffix or with another geo prefix",
    "region_unknown": "an AWS region or Vertex location that does not exist",
    "vertex_project_missing": "Vertex without ANTHROPIC_VERTEX_PROJECT_ID",
    "provider_switch_conflict": "more than one CLAUDE_CODE_USE_* switch is on",
    # names
    "settings_key_typo": "a misspelt model-system settings key: the setting is not applied",
    "env_name_typo": "a misspelt CLAUDE_CODE_* / ANTHROPIC_* variable: it is not read",
    "env_name_unknown": "a CLAUDE_CODE_* / ANTHROPIC_* variable Claude Code does not read",
    "not_modelled": "variables or settings Claude Code reads that claude-models does not model",
    # surprises
    "one_m_partial": "[1m] on some model slots but not on others",
    "subagent_model_shadowed": "CLAUDE_CODE_SUBAGENT_MODEL and agent frontmatter pins disagree",
    "agent_first_party_id": "an agent pins a first-party id on a third-party provider",
    "effort_max_in_settings": "effortLevel 'max' in settings is dropped by Claude Code",
    "allowlist_not_enforced": "availableModels without enforceAvailableModels: the default runs",
    "side_model_expensive": "side queries run on a model that costs more than the haiku slot",
    "subagent_model_expensive": "subagents run on a model that costs more than the main loop",
    "managed_policy_missing": "the managed policy file named does not exist",
}

SEVERITY: Final[dict[str, str]] = {
    # claude_models.warnings.CODES
    "settings_unusable": ERROR,
    "settings_wrong_type": ERROR,
    "settings_unknown_key": WARNING,
    "env_invalid_value": ERROR,
    "effort_invalid": WARNING,
    "setting_ignored_in_scope": ERROR,
    "model_replaced_by_default": ERROR,
    "allowlist_excludes_model": WARNING,
    "side_on_main_model": WARNING,
    "haiku_alias_sent_literally": ERROR,
    # policy (issue 12): policy works as written, but what the user configured does not run
    "model_override_not_applied": WARNING,
    "fallback_model_dropped": WARNING,
    # releases (issue 13)
    "claude_code_release": WARNING,  # the modelled release is not the installed one
    "unmeasured_variable": INFO,  # a variable 2.1.332 reads whose effect was not measured
    "effort_clamped": INFO,
    "effort_dropped": INFO,
    "env_overrides_setting": INFO,
    "model_retired": ERROR,
    "model_retiring": WARNING,
    "unknown_model": WARNING,
    "subagent_model_replaced": WARNING,
    "subagent_call_rejected": ERROR,
    "skill_model_replaced": WARNING,
    "legacy_model_remapped": INFO,
    "provider_alias_quirk": INFO,
    "fallback_models_truncated": WARNING,
    "load_problem": WARNING,
    # claude_models.checks.CODES
    "model_id_typo": ERROR,
    "allowlist_entry_unknown": WARNING,
    "model_not_on_provider": ERROR,
    "model_override_unused": WARNING,
    "model_id_untranslated": ERROR,
    "model_id_wrong_provider": ERROR,
    "bedrock_id_malformed": ERROR,
    "region_unknown": ERROR,
    "vertex_project_missing": ERROR,
    "provider_switch_conflict": WARNING,
    "settings_key_typo": ERROR,
    "env_name_typo": ERROR,
    "env_name_unknown": INFO,
    "not_modelled": INFO,
    "one_m_partial": WARNING,
    "subagent_model_shadowed": WARNING,
    "agent_first_party_id": WARNING,
    "effort_max_in_settings": WARNING,
    "allowlist_not_enforced": WARNING,
    "side_model_expensive": WARNING,
    "subagent_model_expensive": WARNING,
    "managed_policy_missing": WARNING,  # "no policy" by the contract; unparseable is an error
}


def severity_of(code: str) -> str:
    """The severity of a warning code (``warning`` for a code this table does not know)."""
    return SEVERITY.get(code, WARNING)


def finish(ctx: Ctx, parts: Parts, found: list[Warning]) -> tuple[Warning, ...]:
    """Today's warnings plus the checks of this package, each with its severity."""
    from claude_models.checks import _catalog, ids, names, provider, surprises

    out = list(found)
    slots = _catalog.slots(ctx, parts)  # every model id of the configuration, once
    new: list[Warning] = []
    new += ids.check(ctx, slots, out)
    new += provider.check(ctx, slots)
    new += names.check(ctx, out)
    new += surprises.check(ctx, parts, out)
    seen: set[tuple[str, str]] = set()
    result: list[Warning] = []
    for w in [*out, *new]:
        if (w.code, w.message) in seen:
            continue
        seen.add((w.code, w.message))
        result.append(Warning(w.code, w.message, severity_of(w.code)))
    return tuple(result)


__all__ = ["CODES", "ERROR", "INFO", "LEVELS", "SEVERITY", "WARNING", "finish", "severity_of"]
