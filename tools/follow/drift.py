"""``python -m tools.follow drift DIR_A DIR_B``: two releases' observations side by side.

Each scenario present in both folders is reduced to what a release can change (the static
fields of ``compare.observed_static``, the models the main loop tried, the exit status and
error, the hook side query's models and statuses, the subagent's models, the modelUsage keys,
the main loop's betas); the scenarios whose views differ are listed with each changed field, and
the changes are then grouped (``field: a -> b``, with the scenarios that show it), so one
release change reads as one line. Last line: ``N/M scenarios changed``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tools.follow import compare
from tools.follow.observe import HarnessError, collapse
from tools.follow.score import load_dir


def view(record: Mapping[str, Any]) -> dict[str, Any]:
    """What one observation says, flattened to comparable fields."""
    obs = record["observation"]
    hook = obs["side"].get("hook") or []
    web = obs["side"].get("webfetch") or []
    other = obs["side"].get("other") or []
    error = obs.get("error")
    out: dict[str, Any] = {f"static.{k}": v for k, v in compare.observed_static(record).items()}
    out.update(
        {
            "main_models_tried": obs["main_models_tried"],
            "main_statuses": [m["status"] for m in obs["main"]],
            "exit_code": obs["exit_code"],
            "error": error[:160] if isinstance(error, str) else error,
            "side.hook": [f"{h['model']}:{h['status']}" for h in hook],
            "side.webfetch": [f"{w['model']}:{w['status']}" for w in web],
            "side.other": collapse([o["model"] for o in other]),
            "subagent_models": collapse([s["model"] for s in obs["subagent"]]),
            "model_usage": sorted(obs["model_usage"]),
            "main_betas": sorted(obs.get("main_all_betas") or []),
            "stderr_tags": obs.get("stderr_tags") or [],
        }
    )
    return out


def _fmt(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def drift(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> tuple[list[str], int, int]:
    """(report lines, changed, common)."""
    by_a = {r["name"]: r for r in a}
    by_b = {r["name"]: r for r in b}
    common = sorted(by_a.keys() & by_b.keys())
    rel_a = ", ".join(sorted({r["release"] for r in a}))
    rel_b = ", ".join(sorted({r["release"] for r in b}))
    lines = [f"A: {rel_a} ({len(a)} scenarios)   B: {rel_b} ({len(b)} scenarios)"]
    for label, names in (
        ("only in A", by_a.keys() - by_b.keys()),
        ("only in B", by_b.keys() - by_a.keys()),
    ):
        if names:
            lines.append(f"{label}: {', '.join(sorted(names))}")
    groups: dict[tuple[str, str, str], list[str]] = {}
    changed = 0
    for name in common:
        va, vb = view(by_a[name]), view(by_b[name])
        keys = sorted(va.keys() | vb.keys())
        diffs = [(k, va.get(k), vb.get(k)) for k in keys if va.get(k) != vb.get(k)]
        if by_a[name]["scenario"] != by_b[name]["scenario"]:
            diffs.insert(0, ("scenario inputs", "A", "B"))
        if not diffs:
            continue
        changed += 1
        lines.append(f"{name}:")
        for k, x, y in diffs:
            lines.append(f"    {k}: {_fmt(x)} -> {_fmt(y)}")
            groups.setdefault((k, _fmt(x), _fmt(y)), []).append(name)
    if groups:
        lines.append("changes, grouped:")
        for (k, x, y), group in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            shown = ", ".join(group[:8]) + (f", +{len(group) - 8} more" if len(group) > 8 else "")
            lines.append(f"  {k}: {x} -> {y}  [{len(group)}: {shown}]")
    return lines, changed, len(common)


def main(dir_a: Path, dir_b: Path) -> int:
    a, b = load_dir(dir_a), load_dir(dir_b)
    lines, changed, common = drift(a, b)
    if not common:
        raise HarnessError(f"{dir_a} and {dir_b} share no scenario")
    print("\n".join(lines))
    print(f"{changed}/{common} scenarios changed")
    return 0
