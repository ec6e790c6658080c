"""Build a :class:`~.snapshot.Snapshot` from the real process: environment, files, flags.

This is the one module on the resolve path that looks at ``os.environ`` and the disk (through
:mod:`.settings.load` and :mod:`.agentfiles`). Everything it finds that is wrong becomes a
problem line in the snapshot (reported as a warning), except inputs the user passed on the
command line that cannot be used at all, which raise :class:`~.errors.SettingsError` or
:class:`~.errors.UsageError`.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from claude_models import env as E
from claude_models.account import account_from_global, now_from
from claude_models.errors import UsageError
from claude_models.settings.layers import Layer, Settings
from claude_models.settings.load import (
    config_dir,
    load_file_layer,
    load_flag_layer,
    load_global_config,
    local_settings_path,
    project_settings_path,
    user_settings_path,
)
from claude_models.settings.scopes import Scope, managed_settings_path
from claude_models.snapshot import Flags, SessionState, Snapshot, apply_settings_env

# CLAUDE_CODE_SUBSCRIPTION_TYPE values -> tiers (see docs/DECISIONS.md)
SUBSCRIPTION_TYPES = {
    "pro": "pro",
    "max": "max",
    "team": "team_standard",
    "team_standard": "team_standard",
    "team_premium": "team_premium",
    "enterprise": "enterprise",
}


def subscription_from_env(
    env: Mapping[str, str], flag: str | None = None, stored: str | None = None
) -> str:
    """``api`` without an OAuth token; the tier of CLAUDE_CODE_SUBSCRIPTION_TYPE (or the
    ``--subscription`` flag) with one; ``unknown`` when the tier cannot be told. ``stored``: the
    tier of ``~/.claude.json``'s ``oauthAccount`` (a /login session), used when neither the flag
    nor an OAuth token nor an API key / auth token in the environment says otherwise."""
    if flag:
        return SUBSCRIPTION_TYPES.get(flag.strip().lower(), flag.strip().lower())
    if not E.get(env, E.OAUTH_TOKEN):
        if stored is not None and not (E.get(env, E.API_KEY) or E.get(env, E.AUTH_TOKEN)):
            return stored
        return "api"
    kind = (E.get(env, E.SUBSCRIPTION_TYPE) or "").lower()
    return SUBSCRIPTION_TYPES.get(kind, "unknown")


def parse_agent_input(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"--agent: not valid JSON ({exc.msg}); pass the Agent tool input, e.g. "
            '\'{"subagent_type": "general-purpose", "model": "haiku"}\''
        ) from None
    if not isinstance(data, dict):
        raise UsageError("--agent: must be a JSON object (the Agent tool input)")
    return data


def today_from(env: Mapping[str, str], given: str | None = None) -> date:
    raw = given or E.get(env, E.TODAY)
    if not raw:
        return date.today()
    try:
        return date.fromisoformat(raw)
    except ValueError:
        where = "--today" if given else E.TODAY
        raise UsageError(f"{where}: {raw!r} is not a date; use YYYY-MM-DD") from None


def load_snapshot(
    flags: Flags,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
    settings_arg: str | None = None,
    managed_path: str | None = None,
    agent_json: str | None = None,
    subscription: str | None = None,
    today: str | None = None,
    session: SessionState | None = None,
    inference_profiles: tuple[str, ...] | None = None,
    claude_version: str | None = None,
) -> Snapshot:
    """Everything Claude Code would read, from the process and the files it reads."""
    env = dict(os.environ if environ is None else environ)
    here = Path(cwd) if cwd is not None else Path.cwd()
    if not here.is_dir():
        raise UsageError(f"--cwd: {here} is not a directory")
    layers: list[Layer] = []
    problems: list[str] = []
    user = load_file_layer(Scope.USER, user_settings_path(env))
    project = load_file_layer(Scope.PROJECT, project_settings_path(here), within=here)
    local = load_file_layer(Scope.LOCAL, local_settings_path(here), within=here)
    flag = load_flag_layer(settings_arg, here) if settings_arg is not None else None
    managed = load_file_layer(Scope.MANAGED, Path(managed_path or managed_settings_path()))
    layers = [la for la in (user, project, local, flag, managed) if la is not None]
    settings = Settings(tuple(layers), session=flags.session)
    full_env, origins = apply_settings_env(env, settings)
    agent = parse_agent_input(agent_json)
    agents: Mapping[str, Any] = MappingProxyType({})
    if agent is not None:
        from claude_models.agentfiles import load_agents

        found, agent_problems = load_agents(here, config_dir(full_env))
        agents = MappingProxyType(found)
        problems += agent_problems
    global_config, global_problem = load_global_config(full_env)
    if global_problem:
        problems.append(global_problem)
    account = account_from_global(global_config)
    from claude_models.installed import ReleaseError, choose

    try:
        claude_code = choose(full_env, claude_version)
    except ReleaseError as exc:
        raise UsageError(str(exc)) from None
    return Snapshot(
        env=full_env,
        settings=settings,
        flags=flags,
        session=session or SessionState(),
        agent=agent,
        agents=agents,
        subscription=subscription_from_env(full_env, subscription, account.tier),
        today=today_from(full_env, today),
        inference_profiles=inference_profiles,
        env_origins=origins,
        problems=tuple(problems),
        cwd=str(here),
        account=account,
        now=now_from(full_env, time.time()),
        claude_version=claude_code.version,
        claude_code=claude_code,
    )
