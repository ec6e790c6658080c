"""Every environment variable the model system reads, grouped by purpose, with its meaning.

Names only: nothing here reads ``os.environ``. The snapshot builder (:mod:`.snapshot`) copies
the process environment into a plain mapping; the resolvers read that mapping.
"""

from __future__ import annotations

from collections.abc import Mapping

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Final

# -- Provider selection (first one set wins; first party otherwise) ----------------------------
USE_BEDROCK: Final = "CLAUDE_CODE_USE_BEDROCK"
USE_VERTEX: Final = "CLAUDE_CODE_USE_VERTEX"
USE_FOUNDRY: Final = "CLAUDE_CODE_USE_FOUNDRY"
USE_ANTHROPIC_AWS: Final = "CLAUDE_CODE_USE_ANTHROPIC_AWS"
USE_ANTHROPIC_GOOGLE_CLOUD: Final = "CLAUDE_CODE_USE_ANTHROPIC_GOOGLE_CLOUD"
USE_MANTLE: Final = "CLAUDE_CODE_USE_MANTLE"
USE_GATEWAY: Final = "CLAUDE_CODE_USE_GATEWAY"

# -- Endpoints and credentials (secrets: never printed) -----------------------------------------
BASE_URL: Final = "ANTHROPIC_BASE_URL"
API_KEY: Final = "ANTHROPIC_API_KEY"
AUTH_TOKEN: Final = "ANTHROPIC_AUTH_TOKEN"
OAUTH_TOKEN: Final = "CLAUDE_CODE_OAUTH_TOKEN"
SUBSCRIPTION_TYPE: Final = "CLAUDE_CODE_SUBSCRIPTION_TYPE"
BEDROCK_BASE_URL: Final = "ANTHROPIC_BEDROCK_BASE_URL"
BEDROCK_MANTLE_BASE_URL: Final = "ANTHROPIC_BEDROCK_MANTLE_BASE_URL"
VERTEX_BASE_URL: Final = "ANTHROPIC_VERTEX_BASE_URL"
VERTEX_PROJECT_ID: Final = "ANTHROPIC_VERTEX_PROJECT_ID"
FOUNDRY_BASE_URL: Final = "ANTHROPIC_FOUNDRY_BASE_URL"
FOUNDRY_RESOURCE: Final = "ANTHROPIC_FOUNDRY_RESOURCE"
FOUNDRY_API_KEY: Final = "ANTHROPIC_FOUNDRY_API_KEY"
AWS_BASE_URL: Final = "ANTHROPIC_AWS_BASE_URL"
AWS_WORKSPACE_ID: Final = "ANTHROPIC_AWS_WORKSPACE_ID"
GOOGLE_CLOUD_BASE_URL: Final = "ANTHROPIC_GOOGLE_CLOUD_BASE_URL"
GOOGLE_CLOUD_PROJECT: Final = "ANTHROPIC_GOOGLE_CLOUD_PROJECT"
GOOGLE_CLOUD_LOCATION: Final = "ANTHROPIC_GOOGLE_CLOUD_LOCATION"
GOOGLE_CLOUD_WORKSPACE_ID: Final = "ANTHROPIC_GOOGLE_CLOUD_WORKSPACE_ID"
AWS_BEARER_TOKEN_BEDROCK: Final = "AWS_BEARER_TOKEN_BEDROCK"
SKIP_BEDROCK_AUTH: Final = "CLAUDE_CODE_SKIP_BEDROCK_AUTH"
SKIP_VERTEX_AUTH: Final = "CLAUDE_CODE_SKIP_VERTEX_AUTH"
SKIP_FOUNDRY_AUTH: Final = "CLAUDE_CODE_SKIP_FOUNDRY_AUTH"
SKIP_MANTLE_AUTH: Final = "CLAUDE_CODE_SKIP_MANTLE_AUTH"
SKIP_ANTHROPIC_AWS_AUTH: Final = "CLAUDE_CODE_SKIP_ANTHROPIC_AWS_AUTH"
SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH: Final = "CLAUDE_CODE_SKIP_ANTHROPIC_GOOGLE_CLOUD_AUTH"
MAX_RETRIES: Final = "CLAUDE_CODE_MAX_RETRIES"
API_TIMEOUT_MS: Final = "API_TIMEOUT_MS"  # request timeout of live requests (default 600 s)
PROBE_TIMEOUT: Final = "CLAUDE_MODELS_PROBE_TIMEOUT"  # seconds; validate / doctor --live probes

