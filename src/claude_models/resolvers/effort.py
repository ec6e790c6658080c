"""Effort: the level list, clamping to what a model takes, and the main-loop effort chain
(BEHAVIOUR.md 6). Subagent and skill effort chains use :func:`pick_effort` too."""

from __future__ import annotations

from claude_models import env as E
from claude_models._record import record
from claude_models.decision import Decision, Origin
from claude_models.registry import EFFORT_LEVELS, Model
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.setting import Resolved, split_1m
from claude_models.settings.scopes import HIGH_TO_LOW, honoured_scopes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

    from claude_models.kinds import EffortStep, OriginKind

    #: One effort candidate: the chain step, its label (the ``effort_source`` string), the raw
    #: value.
    Candidate = tuple[EffortStep, str, object]

UNKNOWN_DEFAULT_EFFORT = "high"


EFFORT_VALUES = (*EFFORT_LEVELS, "auto")


def effort_supported(model: Model | None, ctx: Ctx) -> bool:
    return model.effort_on(ctx.provider) if model else ctx.first_party_like


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
    step: EffortStep = "model_default"

    @property
    def decision(self) -> Decision[EffortStep]:
        kind = EFFORT_ORIGIN[self.step]
        return Decision(self.value, self.step, Origin(kind, self.source))


# The kind of input behind each effort step.
EFFORT_ORIGIN: Final[dict[str, OriginKind]] = {
    "env": "env",
    "session": "session",
    "flag": "flag",
    "settings": "settings",
    "model_settings": "settings",
    "agent_input": "agent_input",
    "frontmatter": "agent_file",
    "subagent_env": "env",
    "model_default": "builtin",
}


def valid_effort(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    v = value.strip().lower()
    if v == "unset":
        return "auto"
    return v if v in EFFORT_VALUES else None


def pick_effort(candidates: list[Candidate], model: Model | None, ctx: Ctx) -> EffortPick:
    """First valid candidate wins; ``auto`` omits effort; garbage and empty are skipped."""
    garbage: list[tuple[str, str]] = []
    for step, where, raw in candidates:
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        v = valid_effort(raw)
        if v is None:
            garbage.append((where, str(raw)))
            continue
        if v == "auto":
            return EffortPick(None, where, tuple(garbage), v, step)
        return EffortPick(clamp_effort(v, model, ctx), where, tuple(garbage), v, step)
    d = default_effort(model, ctx)
    return EffortPick(d if effort_supported(model, ctx) else None, "model default", tuple(garbage))


def model_settings_effort(r: Resolved, ctx: Ctx) -> Candidate | None:
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
            label = f"modelSettings.{key}.effortLevel ({s.origin})"
            return "model_settings", label, s.value["effortLevel"]
    return None


def main_effort(r: Resolved, ctx: Ctx) -> EffortPick:
    """Main-loop effort. First valid wins:

    1. ``CLAUDE_CODE_EFFORT_LEVEL`` (it beats ``--effort``)
    2. the session's ``/effort`` (``SessionState.effort``; ``max`` lives only here)
    3. ``--effort``
    4. settings ``effortLevel``: managed > flag > local > project (> user, interactive only);
       ``max`` there is dropped (the settings schema does not take it)
    5. ``modelSettings.<id or alias>.effortLevel`` (user scope honoured)
    6. the model's default
    """
    ms = model_settings_effort(r, ctx)
    cands = _main_candidates(ctx)
    return pick_effort([*cands, ms] if ms is not None else cands, r.model, ctx)


def _main_candidates(ctx: Ctx) -> list[Candidate]:
    """Steps 1-4 of :func:`main_effort`: the same for every model of a context, so built
    once per context (callers copy before adding to it; pick_effort only reads)."""
    found: list[Candidate] | None = ctx.memo.get("main_effort")
    if found is not None:
        return found
    snap = ctx.snap
    cands: list[Candidate] = [
        ("env", E.EFFORT_LEVEL, snap.env.get(E.EFFORT_LEVEL)),
        ("session", "/effort (session)", snap.session.effort),
        ("flag", "--effort", snap.flags.effort),
    ]
    st = snap.settings
    allowed = honoured_scopes("effortLevel", st.session)
    for scope in HIGH_TO_LOW:
        if scope not in allowed:
            continue
        layer = st.layer(scope)
        if layer is not None and "effortLevel" in layer.valid:
            if layer.valid["effortLevel"] == "max":
                # Claude Code's settings schema takes low|medium|high|xhigh and drops max: the
                # next layer decides (measured on 2.1.328 and 2.1.332: tests/observed/*/
                # ef_project_max, ef_flag_max; the warning is effort_max_in_settings)
                continue
            label = f"{scope} effortLevel ({layer.where})"
            cands.append(("settings", label, layer.valid["effortLevel"]))
    ctx.memo["main_effort"] = cands
    return cands
