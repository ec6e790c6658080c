"""Build ``src/claude_models/_data/models.json`` from Claude Code's embedded model catalog.

Usage: ``python tools/build_registry.py [--check] [CATALOG_JSON]`` (default: the catalog copy in
``reference/``). ``--check`` fails when the committed ``models.json`` is not what the catalog gives.

The catalog is the source of the *facts*; ``models.json`` is the project's own registry and the
one place a new model is added by hand. This importer exists for the next catalog drop: it
maps the catalog's layout onto ours and applies the few corrections that BEHAVIOUR.md observed
(``OBSERVED`` below, each with the observation that justifies it). It never invents ids.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CATALOG = ROOT / "reference/claude-code-2.1.328-model-catalog.json"
OUT = ROOT / "src/claude_models/_data/models.json"

# catalog provider key -> the provider name used everywhere in this project (resolve --json)
PROVIDERS = {
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
OBSERVED: dict[str, dict[str, Any]] = {
    # "opus-4-5-20251101 | 32000 | high (catalog lists no `effort` capability) | enabled"
    "claude-opus-4-5": {"add_capabilities": ["effort"], "default_effort": "high"},
    # "3-5-haiku | 8192 | - | none": the claude-3-5 generation has no extended thinking.
    "claude-3-5-haiku": {"thinking": "none"},
    "claude-3-5-sonnet": {"thinking": "none"},
}


def _date(text: str | None) -> str | None:
    if not text:
        return None
    return datetime.strptime(text, "%B %d, %Y").date().isoformat()


def build(catalog: dict[str, Any]) -> dict[str, Any]:
    tiers = catalog["pricing_tiers"]
    models = []
    for m in catalog["models"]:
        fix = OBSERVED.get(m["id"], {})
        caps = sorted(set(m.get("capabilities", [])) | set(fix.get("add_capabilities", [])))
        ctx = m.get("context", {})
        window = ctx.get("window", 200000)
        thinking = fix.get("thinking") or ("adaptive" if "adaptive_thinking" in caps else "budget")
        default_effort = fix.get("default_effort", m.get("default_effort"))
        if default_effort is None and "effort" in caps:
            default_effort = "high"  # BEHAVIOUR.md 6: opus-4-6 and sonnet-4-6 default to high
        models.append(
            {
                "id": m["id"],
                "family": m["family"],
                "display_name": m["display_name"],
                "knowledge_cutoff": m.get("knowledge_cutoff"),
                "ids": {PROVIDERS[k]: v for k, v in m["provider_ids"].items()},
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
        )
    deprecations = []
    for key, dep in catalog["deprecations"].items():
        deprecations.append(
            {
                "match": key,
                "name": dep["modelName"],
                "retirement": {p: _date(d) for p, d in dep["retirementDates"].items()},
                "remap_to_alias": "opus" if dep.get("remappedTo") == "the latest Opus" else None,
            }
        )
    aliases = {}
    for name, a in catalog["aliases"].items():
        aliases[name] = {
            "default": a["default"],
            "providers": {PROVIDERS[k]: v for k, v in a.get("per_provider", {}).items()},
        }
    return {
        "_comment": (
            "The claude-models registry. Built once from Claude Code 2.1.328's catalog by "
            "tools/build_registry.py; from now on, add a model by adding one entry to 'models'."
        ),
        "providers": list(PROVIDERS.values()),
        "models": models,
        "aliases": aliases,
        "best": catalog.get("best", "opus"),
        # BEHAVIOUR.md 1: the no-model default is opus everywhere observed, except Foundry.
        "default_alias": {p: ("sonnet" if p == "foundry" else "opus") for p in PROVIDERS.values()},
        # BEHAVIOUR.md 8e: on Mantle `--model sonnet` sent anthropic.claude-haiku-4-5 (sic).
        "alias_quirks": {"mantle": {"sonnet": "claude-haiku-4-5"}},
        "fast_mode_model": "claude-opus-5-5",
        "betas": {"context_1m": "context-1m-2025-08-07", "fast_mode": "fast-mode-2026-02-01"},
        "deprecations": deprecations,
    }


def main(argv: list[str]) -> int:
    args = argv[1:]
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    src = Path(args[0]) if args else DEFAULT_CATALOG
    data = build(json.loads(src.read_text(encoding="utf-8")))
    text = json.dumps(data, indent=1) + "\n"
    if check:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is stale: run python tools/build_registry.py")
            return 1
        print(f"{OUT.relative_to(ROOT)} is up to date")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(data['models'])} models")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
