"""Claude Code's catalog layout -> the project's registry data (one release's ``_data`` file).

The catalog (read from a release's binary by :mod:`claude_models.bundle`, or its copy in
``reference/``) is the source of the *facts*. :func:`registry_data` maps its layout onto the
registry's and applies the few corrections that were observed (``OBSERVED``, each with the
observation that justifies it). It never invents ids. ``tools/build_registry.py`` runs it for
every modelled release; :mod:`claude_models.installed` runs it on the catalog of an installed
release newer than any modelled.
"""

from __future__ import annotations

from datetime import datetime

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

# catalog provider key -> the provider name used everywhere in this project (resolve --json)
PROVIDER_KEYS: Final[dict[str, str]] = {
    "first_party": "firstParty",
    "bedrock": "bedrock",
    "vertex": "vertex",
    "foundry": "foundry",
    "anthropic_aws": "anthropicAws",
    "anthropic_google_cloud": "anthropicGoogleCloud",
    "mantle": "mantle",
    "gateway": "gateway",
}

# Corrections observed in Claude Code 2.1.328 (BEHAVIOUR.md section 6), keyed by catalog id.
# They held in every release measured since (CHANGES.md reports no change to them).
OBSERVED: Final[dict[str, dict[str, Any]]] = {
    # "opus-4-5-20251101 | 32000 | high (catalog lists no `effort` capability) | enabled",
    # on first party and Foundry only: Bedrock and Vertex get no effort (harness, 2.1.328 and
    # 2.1.332: id_bd_opus45, id_bd_opus45_dated, id_vx_opus45, id_vx_opus45_dated).
    "claude-opus-4-5": {
        "add_capabilities": ["effort"],
        "default_effort": "high",
        "effort_withheld_on": ["bedrock", "vertex"],
    },
    # "3-5-haiku | 8192 | - | none": the claude-3-5 generation has no extended thinking.
    "claude-3-5-haiku": {"thinking": "none"},
    "claude-3-5-sonnet": {"thinking": "none"},
}


class CatalogError(ValueError):
    """A catalog that does not have the layout this project reads (one line)."""


def _date(text: str | None) -> str | None:
    if not text:
        return None
    return datetime.strptime(text, "%B %d, %Y").date().isoformat()


def _model(m: dict[str, Any], tiers: dict[str, Any]) -> dict[str, Any]:
    fix = OBSERVED.get(m["id"], {})
    caps = sorted(set(m.get("capabilities", [])) | set(fix.get("add_capabilities", [])))
    ctx = m.get("context", {})
    window = ctx.get("window", 200000)
    thinking = fix.get("thinking") or ("adaptive" if "adaptive_thinking" in caps else "budget")
    default_effort = fix.get("default_effort", m.get("default_effort"))
    if default_effort is None and "effort" in caps:
        default_effort = "high"  # BEHAVIOUR.md 6: opus-4-6 and sonnet-4-6 default to high
    out: dict[str, Any] = {
        "id": m["id"],
        "family": m["family"],
        "display_name": m["display_name"],
        "knowledge_cutoff": m.get("knowledge_cutoff"),
        "ids": {PROVIDER_KEYS[k]: v for k, v in m["provider_ids"].items()},
        "vertex_region_env": m.get("vertex_region_env_var"),
        "fallback_3p": m.get("fallback_3p"),
        "context_window": window,
        "native_1m": bool(ctx.get("native_1m", False)),
        "beta_1m": bool(ctx.get("supports_1m_beta", False)) and window < 1_000_000,
        "max_output_default": m["max_output_tokens"]["default"],
        "max_output_upper": m["max_output_tokens"]["upper"],
        "pricing": tiers[m["pricing"]],
        "capabilities": caps,
        "default_effort": default_effort if "effort" in caps else None,
        "thinking": thinking,
    }
    if fix.get("effort_withheld_on"):
        out["effort_withheld_on"] = sorted(fix["effort_withheld_on"])
    return out


def _alias_quirks(models: list[dict[str, Any]], aliases: dict[str, Any]) -> dict[str, Any]:
    """BEHAVIOUR.md 8e: on Mantle ``--model sonnet`` sent ``anthropic.claude-haiku-4-5`` in
    2.1.328, whose catalog points Mantle's sonnet at sonnet-4-5, a model with no Mantle id.
    From 2.1.332 the catalog points it at sonnet-5 (which has one) and the quirk is gone
    (CHANGES.md). So the quirk is data: it holds while the target has no Mantle id."""
    by_id = {m["id"]: m for m in models}
    target = aliases.get("sonnet", {}).get("providers", {}).get("mantle")
    known = by_id.get(target or "")
    if known is not None and known["ids"].get("mantle") is None:
        return {"mantle": {"sonnet": "claude-haiku-4-5"}}
    return {}


def registry_data(catalog: dict[str, Any], release: str) -> dict[str, Any]:
    """The registry data of one release from its catalog (reference layout)."""
    try:
        tiers = catalog["pricing_tiers"]
        models = [_model(m, tiers) for m in catalog["models"]]
        deprecations = [
            {
                "match": key,
                "name": dep["modelName"],
                "retirement": {p: _date(d) for p, d in dep["retirementDates"].items()},
                "remap_to_alias": "opus" if dep.get("remappedTo") == "the latest Opus" else None,
            }
            for key, dep in catalog["deprecations"].items()
        ]
        aliases = {
            name: {
                "default": a["default"],
                "providers": {PROVIDER_KEYS[k]: v for k, v in a.get("per_provider", {}).items()},
            }
            for name, a in catalog["aliases"].items()
        }
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CatalogError(
            f"the catalog of {release} does not have the expected layout ({exc!r})"
        ) from None
    return {
        "_comment": (
            f"The claude-models registry of Claude Code {release}, built by "
            "tools/build_registry.py from the catalog embedded in that release. Do not edit: "
            "rebuild it."
        ),
        "release": release,
        "providers": list(PROVIDER_KEYS.values()),
        "models": models,
        "aliases": aliases,
        "best": catalog.get("best", "opus"),
        # BEHAVIOUR.md 1: the no-model default is opus everywhere observed, except Foundry.
        "default_alias": {
            p: ("sonnet" if p == "foundry" else "opus") for p in PROVIDER_KEYS.values()
        },
        "alias_quirks": _alias_quirks(models, aliases),
        "fast_mode_model": "claude-opus-5-5",
        "betas": {"context_1m": "context-1m-2025-08-07", "fast_mode": "fast-mode-2026-02-01"},
        "deprecations": deprecations,
    }


__all__ = ["OBSERVED", "PROVIDER_KEYS", "CatalogError", "registry_data"]
