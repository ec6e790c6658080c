"""The main-loop model: which setting wins, and how a setting becomes a wire id.

:func:`main_choice` is the precedence chain (first match wins); :func:`resolve_setting` turns
any setting (alias, ``[1m]`` suffix, full id of any provider) into a :class:`Resolved` model;
:func:`select_main` applies the allowlist, managed ``deniedModels`` and the built-in default.
"""

from __future__ import annotations

from collections.abc import Mapping

from claude_models import env as E
from claude_models import providers
from claude_models._record import record
from claude_models.decision import BUILTIN, Decision, Origin
from claude_models.resolvers.context import Ctx
from claude_models.resolvers.policy import is_allowed, is_denied
from claude_models.resolvers.setting import Resolved, resolve_alias, resolve_entry, resolve_setting

TYPE_CHECKING = False
if TYPE_CHECKING:
    from claude_models.kinds import MainStep

THIRD_PARTY_DEFAULT_PIN = frozenset({"bedrock", "vertex", "foundry", "mantle"})


_SESSION = Origin("session", "/model")
_FLAG = Origin("flag", "--model")

# When the default itself is denied by managed policy: the first family not denied.
DENIED_DEFAULT_ORDER = ("opus", "sonnet", "haiku", "fable")


@record
class Choice:
    """A step of the main-loop chain that won: the setting, its ``source`` string (the
    ``resolve --json`` contract), the file or variable, and the step with its origin."""

    setting: str | None  # None: the built-in default
    source: str
    origin: str | None
    step: MainStep = "default"
    where: Origin = BUILTIN


def main_choice(ctx: Ctx) -> Choice:
    """The main-loop model setting. First match wins:

    1. the session override (``/model`` in a session; the library's ``SessionState.model``)
    2. ``--model``
    3. ``ANTHROPIC_MODEL`` (from the shell, or a settings ``env`` block)
    4. settings ``model``: managed > flag (``--settings``) > local > project > user
    5. ``ANTHROPIC_DEFAULT_MODEL`` (it changes the built-in default)
    6. the built-in default (``setting`` None)
    """
    snap = ctx.snap
    if snap.session.model and snap.session.model.strip():
        return Choice(snap.session.model.strip(), "session", "/model", "session", _SESSION)
    if snap.flags.model and snap.flags.model.strip():
        return Choice(snap.flags.model.strip(), "--model", "--model", "flag", _FLAG)
    env_model = E.get(ctx.env, E.MODEL)
    if env_model:
        path = snap.env_origins.get(E.MODEL)
        return Choice(
            env_model, "ANTHROPIC_MODEL", path or E.MODEL, "env", Origin("env", E.MODEL, path)
        )
    s = snap.settings.get("model")
    if s is not None and s.value.strip():
        where = Origin("settings", "model", s.path, str(s.scope))
        return Choice(s.value.strip(), str(s.scope), s.path, "settings", where)
    return default_choice(ctx.env)


def default_choice(env: Mapping[str, str]) -> Choice:
    """Steps 5 and 6 of :func:`main_choice`: ``ANTHROPIC_DEFAULT_MODEL``, else the built-in
    default (the one place the default choice is made; :func:`default_setting` spells it)."""
    dm = E.get(env, E.DEFAULT_MODEL)
    if dm:
        return Choice(
            None, "ANTHROPIC_DEFAULT_MODEL", dm, "default_env", Origin("env", E.DEFAULT_MODEL)
        )
    return Choice(None, "default", None)


def default_setting(ctx: Ctx, choice: Choice) -> str:
    """The built-in default as a setting string.

    - ``ANTHROPIC_DEFAULT_MODEL`` when set.
    - Third-party clouds with only ``ANTHROPIC_DEFAULT_SONNET_MODEL`` pinned use that sonnet
      (BEHAVIOUR.md 1: "On Bedrock with only ANTHROPIC_DEFAULT_SONNET_MODEL set").
    - The provider's default alias (opus; sonnet on Foundry).
    - First party appends ``[1m]`` to the opus default when the Opus 1M merge is on (it
      shows only where the id is not natively 1M, e.g. a custom ANTHROPIC_DEFAULT_OPUS_MODEL).
    """
    if choice.source == "ANTHROPIC_DEFAULT_MODEL" and choice.origin:
        return choice.origin
    alias = ctx.reg.default_alias.get(ctx.provider, "opus")
    if (
        ctx.provider in THIRD_PARTY_DEFAULT_PIN
        and E.get(ctx.env, E.DEFAULT_SONNET_MODEL)
        and not E.get(ctx.env, E.DEFAULT_OPUS_MODEL)
    ):
        alias = "sonnet"
    if alias == "opus" and opus_1m_merge(ctx):
        return "opus[1m]"
    return alias


