"""Build a :class:`~.snapshot.Snapshot` from the real process: environment, files, flags.

This is the one module on the resolve path that looks at ``os.environ`` and the disk (through
:mod:`.settings.load` and :mod:`.agentfiles`). Everything it finds that is wrong becomes a
problem line in the snapshot (reported as a warning), except inputs the user passed on the
command line that cannot be used at all, which raise :class:`~.errors.SettingsError` or
:class:`~.errors.UsageError`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from claude_models import env as E
from claude_models._date import date
from claude_models.account import account_from_global, now_from
from claude_models.errors import UsageError
from claude_models.resolvers.subscription import subscription_decision
from claude_models.safeio import JsonTextError, loads
from claude_models.settings.layers import Layer, Settings
from claude_models.settings.load import load_file_layer, load_flag_layer, load_global_config
from claude_models.settings.paths import SettingsPaths
from claude_models.settings.scopes import Scope, managed_settings_path
from claude_models.snapshot import Flags, SessionState, Snapshot, apply_settings_env, check_env

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def parse_agent_input(text: str | None) -> dict[str, Any] | None:
    if text is None:
        return None
    try:
        data = loads(text)
    except JsonTextError as exc:
        raise UsageError(
            f"--agent: not valid JSON ({exc}); pass the Agent tool input, e.g. "
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
    flags: Flags | None = None,
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
    """Everything Claude Code would read, from the process and the files it reads.

    ``flags`` defaults to no flags (an interactive session). Raises :class:`TypeError` for an
    argument of the wrong type, naming it (and the variable, for ``environ``)."""
    flags = Flags() if flags is None else flags
    if not isinstance(flags, Flags):
        raise TypeError(f"load_snapshot(flags=...): expected Flags, got {type(flags).__name__}")
    check_env(environ, "load_snapshot(environ=...)")
    env = dict(os.environ if environ is None else environ)
    try:
        here = Path(cwd) if cwd is not None else Path.cwd()
    except FileNotFoundError:
        raise UsageError(
            "the current directory no longer exists; cd to an existing one or pass --cwd"
        ) from None
    if not here.is_dir():
        raise UsageError(f"--cwd: {here} is not a directory")
    layers: list[Layer] = []
    problems: list[str] = []
    # Paths from the process environment, before settings ``env`` applies: reads and writes
    # use the same files (claude_models.settings.paths).
    paths = SettingsPaths.of(env, cwd=str(here))
    user = load_file_layer(Scope.USER, paths.user)
    project = load_file_layer(Scope.PROJECT, paths.project, within=here)
    local = load_file_layer(Scope.LOCAL, paths.local, within=here)
    flag = load_flag_layer(settings_arg, here) if settings_arg is not None else None
    managed = load_file_layer(Scope.MANAGED, Path(managed_path or managed_settings_path()))
    layers = [la for la in (user, project, local, flag, managed) if la is not None]
    settings = Settings(tuple(layers), session=flags.session)
    full_env, origins = apply_settings_env(env, settings)
    agent = parse_agent_input(agent_json)
    agents: Mapping[str, Any] = MappingProxyType({})
    if agent is not None:
        from claude_models.agentfiles import load_agents

        found, agent_problems = load_agents(here, paths.agents_dir.parent)
        agents = MappingProxyType(found)
        problems += agent_problems
    global_config, global_problem = load_global_config(paths.global_config)
    if global_problem:
        problems.append(global_problem)
    account = account_from_global(global_config)
    tier = subscription_decision(full_env, subscription, account.tier)
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
        subscription=tier.value or "api",
        tier_decision=tier,
        today=today_from(full_env, today),
        inference_profiles=inference_profiles,
        env_origins=origins,
        problems=tuple(problems),
        cwd=str(here),
        paths=paths,
        account=account,
        now=now_from(full_env, time.time()),
        claude_version=claude_code.version,
        claude_code=claude_code,
    )
