"""The settings keys the model system reads, with their types.

A key of the wrong type is ignored where it stands (with a warning naming file and key);
keys not listed here are kept untouched in the layer's ``raw`` mapping and never dropped.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

# key -> (checker, human description of the expected type). The checkers are C-level
# callables (a type's ``__instancecheck__`` is ``isinstance``; ``map`` over it checks every
# element) because every key of every settings layer goes through one on the resolve path.
_is_str = str.__instancecheck__
_is_list = list.__instancecheck__
_is_dict = dict.__instancecheck__


def _str_list(v: Any) -> bool:
    return _is_list(v) and all(map(_is_str, v))


def _str_map(v: Any) -> bool:
    return _is_dict(v) and all(map(_is_str, v.values()))


_STR = (_is_str, "a string")
_BOOL = (bool.__instancecheck__, "true or false")
_STR_LIST = (_str_list, "a list of strings")
_OBJ = (_is_dict, "an object")
_STR_MAP = (_str_map, "an object of strings")

MODEL_KEYS: Final[dict[str, tuple[Any, str]]] = {
    "model": _STR,
    "availableModels": _STR_LIST,
    "enforceAvailableModels": _BOOL,
    "deniedModels": _STR_LIST,
    "effortLevel": _STR,
    "modelSettings": _OBJ,
    "fastMode": _BOOL,
    "alwaysThinkingEnabled": _BOOL,
    "fallbackModel": _STR_LIST,
    "modelOverrides": _STR_MAP,
    "env": _STR_MAP,
}

# List keys whose non-string elements are dropped one by one, the string elements kept: a
# managed ``deniedModels: ["opus", null]`` still denies opus (CHANGES.md, "Managed policy
# against the other knobs"). Dropping the whole list would fail open. Every scope alike.
STRING_ELEMENTS: Final[frozenset[str]] = frozenset(
    {"availableModels", "deniedModels", "fallbackModel"}
)

# Other keys Claude Code's settings accept: known, not read by the model system, kept as is.
OTHER_KNOWN_KEYS: Final[frozenset[str]] = frozenset(
    {
        "$schema",
        "apiKeyHelper",
        "awsAuthRefresh",
        "awsCredentialExport",
        "cleanupPeriodDays",
        "companyAnnouncements",
        "includeCoAuthoredBy",
        "includeGitInstructions",
        "permissions",
        "hooks",
        "disableAllHooks",
        "allowManagedHooksOnly",
        "statusLine",
        "outputStyle",
        "forceLoginMethod",
        "forceLoginOrgUUID",
        "enableAllProjectMcpServers",
        "enabledMcpjsonServers",
        "disabledMcpjsonServers",
        "allowedMcpServers",
        "deniedMcpServers",
        "sandbox",
        "spinnerTipsEnabled",
        "spinnerVerbs",
        "theme",
        "verbose",
        "autoUpdates",
        "autoUpdatesChannel",
        "preferredNotifChannel",
        "otelHeadersHelper",
        "plugins",
        "enabledPlugins",
        "extraKnownMarketplaces",
        "strictKnownMarketplaces",
        "skipWebFetchPreflight",
        "alwaysThinkingEnabled",
        "feedbackSurveyRate",
        "respectGitignore",
        "language",
        "attribution",
        "fileSuggestion",
        "prefersReducedMotion",
        "showTurnDuration",
        "terminalProgressBarEnabled",
        "spinnerTipsOverride",
        "disableBypassPermissionsMode",
        "outputStyles",
        "agent",
        "teammateMode",
        "autoMemoryEnabled",
        "claudeMdExcludes",
        "plansDirectory",
    }
)
