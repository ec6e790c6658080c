"""A checker for the ``resolve --json`` contract of spec/CLI.md.

:func:`contract_errors` lists every way an output object breaks the contract: a field of
CLI.md missing (unset values must be ``null``, never missing), a value of the wrong type, or
an enum value outside the documented set. Fields beyond the contract are allowed ("add
fields freely").
"""

from __future__ import annotations

from typing import Any

PROVIDERS = frozenset(
    {
        "firstParty",
        "bedrock",
        "vertex",
        "foundry",
        "anthropicAws",
        "anthropicGoogleCloud",
        "mantle",
        "gateway",
    }
)
SESSIONS = frozenset({"print", "interactive"})
THINKING_TYPES = frozenset({"adaptive", "enabled", "disabled"})
FAST_STATES = frozenset({"on", "off", "cooldown"})
FAST_REASONS = frozenset(
    {
        "sdk_opt_in_required",
        "not_first_party",
        "disabled_by_env",
        "model_not_allowed",
        "paid_subscription_required",
        "extra_usage_required",
        "remote_disabled",
        "cooldown",
        # CHANGES.md ("Managed policy against the other knobs"): managed fastMode: false turns
        # fast mode off with reason "preference" (measured on 2.1.328 and 2.1.332); an added
        # value, as CLI.md allows
        "preference",
    }
)
# claude_code.source: CLI.md's four, and "snapshot" (a library Snapshot's own claude_version)
RELEASE_SOURCES = frozenset(
    {"--claude-version", "CLAUDE_MODELS_CLAUDE_VERSION", "installed", "newest modelled", "snapshot"}
)
REQUEST_FIELDS = (
    "model",
    "setting",
    "source",
    "max_tokens",
    "effort",
    "thinking",
    "context_window",
    "betas",
    "speed",
    "region",
)


def _is_int(v: object) -> bool:
    return type(v) is int  # bool is not a token count


def _str_or_null(v: object) -> bool:
    return v is None or isinstance(v, str)


def _request_errors(req: Any, where: str, *, nullable: bool = False) -> list[str]:
    """``main``, or a subagent that ran: the request fields of CLI.md."""
    if not isinstance(req, dict):
        return [f"{where}: not an object"]
    errs = [f"{where}.{k}: missing" for k in REQUEST_FIELDS if k not in req]
    if errs:
        return errs

    def need(ok: bool, field: str) -> None:
        if not ok:
            errs.append(f"{where}.{field}: bad value {req[field]!r}")

    if nullable and req["model"] is None:
        # a rejected Agent call: every request field null (betas may be an empty list)
        for k in REQUEST_FIELDS:
            need(req[k] is None or (k == "betas" and req[k] == []), k)
        return errs
    need(isinstance(req["model"], str) and req["model"] != "", "model")
    need(_str_or_null(req["setting"]), "setting")
    need(isinstance(req["source"], str) and req["source"] != "", "source")
    need(_is_int(req["max_tokens"]) and req["max_tokens"] > 0, "max_tokens")
    need(_str_or_null(req["effort"]), "effort")
    th = req["thinking"]
    if th is not None:
        if not isinstance(th, dict) or set(th) < {"type", "budget_tokens"}:
            errs.append(f"{where}.thinking: bad value {th!r}")
        else:
            need(th["type"] in THINKING_TYPES, "thinking")
            need(th["budget_tokens"] is None or _is_int(th["budget_tokens"]), "thinking")
    need(_is_int(req["context_window"]) and req["context_window"] > 0, "context_window")
    need(
        isinstance(req["betas"], list) and all(isinstance(b, str) for b in req["betas"]),
        "betas",
    )
    need(req["speed"] in (None, "fast"), "speed")
    need(_str_or_null(req["region"]), "region")
    return errs


def contract_errors(out: Any) -> list[str]:
    """Every way ``out`` (parsed ``resolve --json``) breaks spec/CLI.md; empty when it holds."""
    if not isinstance(out, dict):
        return ["output: not a JSON object"]
    top = ("provider", "session", "main", "fallback_models", "side", "subagent")
    errs = [f"{k}: missing" for k in (*top, "fast_mode", "warnings") if k not in out]
    if errs:
        return errs
    if out["provider"] not in PROVIDERS:
        errs.append(f"provider: bad value {out['provider']!r}")
    if out["session"] not in SESSIONS:
        errs.append(f"session: bad value {out['session']!r}")
    errs += _request_errors(out["main"], "main")
    fb = out["fallback_models"]
    if not isinstance(fb, list) or not all(isinstance(m, str) and m for m in fb):
        errs.append(f"fallback_models: bad value {fb!r}")
    side = out["side"]
    if side is not None:
        if not isinstance(side, dict) or any(k not in side for k in ("model", "effort", "source")):
            errs.append(f"side: bad value {side!r}")
        else:
            if not (isinstance(side["model"], str) and side["model"]):
                errs.append(f"side.model: bad value {side['model']!r}")
            if not _str_or_null(side["effort"]):
                errs.append(f"side.effort: bad value {side['effort']!r}")
            if not isinstance(side["source"], str):
                errs.append(f"side.source: bad value {side['source']!r}")
    sub = out["subagent"]
    if sub is not None:
        if not isinstance(sub, dict) or "error" not in sub:
            errs.append(f"subagent: bad value {sub!r}")
        elif sub["error"] is not None:
            if not isinstance(sub["error"], str) or not sub["error"]:
                errs.append(f"subagent.error: bad value {sub['error']!r}")
            errs += _request_errors(sub, "subagent", nullable=True)
            if sub.get("model") is not None:
                errs.append("subagent: an error and a model at once")
        else:
            errs += _request_errors(sub, "subagent")
    fm = out["fast_mode"]
    if not isinstance(fm, dict) or "state" not in fm or "reason" not in fm:
        errs.append(f"fast_mode: bad value {fm!r}")
    else:
        if fm["state"] not in FAST_STATES:
            errs.append(f"fast_mode.state: bad value {fm['state']!r}")
        if fm["reason"] is not None and fm["reason"] not in FAST_REASONS:
            errs.append(f"fast_mode.reason: bad value {fm['reason']!r}")
    errs += _claude_code_errors(out.get("claude_code", "missing"))
    ws = out["warnings"]
    if not isinstance(ws, list):
        errs.append("warnings: not a list")
    else:
        for i, w in enumerate(ws):
            ok = (
                isinstance(w, dict)
                and isinstance(w.get("code"), str)
                and w["code"] != ""
                and isinstance(w.get("message"), str)
                and w["message"] != ""
            )
            if not ok:
                errs.append(f"warnings[{i}]: bad value {w!r}")
    return errs


def _claude_code_errors(cc: Any) -> list[str]:
    """``claude_code``: the modelled release and where it came from (CLI.md)."""
    if not isinstance(cc, dict) or set(cc) < {"version", "source", "installed", "catalog"}:
        return [f"claude_code: bad value {cc!r}"]
    errs = []
    if not (isinstance(cc["version"], str) and cc["version"].count(".") == 2):
        errs.append(f"claude_code.version: bad value {cc['version']!r}")
    if cc["source"] not in RELEASE_SOURCES:
        errs.append(f"claude_code.source: bad value {cc['source']!r}")
    inst = cc["installed"]
    if inst is not None and not (
        isinstance(inst, dict) and isinstance(inst.get("version"), str) and "path" in inst
    ):
        errs.append(f"claude_code.installed: bad value {inst!r}")
    if cc["catalog"] not in ("bundled", "installed"):
        errs.append(f"claude_code.catalog: bad value {cc['catalog']!r}")
    return errs
