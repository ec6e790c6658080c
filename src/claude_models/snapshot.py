"""The single, frozen input of every resolver.

A :class:`Snapshot` holds everything Claude Code would consult: the environment as a plain
mapping (settings ``env`` already applied), the settings layers with their origins, the CLI
flags, the session state (``/model``, ``/effort``, ``/fast``), the ``Agent`` tool input, the
custom agents, the subscription tier and today's date. Nothing in the resolvers reads the
process or the disk; :mod:`claude_models.loader` builds a snapshot from the real process, and
:meth:`Snapshot.of` builds one from plain dicts (tests, agents embedding the library).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import attrgetter
from types import MappingProxyType

from claude_models._date import date
from claude_models._record import field, record
from claude_models.account import Account
from claude_models.decision import Decision
from claude_models.releases import NEWEST, ClaudeCode
from claude_models.settings.layers import Layer, Settings
from claude_models.settings.paths import SettingsPaths
from claude_models.settings.scopes import Scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from claude_models.kinds import TierStep

_EMPTY: Mapping[str, Any] = MappingProxyType({})
# the path Snapshot.of gives each settings layer (no file: the scope in brackets)
_PATHS: Mapping[Scope, str] = {scope: f"<{scope}>" for scope in Scope}

SUBSCRIPTION_TIERS = ("api", "pro", "max", "team_standard", "team_premium", "enterprise", "unknown")


@record
class Flags:
    """``claude`` flags, spelled as Claude Code spells them."""

    model: str | None = None  # --model
    permission_mode: str | None = None  # --permission-mode
    effort: str | None = None  # --effort
    fallback_model: str | None = None  # --fallback-model A[,B...]
    print_mode: bool = False  # -p / --print
    skill_model: str | None = None  # --skill-model M (claude-models' own): a SKILL.md model

    @property
    def session(self) -> str:
        return "print" if self.print_mode else "interactive"


@record
class SessionState:
    """Layer 1 of the main-loop chain: what ``/model``, ``/effort`` and ``/fast`` set in-session."""

    model: str | None = None
    effort: str | None = None
    fast_mode: bool | None = None
    fast_cooldown_until: float | None = None  # epoch seconds


@record
class AgentDef:
    """A custom subagent from ``.claude/agents/*.md`` frontmatter."""

    name: str
    model: str | None
    effort: str | None
    path: str
    scope: str  # "project" | "user"


@record
class Snapshot:
    env: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    settings: Settings = field(default_factory=Settings)
    flags: Flags = field(default_factory=Flags)
    session: SessionState = field(default_factory=SessionState)
    agent: Mapping[str, Any] | None = None  # the Agent tool input (--agent JSON)
    agents: Mapping[str, AgentDef] = field(default_factory=lambda: _EMPTY)  # custom agents by name
    subscription: str = "api"
    today: date = field(default_factory=date.today)
    inference_profiles: tuple[str, ...] | None = None  # discovered Bedrock profiles
    # variable -> the settings file whose ``env`` set it
    env_origins: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    problems: tuple[str, ...] = ()  # load-time problems, reported as warnings
    cwd: str | None = None
    # the files read and written, from the process environment (not settings ``env``)
    paths: SettingsPaths = field(default_factory=SettingsPaths)
    account: Account = field(default_factory=Account)  # ~/.claude.json oauthAccount and friends
    now: float | None = None  # epoch seconds (fast-mode cooldown); None: no clock
    claude_version: str = NEWEST  # the Claude Code release modelled (claude_models.releases)
    # how the loader chose ``subscription`` (None: given to Snapshot.of)
    tier_decision: Decision[TierStep] | None = None
    # where claude_version came from and what is installed (the loader's detection); None:
    # the library caller's claude_version (claude_models.releases.claude_code_of)
    claude_code: ClaudeCode | None = None
    # Results of pure functions of this (frozen) snapshot, e.g. resolve(): computed once.
    _memo: dict[str, Any] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    @classmethod
    def of(
        cls,
        *,
        env: Mapping[str, str] | None = None,
        user: Mapping[str, Any] | None = None,
        project: Mapping[str, Any] | None = None,
        local: Mapping[str, Any] | None = None,
        flag: Mapping[str, Any] | None = None,
        managed: Mapping[str, Any] | None = None,
        flags: Flags | None = None,
        session: SessionState | None = None,
        agent: Mapping[str, Any] | None = None,
        agents: Sequence[AgentDef] = (),
        subscription: str = "api",
        today: date | None = None,
        inference_profiles: Sequence[str] | None = None,
        account: Account | None = None,
        now: float | None = None,
        claude_version: str | None = None,
        paths: SettingsPaths | None = None,
    ) -> Snapshot:
        """A snapshot from plain values: settings as parsed JSON objects, env as a dict.

        Raises :class:`TypeError` (a value of the wrong type) or :class:`ValueError` (an
        unknown subscription tier), naming the argument or key."""
        check_env(env, "env")
        flags = flags or Flags()
        if not isinstance(flags, Flags):
            raise TypeError(f"Snapshot.of(flags=...): expected Flags, got {type(flags).__name__}")
        if session is not None and not isinstance(session, SessionState):
            raise TypeError(
                f"Snapshot.of(session=...): expected SessionState, got {type(session).__name__}"
            )
        if subscription not in SUBSCRIPTION_TIERS:
            raise ValueError(
                f"Snapshot.of(subscription={subscription!r}): not a tier; use one of "
                + ", ".join(SUBSCRIPTION_TIERS)
            )
        if today is not None and not isinstance(today, date):
            raise TypeError(f"Snapshot.of(today=...): expected a date, got {type(today).__name__}")
        for a in agents:
            if not isinstance(a, AgentDef):
                raise TypeError(f"Snapshot.of(agents=...): expected AgentDef items, got {a!r}")
        layers: list[Layer] = []
        for scope, data in (
            (Scope.USER, user),
            (Scope.PROJECT, project),
            (Scope.LOCAL, local),
            (Scope.FLAG, flag),
            (Scope.MANAGED, managed),
        ):
            if data is None:
                continue
            if type(data) is not dict and not isinstance(data, Mapping):
                raise TypeError(
                    f"Snapshot.of({scope}=...): settings must be a JSON object (a dict), got "
                    f"{type(data).__name__}"
                )
            layers.append(Layer.parse(scope, _PATHS[scope], _own_copy(data), owned=True))
        settings = Settings(tuple(layers), flags.session)
        given_env = env or {}
        full_env, origins = apply_settings_env(given_env, settings)
        return cls(  # positional, in field order (tests/test_snapshot.py checks the order)
            full_env,
            settings,
            flags,
            session or _NO_SESSION,
            agent,
            MappingProxyType({a.name: a for a in agents}) if agents else _EMPTY,
            subscription,
            today or date.today(),
            tuple(inference_profiles) if inference_profiles else None,
            origins,
            (),
            None,
            paths or SettingsPaths.of(given_env),
            account or _NO_ACCOUNT,
            now,
            claude_version or NEWEST,
        )


def _own_copy(data: Mapping[str, Any]) -> dict[str, Any]:
    """The caller's settings, with every JSON array and object copied: a snapshot is frozen,
    so a list the caller changes later (``availableModels``) must not change it."""
    values = data.values()
    if _SCALARS.issuperset(map(type, values)):  # nothing nested (C-level check and copy)
        return dict(data)
    return {k: _copy_json(v) if type(v) in _CONTAINERS else v for k, v in data.items()}


_CONTAINERS = (list, dict)
# JSON's scalar types: a list or object holding only these is copied whole (one C call)
_SCALARS = frozenset({str, int, float, bool, type(None)})


def _copy_json(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        if _SCALARS.issuperset(map(type, value)):
            return value.copy()
        return [_copy_json(v) if type(v) in _CONTAINERS else v for v in value]
    if kind is dict:
        if _SCALARS.issuperset(map(type, value.values())):
            return value.copy()
        return {k: _copy_json(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    return value


# Snapshot.of's defaults: frozen values, shared by every snapshot that takes them
_NO_SESSION = SessionState()
_NO_ACCOUNT = Account()


def detached(snap: Snapshot) -> Snapshot:
    """A snapshot equal to ``snap`` (the same field values) with a memo of its own.

    What ``snap._memo`` keeps (the derived context, the resolution with its deferred warnings)
    refers to this twin, never to ``snap``: so a snapshot and what it remembers form no
    reference cycle, and a fresh snapshot and its resolution are freed as soon as the caller
    drops them (by reference counting, not by the cyclic garbage collector)."""
    return type(snap)(*_field_values(snap))  # every field but _memo, which starts empty


# the values of a snapshot's fields in order, _memo aside (the one init=False field)
_field_values = attrgetter(*Snapshot.__match_args__)


def check_env(env: object, where: str) -> None:
    """``env`` must map variable names (str) to values (str): raise :class:`TypeError`
    naming the first variable that does not."""
    if env is None:
        return
    if type(env) is not dict and not isinstance(env, Mapping):
        raise TypeError(f"{where}: expected a mapping of str to str, got {type(env).__name__}")
    for k, v in env.items():
        if not isinstance(k, str) or not isinstance(v, str):
            raise TypeError(
                f"{where}[{k!r}]: environment values must be str, got {type(v).__name__}"
                if isinstance(k, str)
                else f"{where}: variable names must be str, got {k!r}"
            )


def apply_settings_env(
    env: Mapping[str, str], settings: Settings
) -> tuple[Mapping[str, str], Mapping[str, str]]:
    """Claude Code copies settings ``env`` into its process environment at start-up, so a
    settings value beats the shell's. Returns the effective env and each variable's origin."""
    merged = settings.merged("env")
    if not merged:
        return MappingProxyType(dict(env)), _EMPTY
    out = dict(env)
    origins: dict[str, str] = {}
    for var, s in merged.items():
        out[var] = s.value
        origins[var] = s.origin
    return MappingProxyType(out), MappingProxyType(origins)
