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

from typing import Final, Generic, Literal, TypeVar, get_args

from claude_models._record import record

OriginKind = Literal[
    "session", "flag", "env", "settings", "agent_input", "agent_file", "skill", "builtin"
]

MainStep = Literal[
    "session",  # 1. /model in the session
    "flag",  # 2. --model
    "env",  # 3. ANTHROPIC_MODEL
    "settings",  # 4. settings model (managed > flag > local > project > user)
    "default_env",  # 5. ANTHROPIC_DEFAULT_MODEL
    "default",  # 6. the built-in default
    "replaced_not_allowed",  # after: an explicit choice outside availableModels -> default
    "replaced_denied",  # after: an explicit choice in managed deniedModels -> default
    "enforced_default",  # after: enforceAvailableModels -> the list's first entry
    "denied_default",  # after: the default denied -> the first family not denied
]
SideStep = Literal[
    "small_fast_env",  # 1. ANTHROPIC_SMALL_FAST_MODEL
    "haiku_env",  # 2. ANTHROPIC_DEFAULT_HAIKU_MODEL
    "haiku_slot",  # 3. haiku-capable first party: the haiku alias
    "provider_sonnet",  # 4. Bedrock/Vertex with no explicit main model: the provider's sonnet
    "main_loop",  # 5. the main-loop model
    "denied",  # after: managed deniedModels covers the pick -> the main-loop model
]
SubagentStep = Literal[
    "fork",  # 1. the fork agent inherits
    "forced_env",  # 2. CLAUDE_CODE_SUBAGENT_MODEL with ..._FORCE=1
    "agent_input",  # 3. the Agent call's model
    "frontmatter",  # 4. the custom agent's frontmatter model
    "frontmatter_inherit",  # 4. ... set to inherit
    "env",  # 5. CLAUDE_CODE_SUBAGENT_MODEL
    "inherit",  # 6. the parent's model
    "parent_kept",  # after: an alias of the parent's family keeps the parent's exact model
    "replaced_not_allowed",  # after: a model not allowed or denied -> the parent's
]
EffortStep = Literal[
    "env",  # CLAUDE_CODE_EFFORT_LEVEL (every role)
    "session",  # main: /effort in the session
    "flag",  # main: --effort
    "settings",  # main: settings effortLevel
    "model_settings",  # main: modelSettings.<model>.effortLevel
    "agent_input",  # subagent: the Agent call's effort
    "frontmatter",  # subagent: the custom agent's effort; skill: SKILL.md effort
    "subagent_env",  # subagent: CLAUDE_CODE_SUBAGENT_EFFORT
    "model_default",  # the model's own default
]
ProviderStep = Literal[
    "CLAUDE_CODE_USE_BEDROCK",
    "CLAUDE_CODE_USE_VERTEX",
    "CLAUDE_CODE_USE_FOUNDRY",
    "CLAUDE_CODE_USE_ANTHROPIC_AWS",
    "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD",
    "CLAUDE_CODE_USE_MANTLE",
    "CLAUDE_CODE_USE_GATEWAY",
    "default",
]
TierStep = Literal[
    "given",  # Snapshot.of(subscription=...) or the --subscription flag
    "oauth_env",  # CLAUDE_CODE_OAUTH_TOKEN with CLAUDE_CODE_SUBSCRIPTION_TYPE
    "login",  # ~/.claude.json oauthAccount (a /login session)
    "api",  # an API key: no subscription
]

MAIN_STEPS: Final = get_args(MainStep)
SIDE_STEPS: Final = get_args(SideStep)
SUBAGENT_STEPS: Final = get_args(SubagentStep)
EFFORT_STEPS: Final = get_args(EffortStep)
PROVIDER_STEPS: Final = get_args(ProviderStep)
TIER_STEPS: Final = get_args(TierStep)

S = TypeVar("S", bound=str)


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
class Decision(Generic[S]):
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
