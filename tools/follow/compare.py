"""What an observation says about ``resolve --json``'s static fields, and the comparison of the two.

The static fields are the dotted paths of ``resolve --json`` (shared/spec/CLI.md) that one
request shows: the first main-loop request gives ``main.*`` (its model, max_tokens, effort,
thinking, 1M beta, speed, Vertex location) and the JSON output's ``modelUsage`` gives its
context window; the first hook side query gives ``side.*``; the first subagent request gives
``subagent.*`` (or ``subagent.rejected`` when the ``Agent`` call ran no subagent); the JSON
output gives ``fast_mode.*``. A field the run could not show is left out, never guessed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from tools.follow import scenarios as sc

FIELDS: Final = (
    "main.model",
    "main.max_tokens",
    "main.effort",
    "main.thinking.type",
    "main.thinking.budget_tokens",
    "main.context_1m_beta",
    "main.betas",
    "main.speed",
    "main.context_window",
    "main.region",
    "side.model",
    "side.effort",
    "side.betas",
    "subagent.model",
    "subagent.effort",
    "subagent.betas",
    "subagent.rejected",
    "fast_mode.state",
    "fast_mode.reason",
    "refusal_fallback.retry",
    "refusal_fallback.routes.cyber",
    "refusal_fallback.requests.cyber.max_tokens",
    "refusal_fallback.requests.cyber.effort",
)
NO_MANAGED: Final = "/nonexistent/claude-follow/managed-settings.json"
ROOT: Final = Path(__file__).resolve().parents[2]


def _usage_window(usage: Mapping[str, Any], model: str | None) -> int | None:
    if not model:
        return None
    for key, value in usage.items():
        if key == model or key.removesuffix("[1m]") == model:
            window = value.get("contextWindow")
            return window if isinstance(window, int) else None
    return None


def observed_static(record: Mapping[str, Any]) -> dict[str, Any]:
    """The static ``resolve`` fields one observation shows."""
    obs = record["observation"]
    scenario = record["scenario"]
    # every beta is compared only where the scenario adds some (ANTHROPIC_BETAS): elsewhere the
    # observation keeps only the model-system betas (observe.SIDE_EFFECTS)
    all_betas = bool((scenario.get("env") or {}).get("ANTHROPIC_BETAS"))
    out: dict[str, Any] = {}
    if obs["main"]:
        m = obs["main"][0]
        thinking = m["thinking"]
        out["main.model"] = m["model"]
        out["main.max_tokens"] = m["max_tokens"]
        out["main.effort"] = m["effort"]
        out["main.thinking.type"] = None if thinking is None else thinking["type"]
        out["main.thinking.budget_tokens"] = None if thinking is None else thinking["budget_tokens"]
        out["main.context_1m_beta"] = any(b.startswith("context-1m-") for b in m["betas"])
        if all_betas:
            out["main.betas"] = sorted(set(m["betas"]))
        out["main.speed"] = m["speed"]
        window = _usage_window(obs["model_usage"], m["model"])
        if window is not None:
            out["main.context_window"] = window
        if sc.provider_of(scenario) == "vertex":
            out["main.region"] = m["location"]
    hook = obs["side"].get("hook") or []
    if hook:
        out["side.model"] = hook[0]["model"]
        out["side.effort"] = hook[0]["effort"]
        if all_betas:
            out["side.betas"] = sorted(set(hook[0]["betas"]))
    if scenario.get("agent") is not None and obs.get("agent_called"):
        if obs["subagent"]:
            out["subagent.model"] = obs["subagent"][0]["model"]
            out["subagent.effort"] = obs["subagent"][0]["effort"]
            if all_betas:
                out["subagent.betas"] = sorted(set(obs["subagent"][0]["betas"]))
        else:
            out["subagent.rejected"] = True
    fast = obs.get("fast_mode") or {}
    if fast.get("state") is not None:
        out["fast_mode.state"] = fast["state"]
        out["fast_mode.reason"] = fast.get("reason")
    out.update(_refusal_fields(obs, scenario))
    return out


def _refusal_fields(obs: Mapping[str, Any], scenario: Mapping[str, Any]) -> dict[str, Any]:
    """What a run whose main model the fake API answers with ``stop_reason: "refusal"``
    (category ``cyber``) shows: whether the refused model was asked again, and, when it always
    refuses, the model the session switched to (``None``: it did not) and that request."""
    refusal = (scenario.get("server") or {}).get("refusal") or []
    main = obs["main"]
    first = main[0]["model"] if main else None
    rule = next((x for x in refusal if first and x["model_contains"] in first), None)
    if rule is None:
        return {}
    out: dict[str, Any] = {
        "refusal_fallback.retry": len(main) > 1 and main[1]["model"] == first,
    }
    if rule.get("times") is None:
        after = [m for m in main if m["model"] != first]
        out["refusal_fallback.routes.cyber"] = after[0]["model"] if after else None
        if after:
            out["refusal_fallback.requests.cyber.max_tokens"] = after[0]["max_tokens"]
            out["refusal_fallback.requests.cyber.effort"] = after[0]["effort"]
    return out


def lookup(resolved: Mapping[str, Any], dotted: str) -> Any:
    """A dotted path into ``resolve --json`` (``None`` along a null), with the derived paths."""
    if dotted == "main.context_1m_beta":
        return any(
            b.startswith("context-1m-") for b in (resolved.get("main") or {}).get("betas") or []
        )
    if dotted == "subagent.rejected":
        sub = resolved.get("subagent")
        return sub is None or sub.get("error") is not None
    node: Any = resolved
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    if dotted.endswith(".betas") and isinstance(node, list):
        return sorted(set(node))  # which betas, not their order or repeats
    return node


def diff(observed: Mapping[str, Any], resolved: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{field: (observed, resolved)}`` for every observed field ``resolve`` answers otherwise."""
    return {f: (v, lookup(resolved, f)) for f, v in observed.items() if lookup(resolved, f) != v}


