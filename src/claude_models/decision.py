"""What every precedence chain returns: a :class:`Decision` naming the value, the step that
won and where it came from.

Each chain's steps are a ``Literal`` in its docstring order (highest first); outcomes after the
chain (allowlist replacement, managed deny, enforced default) are named steps too. Consumers
match on ``step``, never on the ``source`` strings of ``resolve --json`` (those are derived from
the decision and stay a contract of their own).

=============  ========================================  ===================================
chain          steps (:data:`..._STEPS`)                 module
=============  ========================================  ===================================
main model     :data:`MAIN_STEPS`                        ``resolvers/main.py``
side model     :data:`SIDE_STEPS`                        ``resolvers/side.py``
subagent       :data:`SUBAGENT_STEPS`                    ``resolvers/subagent.py``
effort         :data:`EFFORT_STEPS`                      ``resolvers/effort.py``
provider       :data:`PROVIDER_STEPS`                    ``providers.py``
tier           :data:`TIER_STEPS`                        ``resolvers/subscription.py``
fast mode      ``FastStep`` (the gate's rows)            ``resolvers/fastmode.py``
=============  ========================================  ===================================
"""

from __future__ import annotations

from claude_models._record import record

TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Final, Generic, TypeVar

    from claude_models.kinds import EFFORT_STEPS as EFFORT_STEPS
    from claude_models.kinds import MAIN_STEPS as MAIN_STEPS
    from claude_models.kinds import PROVIDER_STEPS as PROVIDER_STEPS
    from claude_models.kinds import SIDE_STEPS as SIDE_STEPS
    from claude_models.kinds import SUBAGENT_STEPS as SUBAGENT_STEPS
    from claude_models.kinds import TIER_STEPS as TIER_STEPS
    from claude_models.kinds import EffortStep as EffortStep
    from claude_models.kinds import MainStep as MainStep
    from claude_models.kinds import OriginKind as OriginKind
    from claude_models.kinds import ProviderStep as ProviderStep
    from claude_models.kinds import SideStep as SideStep
    from claude_models.kinds import SubagentStep as SubagentStep
    from claude_models.kinds import TierStep as TierStep

    S = TypeVar("S", bound=str)

    class _Generic(Generic[S]):
        """What type checkers see: :class:`Decision` is generic in its step type."""

else:

    class _Generic:
        """At run time: ``Decision[MainStep]`` is :class:`Decision` (no :mod:`typing`)."""

        __slots__ = ()

        def __class_getitem__(cls, item: object) -> type:
            return cls

    S = "S"


_KINDS = frozenset(
    {
        "OriginKind",
        "MainStep",
        "SideStep",
        "SubagentStep",
        "EffortStep",
        "ProviderStep",
        "TierStep",
        "MAIN_STEPS",
        "SIDE_STEPS",
        "SUBAGENT_STEPS",
        "EFFORT_STEPS",
        "PROVIDER_STEPS",
        "TIER_STEPS",
    }
)


def __getattr__(name: str) -> object:
    """The step types and tuples, now in :mod:`claude_models.kinds`, under their old names."""
    if name in _KINDS:
        from claude_models import kinds

        return getattr(kinds, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@record
class Origin:
    """Where a decided value came from.

    Attributes:
        kind: ``session``, ``flag``, ``env``, ``settings``, ``agent_input``, ``agent_file``,
            ``skill`` or ``builtin``.
        name: the flag, variable or settings key (``--model``, ``ANTHROPIC_MODEL``, ``model``).
        path: the settings or agent file, when a file decided.
        scope: the settings scope, when settings decided.
    """

    kind: OriginKind
    name: str | None = None
    path: str | None = None
    scope: str | None = None


BUILTIN: Final = Origin("builtin")


@record
class Decision(_Generic[S]):
    """One chain's answer.

    Attributes:
        value: what was decided (a model setting or id, an effort level, a provider, a tier,
            a fast-mode state); ``None`` where the chain's answer is "nothing" (the built-in
            default model setting, no effort).
        step: the step that won, one of the chain's ``Literal`` steps.
        origin: where the value came from.
    """

    value: str | None
    step: S
    origin: Origin = BUILTIN


@record
class Decisions:
    """The decision of every chain for one resolution (:attr:`Resolution.decisions`).

    Attributes:
        main: the main-loop model.
        effort: the main-loop effort.
        side: the side-query model.
        subagent: the subagent's model, ``None`` without an Agent call (or when it is rejected).
        provider: the provider.
        tier: the subscription tier.
        fast: fast mode (the gate row that blocked, or what the model decided).
    """

    main: Decision[MainStep]
    effort: Decision[EffortStep]
    side: Decision[SideStep]
    subagent: Decision[SubagentStep] | None
    provider: Decision[ProviderStep]
    tier: Decision[TierStep]
    fast: Decision[str]
