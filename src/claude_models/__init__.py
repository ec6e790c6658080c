"""claude-models: Claude Code 2.1.328's model system as a pure function.

>>> from claude_models import Snapshot, Flags, resolve
>>> resolve(Snapshot.of(flags=Flags(model="sonnet", print_mode=True))).main.model
'claude-sonnet-5-5'

``resolve(snapshot)`` reads nothing but the snapshot; :func:`load_snapshot` builds one from
the real process (environment, settings files, managed policy) the way Claude Code reads them.
Nothing heavy is imported here: the live clients (anthropic SDK, boto3) and rich output are
imported only by the functions that need them.
"""

from __future__ import annotations

import gc

# Importing the package allocates only what lives as long as the process (modules, classes,
# tables): the cyclic collector's passes over them find nothing and were ~9% of a cold
# `claude-models resolve`. It is off while the package imports, then as it was.
_collecting = gc.isenabled()
gc.disable()
try:
    from claude_models.errors import (
        LiveError,
        LiveWarning,
        ModelNotAllowedError,
        ModelSystemError,
        ModelURLError,
        RefusalError,
        SettingsError,
        SettingsParseError,
        UnknownModelError,
        UsageError,
    )
    from claude_models.loader import load_snapshot
    from claude_models.resolver import resolve, resolve_skill
    from claude_models.result import FastMode, Request, Resolution, SideQuery, Subagent, Thinking
    from claude_models.snapshot import AgentDef, Flags, SessionState, Snapshot
finally:
    if _collecting:
        gc.enable()
    del _collecting

__version__ = "0.1.0"
CLAUDE_CODE_VERSION = "2.1.328"

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.live.client import AsyncClient, Client, ModelRoute, route_of

# The live clients (the ``claude-models[live]`` extra) load on first use, so that
# ``import claude_models`` never imports the anthropic SDK.
_LIVE = {
    "AsyncClient": "claude_models.live.client",
    "Client": "claude_models.live.client",
    "ModelRoute": "claude_models.live.client",
    "route_of": "claude_models.live.client",
}


def __getattr__(name: str) -> Any:
    module = _LIVE.get(name)
    if module is None:
        raise AttributeError(f"module 'claude_models' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "CLAUDE_CODE_VERSION",
    "AgentDef",
    "AsyncClient",
    "Client",
    "FastMode",
    "Flags",
    "LiveError",
    "LiveWarning",
    "ModelNotAllowedError",
    "ModelRoute",
    "ModelSystemError",
    "ModelURLError",
    "RefusalError",
    "Request",
    "Resolution",
    "SessionState",
    "SettingsError",
    "SettingsParseError",
    "SideQuery",
    "Snapshot",
    "Subagent",
    "Thinking",
    "UnknownModelError",
    "UsageError",
    "load_snapshot",
    "resolve",
    "resolve_skill",
    "route_of",
]
