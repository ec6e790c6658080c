"""claude-models: Claude Code 2.1.328's model system as a pure function.

>>> from claude_models import Snapshot, Flags, resolve
>>> resolve(Snapshot.of(flags=Flags(model="sonnet", print_mode=True))).main.model
'claude-sonnet-5-5'

``resolve(snapshot)`` reads nothing but the snapshot; :func:`load_snapshot` builds one from
the real process (environment, settings files, managed policy) the way Claude Code reads them.
Nothing heavy is imported here: the live clients (anthropic SDK, boto3) and rich output are
imported only by the functions that need them.
"""

from claude_models.errors import (
    LiveError,
    ModelSystemError,
    ModelURLError,
    SettingsError,
    SettingsParseError,
    UnknownModelError,
    UsageError,
)
from claude_models.loader import load_snapshot
from claude_models.resolver import resolve, resolve_skill
from claude_models.result import FastMode, Request, Resolution, SideQuery, Subagent, Thinking
from claude_models.snapshot import AgentDef, Flags, SessionState, Snapshot

__version__ = "0.1.0"
CLAUDE_CODE_VERSION = "2.1.328"

__all__ = [
    "CLAUDE_CODE_VERSION",
    "AgentDef",
    "FastMode",
    "Flags",
    "LiveError",
    "ModelSystemError",
    "ModelURLError",
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
]
