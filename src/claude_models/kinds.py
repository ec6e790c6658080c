"""The closed sets of names the package types its values with: each chain's steps, the
origin kinds, the providers, thinking kinds and the fast-mode gate's rows, as ``Literal`` types
(for type checkers) and as tuples (``MAIN_STEPS``, ``PROVIDERS``, ...: for code and tests).

It needs :mod:`typing` at run time (``Literal``, ``get_args``), so nothing on the ``resolve``
path imports it: :mod:`typing` is ~12M instructions of a ~150M cold ``claude-models resolve``.
The modules that use these names import
them under ``TYPE_CHECKING`` (and hand them out on attribute access: ``decision.MainStep``,
``registry.Provider`` and ``fastmode.FastStep`` still work at run time).
"""

from __future__ import annotations

from typing import Final, Literal, get_args

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

Provider = Literal[
    "firstParty",
    "bedrock",
    "vertex",
    "foundry",
    "anthropicAws",
    "anthropicGoogleCloud",
    "mantle",
    "gateway",
]
ThinkingKind = Literal["adaptive", "budget", "none"]
FastStep = Literal[
    "disabled_by_env",
    "provider",
    "vertex_location",
    "model_not_allowed",
    "tier_unknown",
    "managed_off",
    "extra_usage",
    "org_disabled",
    "opt_in",
    "cooldown",
    "model_supports",
    "model_lacks",
]


Used = Literal["both", "resolve", "command"]


MAIN_STEPS: Final = get_args(MainStep)
SIDE_STEPS: Final = get_args(SideStep)
SUBAGENT_STEPS: Final = get_args(SubagentStep)
EFFORT_STEPS: Final = get_args(EffortStep)
PROVIDER_STEPS: Final = get_args(ProviderStep)
TIER_STEPS: Final = get_args(TierStep)
FAST_STEPS: Final = get_args(FastStep)
PROVIDERS: Final[tuple[Provider, ...]] = get_args(Provider)
