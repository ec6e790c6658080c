"""Request shaping: max_tokens, effort, thinking, context window and betas for a model.

All numbers follow BEHAVIOUR.md sections 1, 6 and 8e. A model nobody knows gets max_tokens
32000 and a reported 1M window; on the first-party-style APIs it is assumed to take effort
(default high) and adaptive thinking, elsewhere budget thinking and no effort (observed: a
Bedrock application-inference-profile ARN).
"""

from __future__ import annotations

from collections.abc import Mapping

from claude_models import env as E
from claude_models._record import record
from claude_models.account import one_m_access
from claude_models.registry import EFFORT_LEVELS, Model
from claude_models.result import Thinking
from claude_models.selection import Ctx, Resolved, split_1m
from claude_models.settings.scopes import HIGH_TO_LOW, honoured_scopes

UNKNOWN_MAX_TOKENS = 32000
UNKNOWN_MAX_TOKENS_UPPER = 64000
UNKNOWN_DEFAULT_EFFORT = "high"
ONE_M = 1_000_000
TWO_HUNDRED_K = 200_000
EFFORT_VALUES = (*EFFORT_LEVELS, "auto")


def parse_positive_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        n = int(value.strip())
    except ValueError:
        return None
    return n if n >= 0 else None


def max_tokens(model: Model | None, env: Mapping[str, str]) -> tuple[int, str]:
    """The model's default max_tokens, or ``CLAUDE_CODE_MAX_OUTPUT_TOKENS`` capped at its
    upper limit (a non-number is ignored)."""
    default = model.max_output_default if model else UNKNOWN_MAX_TOKENS
    upper = model.max_output_upper if model else UNKNOWN_MAX_TOKENS_UPPER
    asked = parse_positive_int(E.get(env, E.MAX_OUTPUT_TOKENS))
    if asked:
        return min(asked, upper), E.MAX_OUTPUT_TOKENS
    return default, "model default"


def effort_supported(model: Model | None, ctx: Ctx) -> bool:
    return model.supports_effort if model else ctx.first_party_like


def clamp_effort(level: str, model: Model | None, ctx: Ctx) -> str | None:
    """What is sent for a requested level: none where effort is unsupported; ``xhigh`` ->
    ``high`` without the xhigh capability; ``max`` -> ``high`` without max."""
    if not effort_supported(model, ctx):
        return None
    if model is None:
        return level
    if level == "xhigh" and not model.supports("xhigh_effort"):
        return "high"
    if level == "max" and not model.supports("max_effort"):
        return "high"
    return level


def default_effort(model: Model | None, ctx: Ctx) -> str | None:
    if model is None:
        return UNKNOWN_DEFAULT_EFFORT if ctx.first_party_like else None
    return model.default_effort


@record
class EffortPick:
    value: str | None  # None: nothing sent
    source: str
    garbage: tuple[tuple[str, str], ...] = ()  # (where, value) ignored on the way down
    requested: str | None = None  # the level asked for, before clamping ("auto" included)


