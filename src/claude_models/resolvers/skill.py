"""A skill's ``model:`` / ``effort:`` override (SKILL.md frontmatter), resolved on the session."""

from __future__ import annotations

from claude_models import env as E
from claude_models._record import record
from claude_models.registry import Model
from claude_models.resolvers.context import Ctx, env_label
from claude_models.resolvers.effort import main_effort, pick_effort
from claude_models.resolvers.main import MainSelection
from claude_models.resolvers.policy import is_allowed, is_denied
from claude_models.resolvers.setting import (
    Resolved,
    is_inherit,
    resolve_setting,
    split_1m,
)
from claude_models.result import Request
from claude_models.shaping import build_request


def supports_1m(model: Model | None, ctx: Ctx) -> bool:
    """Whether a model can run with a 1M window here: natively, or through the context-1m beta.
    An id nobody knows is not assumed to (the seed lesson's ``modelSupports1M``)."""
    if ctx.disable_1m or model is None:
        return False
    return model.native_1m or model.beta_1m


@record
class SkillModel:
    resolved: Resolved
    source: str
    carried_1m: bool  # the session's [1m] was carried onto the skill's model
    replaced: str | None = None  # a skill model not allowed or denied; the session's ran


def skill_model(ctx: Ctx, main: MainSelection, setting: str) -> SkillModel:
    """The model a skill with ``model: <setting>`` in its SKILL.md frontmatter runs on.

    The seed lesson's ``resolveSkillModelOverride`` (section 4):

    1. ``inherit`` or an empty value: the session's main-loop model, as it runs.
    2. The setting resolves like ``--model`` (aliases, ids, provider spelling).
    3. When the session runs with ``[1m]`` and the setting has no suffix of its own, ``[1m]``
       is carried onto the skill's model only if that model supports 1M (natively or by the
       beta); ``model: haiku`` on a provider whose haiku has no 1M drops it.
    4. A model that ``availableModels`` or managed ``deniedModels`` exclude runs the session's
       model instead, as subagents do (docs/decisions/side-subagents.md).
    """
    parent = main.resolved
    if not setting.strip() or is_inherit(setting):
        return SkillModel(parent, "skill model (inherit)", False)
    base, own_1m = split_1m(setting)
    r = resolve_setting(setting, ctx, explicit=True)
    carried = False
    if parent.one_m and not own_1m and supports_1m(r.window_model, ctx):
        r = Resolved(r.wire, r.model, r.window_model, True, r.via, r.typed, r.overridden_from)
        carried = True
    if not is_allowed(r, ctx) or is_denied(r, ctx):
        return SkillModel(parent, "skill model (not allowed: session model)", False, base)
    source = "skill model" + (" (session's [1m] carried)" if carried else "")
    return SkillModel(r, source, carried)


def skill(
    ctx: Ctx, main: MainSelection, setting: str, effort: str | None = None
) -> tuple[Request, SkillModel]:
    """The request a skill's turn sends (:func:`skill_model`, shaped like the main loop), and
    the pick behind it.

    Effort: ``CLAUDE_CODE_EFFORT_LEVEL``, then the skill's own ``effort`` (frontmatter), then
    the session's effort chain (``--effort``, settings, ``modelSettings``) on the skill's model.
    """
    picked = skill_model(ctx, main, setting)
    r = picked.resolved
    chosen = None
    if effort is not None:
        chosen = pick_effort(
            [
                (
                    "env",
                    env_label(E.EFFORT_LEVEL, ctx.snap.env_origins),
                    ctx.env.get(E.EFFORT_LEVEL),
                ),
                ("frontmatter", "skill effort", effort),
            ],
            r.model,
            ctx,
        )
    if chosen is None or chosen.step == "model_default":
        chosen = main_effort(r, ctx)
    req = build_request(
        ctx,
        r,
        chosen,
        setting=setting.strip() or None,
        source=picked.source,
        origin="SKILL.md model",
    )
    return req, picked