def opus_1m_merge(ctx: Ctx) -> bool:
    """The seed lesson's ``isOpus1mMergeEnabled``: first party, 1M not disabled, and not a Pro
    subscriber; a subscriber whose tier is unknown fails closed."""
    if ctx.disable_1m or ctx.provider not in providers.ACTS_AS_FIRST_PARTY:
        return False
    tier = ctx.snap.subscription
    return tier not in ("pro", "unknown")


@record
class MainSelection:
    choice: Choice
    resolved: Resolved
    requested: Choice | None = None  # an explicit choice that was replaced by the default
    why: str | None = None  # "not_allowed" | "denied"

    @property
    def decision(self) -> Decision[MainStep]:
        """The chain's decision: the step that won (post-chain outcomes included)."""
        c = self.choice
        value = c.setting if c.setting is not None else self.resolved.typed
        return Decision(value, c.step, c.where)

    @property
    def explicit(self) -> bool:
        """A model was chosen (``--model``, ``ANTHROPIC_MODEL``, settings, session) and kept:
        one that ``availableModels`` or managed ``deniedModels`` replaced does not count, so a
        Bedrock/Vertex side query then takes the provider's sonnet (observed on 2.1.328 and
        2.1.332: ``ls_bd_sonnet_cli_opus``, ``ls_bd_sonnet_env_opus``,
        ``ls_bd_sonnet_user_opus``, ``ls_vx_sonnet_cli_opus``)."""
        return self.choice.setting is not None


def select_main(ctx: Ctx) -> MainSelection:
    """The main-loop model after the allowlist and managed deniedModels (BEHAVIOUR.md 3).

    An explicit choice outside ``availableModels`` or in managed ``deniedModels`` is silently
    replaced by the default. The default is never filtered by a plain allowlist; with
    ``enforceAvailableModels`` it is replaced by the list's first entry, and a denied default
    by the first family alias that is not denied. Once per context (the resolver and the
    fast-mode gate both ask).
    """
    found: MainSelection | None = ctx.memo.get("select_main")
    if found is None:
        found = ctx.memo["select_main"] = _select_main(ctx)
    return found


def _select_main(ctx: Ctx) -> MainSelection:
    choice = main_choice(ctx)
    requested: Choice | None = None
    why: str | None = None
    if choice.setting is not None:
        setting = choice.setting
        if ctx.plan and setting.lower() == "haiku":
            setting = "sonnet"  # plan mode upgrades haiku to sonnet
        r = resolve_setting(setting, ctx, explicit=True)
        if not is_allowed(r, ctx):
            why = "not_allowed"
        elif is_denied(r, ctx):
            why = "denied"
        else:
            return MainSelection(choice, r)
        step: MainStep = "replaced_not_allowed" if why == "not_allowed" else "replaced_denied"
        requested, choice = choice, Choice(None, "default", None, step)
    r = resolve_setting(default_setting(ctx, choice), ctx, explicit=False)
    if ctx.enforce and ctx.allow is not None and ctx.allow.entries and not is_allowed(r, ctx):
        r = resolve_entry(ctx.allow.raw[0], ctx, literal=True)
        where = Origin("settings", "availableModels", ctx.allow_origin)
        choice = Choice(None, "availableModels", ctx.allow_origin, "enforced_default", where)
    if is_denied(r, ctx):
        for alias in DENIED_DEFAULT_ORDER:
            cand = resolve_alias(alias, False, ctx, explicit=False, typed=alias)
            if not is_denied(cand, ctx):
                r = cand
                where = Origin("settings", "deniedModels", scope="managed")
                choice = Choice(
                    None, "deniedModels", "managed deniedModels", "denied_default", where
                )
                break
    return MainSelection(choice, r, requested, why)