def valid_effort(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    if v == "unset":
        return "auto"
    return v if v in EFFORT_VALUES else None


def pick_effort(candidates: list[tuple[str, object]], model: Model | None, ctx: Ctx) -> EffortPick:
    """First valid candidate wins; ``auto`` omits effort; garbage and empty are skipped."""
    garbage: list[tuple[str, str]] = []
    for where, raw in candidates:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        v = valid_effort(raw)
        if v is None:
            garbage.append((where, str(raw)))
            continue
        if v == "auto":
            return EffortPick(None, where, tuple(garbage), v)
        return EffortPick(clamp_effort(v, model, ctx), where, tuple(garbage), v)
    d = default_effort(model, ctx)
    return EffortPick(d if effort_supported(model, ctx) else None, "model default", tuple(garbage))


def model_settings_effort(r: Resolved, ctx: Ctx) -> tuple[str, object] | None:
    """``modelSettings.<id or alias>.effortLevel``: the catalog id, the wire id, the setting as
    typed, then the family alias of the running model; applies only while that model runs."""
    merged = ctx.snap.settings.merged("modelSettings")
    if not merged:
        return None
    keys: list[str] = []
    if r.model is not None:
        keys += [r.model.id, r.model.first_party_id]
    keys += [r.wire, split_1m(r.typed)[0]]
    if r.model is not None:
        keys.append(r.model.family)
    for key in keys:
        s = merged.get(key)
        if s is not None and isinstance(s.value, dict) and "effortLevel" in s.value:
            return f"modelSettings.{key}.effortLevel ({s.origin})", s.value["effortLevel"]
    return None


def main_effort(r: Resolved, ctx: Ctx) -> EffortPick:
    """Main-loop effort. First valid wins:

    1. ``CLAUDE_CODE_EFFORT_LEVEL`` (it beats ``--effort``)
    2. the session's ``/effort`` (``SessionState.effort``; ``max`` lives only here)
    3. ``--effort``
    4. settings ``effortLevel``: managed > flag > local > project (> user, interactive only)
    5. ``modelSettings.<id or alias>.effortLevel`` (user scope honoured)
    6. the model's default
    """
    snap = ctx.snap
    cands: list[tuple[str, object]] = [
        (E.EFFORT_LEVEL, snap.env.get(E.EFFORT_LEVEL)),
        ("/effort (session)", snap.session.effort),
        ("--effort", snap.flags.effort),
    ]
    st = snap.settings
    allowed = honoured_scopes("effortLevel", st.session)
    for scope in HIGH_TO_LOW:
        if scope not in allowed:
            continue
        layer = st.layer(scope)
        if layer is not None and "effortLevel" in layer.valid:
            cands.append((f"{scope} effortLevel ({layer.where})", layer.valid["effortLevel"]))
    ms = model_settings_effort(r, ctx)
    if ms is not None:
        cands.append(ms)
    return pick_effort(cands, r.model, ctx)


def context(r: Resolved, ctx: Ctx) -> tuple[int, tuple[str, ...], str]:
    """The reported context window, the context-1m beta if sent, and why.

    - ``CLAUDE_CODE_DISABLE_1M_CONTEXT``: 200k and no beta, even for natively-1M models.
    - Natively-1M models: 1M, no beta (the ``[1m]`` suffix is dropped).
    - ``[1m]`` on a beta-1M model or an id nobody knows: 1M plus the beta.
    - Otherwise the model's window; an unknown id is reported as 1M.
    """
    m = r.window_model
    beta = ctx.reg.beta_context_1m
    if ctx.disable_1m:
        return TWO_HUNDRED_K, (), E.DISABLE_1M_CONTEXT
    if m is not None and m.native_1m:
        return m.context_window, (), "model (native 1M)"
    if r.one_m and (m is None or m.beta_1m):
        snap = ctx.snap
        ok, why = one_m_access(snap.subscription, snap.account.extra_usage, ctx.env)
        if not ok:  # seed lesson 5: subscribers need extra usage; unknown tier fails closed
            return (m.context_window if m else TWO_HUNDRED_K), (), f"[1m] not available: {why}"
        return ONE_M, (beta,), "[1m] suffix"
    if m is None and r.overridden_from is not None:
        # CHANGES.md, every release: a modelOverrides target the catalog does not know reports
        # 200k (an unknown --model id reports 1M)
        return TWO_HUNDRED_K, (), f"modelOverrides target unknown (from {r.overridden_from})"
    if m is None:
        return ONE_M, (), "unknown model (assumed 1M)"
    return m.context_window, (), "model"


def thinking(model: Model | None, tokens: int, ctx: Ctx) -> tuple[Thinking | None, str]:
    """The ``thinking`` field: none with CLAUDE_CODE_DISABLE_THINKING; adaptive where the model
    supports it (MAX_THINKING_TOKENS and alwaysThinkingEnabled are ignored there); else a
    budget of max_tokens - 1, ``MAX_THINKING_TOKENS`` (capped below max_tokens), or disabled
    by ``MAX_THINKING_TOKENS=0`` / ``alwaysThinkingEnabled: false``."""
    env = ctx.env
    if E.is_truthy(env.get(E.DISABLE_THINKING)):
        return None, E.DISABLE_THINKING
    kind = model.thinking if model else ("adaptive" if ctx.first_party_like else "budget")
    if kind == "none":
        return None, "model has no extended thinking"
    if kind == "adaptive":
        return Thinking("adaptive"), "model (adaptive)"
    budget = parse_positive_int(E.get(env, E.MAX_THINKING_TOKENS))
    if budget == 0:
        return Thinking("disabled"), E.MAX_THINKING_TOKENS
    always = ctx.snap.settings.get("alwaysThinkingEnabled")
    if always is not None and always.value is False:
        return Thinking("disabled"), f"alwaysThinkingEnabled ({always.origin})"
    if budget:
        return Thinking("enabled", min(budget, tokens - 1)), E.MAX_THINKING_TOKENS
    return Thinking("enabled", tokens - 1), "max_tokens - 1"


__all__ = [
    "EffortPick",
    "clamp_effort",
    "context",
    "default_effort",
    "main_effort",
    "max_tokens",
    "pick_effort",
    "thinking",
]