# -- Regions ----------------------------------------------------------------------------------
AWS_REGION: Final = "AWS_REGION"
AWS_DEFAULT_REGION: Final = "AWS_DEFAULT_REGION"
BEDROCK_REGION_PREFIX: Final = "ANTHROPIC_BEDROCK_REGION_PREFIX"
CLOUD_ML_REGION: Final = "CLOUD_ML_REGION"
# plus the per-model VERTEX_REGION_CLAUDE_* named in the registry

# -- Model choice -----------------------------------------------------------------------------
MODEL: Final = "ANTHROPIC_MODEL"
DEFAULT_MODEL: Final = "ANTHROPIC_DEFAULT_MODEL"
DEFAULT_OPUS_MODEL: Final = "ANTHROPIC_DEFAULT_OPUS_MODEL"
DEFAULT_SONNET_MODEL: Final = "ANTHROPIC_DEFAULT_SONNET_MODEL"
DEFAULT_HAIKU_MODEL: Final = "ANTHROPIC_DEFAULT_HAIKU_MODEL"
DEFAULT_FABLE_MODEL: Final = "ANTHROPIC_DEFAULT_FABLE_MODEL"
SMALL_FAST_MODEL: Final = "ANTHROPIC_SMALL_FAST_MODEL"
SMALL_FAST_MODEL_AWS_REGION: Final = "ANTHROPIC_SMALL_FAST_MODEL_AWS_REGION"
CUSTOM_MODEL_OPTION: Final = "ANTHROPIC_CUSTOM_MODEL_OPTION"
SUBAGENT_MODEL: Final = "CLAUDE_CODE_SUBAGENT_MODEL"
SUBAGENT_MODEL_FORCE: Final = "CLAUDE_CODE_SUBAGENT_MODEL_FORCE"
DISABLE_LEGACY_MODEL_REMAP: Final = "CLAUDE_CODE_DISABLE_LEGACY_MODEL_REMAP"
# ANTHROPIC_DEFAULT_<FAMILY>_MODEL for each family alias
FAMILY_OVERRIDE: Final[Mapping[str, str]] = {
    "opus": DEFAULT_OPUS_MODEL,
    "sonnet": DEFAULT_SONNET_MODEL,
    "haiku": DEFAULT_HAIKU_MODEL,
    "fable": DEFAULT_FABLE_MODEL,
}

# -- Request knobs ----------------------------------------------------------------------------
EFFORT_LEVEL: Final = "CLAUDE_CODE_EFFORT_LEVEL"
SUBAGENT_EFFORT: Final = "CLAUDE_CODE_SUBAGENT_EFFORT"
MAX_OUTPUT_TOKENS: Final = "CLAUDE_CODE_MAX_OUTPUT_TOKENS"
MAX_THINKING_TOKENS: Final = "MAX_THINKING_TOKENS"
DISABLE_THINKING: Final = "CLAUDE_CODE_DISABLE_THINKING"
DISABLE_1M_CONTEXT: Final = "CLAUDE_CODE_DISABLE_1M_CONTEXT"
DISABLE_FAST_MODE: Final = "CLAUDE_CODE_DISABLE_FAST_MODE"

# -- Where files live -------------------------------------------------------------------------
CONFIG_DIR: Final = "CLAUDE_CONFIG_DIR"
HOME: Final = "HOME"

# -- claude-models' own ------------------------------------------------------------------------
# Opt-in runtime fallback of refused side queries to the main-loop model (see docs/DECISIONS.md).
SIDE_QUERY_FALLBACK: Final = "CLAUDE_MODELS_SIDE_QUERY_FALLBACK"
TODAY: Final = "CLAUDE_MODELS_TODAY"  # YYYY-MM-DD, pins "today" for retirement warnings

# Variables whose values are secrets: masked wherever a value would be shown.
SECRETS: Final[frozenset[str]] = frozenset(
    {
        API_KEY,
        AUTH_TOKEN,
        OAUTH_TOKEN,
        FOUNDRY_API_KEY,
        AWS_BEARER_TOKEN_BEDROCK,
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ACCESS_KEY_ID",
        "GOOGLE_APPLICATION_CREDENTIALS",
    }
)

_TRUTHY: Final = frozenset({"1", "true", "yes", "on"})


def is_truthy(value: str | None) -> bool:
    """Claude Code's ``isEnvTruthy``: 1/true/yes/on, any case, surrounding space ignored."""
    return value is not None and value.strip().lower() in _TRUTHY


def get(env: Mapping[str, str], name: str) -> str | None:
    """The variable's value, or ``None`` when unset or empty/whitespace (treated as unset)."""
    value = env.get(name)
    if value is None:
        return None
    value = value.strip()
    return value or None


def mask(value: str) -> str:
    """A secret as it may be shown: its kind, never its body."""
    if value.startswith("sk-ant-"):
        return "sk-ant-…(masked)"
    return "…(masked)"