# -- running claude-models -------------------------------------------------------------------


def write_inputs(scenario: sc.Scenario, home: Path, cwd: Path, tmp: Path) -> list[str]:
    """The scenario's files, written as ``resolve`` reads them (:func:`scenarios.write_files`);
    returns the extra flags, a managed policy that does not exist when it names none."""
    files = sc.effective_files(scenario)
    extra = sc.write_files(files, home=home, cwd=cwd, tmp=tmp)
    if sc.MANAGED not in files:
        extra += ["--managed-settings", NO_MANAGED]
    return extra


# The project's test-suite guard (tests/machine_guard.py) follows Python children through
# these variables and a sitecustomize folder on PYTHONPATH; pass them on when present.
GUARD_PREFIX: Final = "_CLAUDE_MODELS_TEST_"


def _pythonpath() -> dict[str, str]:
    guard = {k: v for k, v in os.environ.items() if k.startswith(GUARD_PREFIX)}
    site = guard.get(f"{GUARD_PREFIX}SITE")
    paths = [str(ROOT / "src"), *([site] if site else [])]
    return {"PYTHONPATH": os.pathsep.join(paths), **guard}


def project_env(home: Path, scenario_env: Mapping[str, str], release: str) -> dict[str, str]:
    """The subprocess environment for ``python -m claude_models``: this checkout's package."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        **_pythonpath(),
        "CLAUDE_MODELS_CLAUDE_VERSION": release,
        **scenario_env,
    }


_HAS_VERSION_FLAG: dict[str, bool] = {}


def has_version_flag() -> bool:
    """Whether this checkout's ``resolve`` takes ``--claude-version`` yet."""
    if "v" not in _HAS_VERSION_FLAG:
        with tempfile.TemporaryDirectory(prefix="follow-help-") as home:
            out = subprocess.run(
                [sys.executable, "-m", "claude_models", "resolve", "--help"],
                env={"PATH": os.environ.get("PATH", ""), "HOME": home, **_pythonpath()},
                capture_output=True,
                text=True,
                check=False,
                timeout=60,
            )
        _HAS_VERSION_FLAG["v"] = "--claude-version" in out.stdout
    return _HAS_VERSION_FLAG["v"]


def resolve_args(
    scenario: sc.Scenario, release: str, extra: list[str], *, version_flag: bool | None = None
) -> list[str]:
    args = ["resolve", "--json", "-p", *[a for a in scenario["args"] if a not in ("-p", "--print")]]
    args += extra
    if scenario.get("agent") is not None:
        args += ["--agent", json.dumps(scenario["agent"])]
    if has_version_flag() if version_flag is None else version_flag:
        args += ["--claude-version", release]
    return args


def resolve_scenario(scenario: sc.Scenario, release: str) -> tuple[dict[str, Any] | None, str]:
    """``claude-models resolve --json`` on the scenario; (output, error line)."""
    with tempfile.TemporaryDirectory(prefix="follow-resolve-") as root:
        home, cwd, tmp = Path(root, "home"), Path(root, "work"), Path(root, "tmp")
        for p in (home, cwd, tmp):
            p.mkdir()
        extra = write_inputs(scenario, home, cwd, tmp)
        env = project_env(home, scenario["env"], release)
        proc = subprocess.run(
            [sys.executable, "-m", "claude_models", *resolve_args(scenario, release, extra)],
            env=env,
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines()
        return None, f"resolve exit {proc.returncode}: {lines[-1] if lines else ''}"
    try:
        return json.loads(proc.stdout), ""
    except ValueError:
        return None, "resolve printed no JSON"
