"""Parsed settings layers and lookups that keep the origin of every value (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from types import MappingProxyType

from claude_models._record import field, record
from claude_models.settings.schema import MODEL_KEYS, OTHER_KNOWN_KEYS, STRING_ELEMENTS
from claude_models.settings.scopes import ALL, HIGH_TO_LOW, Scope
from claude_models.settings.scopes import honoured_scopes as _honoured_scopes

# a pure function of (key, session kind) over fixed tables: kept (a lookup a setting read)
honoured_scopes = lru_cache(maxsize=128)(_honoured_scopes)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@record
class Layer:
    """One settings source as read.

    ``raw`` is everything the file held (unknown keys included, never dropped); ``valid`` only
    the model-system keys whose type is right; ``problems`` one line each for what was wrong.
    """

    scope: Scope
    path: str | None  # None when --settings was a JSON string
    raw: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    valid: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    problems: tuple[str, ...] = ()
    unknown_keys: tuple[str, ...] = ()
    exists: bool = True

    @property
    def where(self) -> str:
        return self.path if self.path is not None else "--settings (JSON string)"

    @classmethod
    def parse(cls, scope: Scope, path: str | None, data: object, *, owned: bool = False) -> Layer:
        """Validate parsed JSON ``data`` into a layer; wrong types become ``problems``.
        ``owned``: ``data`` is a dict of the caller's own that nobody changes later (kept as
        ``raw`` without a copy)."""
        where = path if path is not None else "--settings (JSON string)"
        if not isinstance(data, dict):
            return cls(
                scope,
                path,
                problems=(
                    f"{where}: settings must be a JSON object, not {type(data).__name__}; "
                    "the file is ignored",
                ),
            )
        valid: dict[str, Any] = {}
        problems: list[str] = []
        unknown: list[str] = []
        for key, value in data.items():
            spec = MODEL_KEYS.get(key)
            if spec is None:
                if key not in OTHER_KNOWN_KEYS:
                    unknown.append(key)
                continue
            check, expected = spec
            if check(value):
                valid[key] = value
            elif key in STRING_ELEMENTS and isinstance(value, list):
                valid[key] = [x for x in value if isinstance(x, str)]
                problems += [
                    f"{where}: key '{key}' element {i} must be a string, got {_json_type(x)}; "
                    "that element is ignored, the others apply"
                    for i, x in enumerate(value)
                    if not isinstance(x, str)
                ]
            elif key == "fallbackModel" and isinstance(value, str):
                problems.append(
                    f"{where}: key 'fallbackModel' is a string; Claude Code ignores it here, "
                    f'write a list such as ["{value}"]'
                )
            else:
                problems.append(
                    f"{where}: key '{key}' must be {expected}, got {_json_type(value)}; ignored"
                )
        return cls(
            scope,
            path,
            MappingProxyType(data if owned else dict(data)),
            MappingProxyType(valid),
            tuple(problems) if problems else (),
            tuple(unknown) if unknown else (),
        )


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "an object",
    }.get(type(value), type(value).__name__)


@record
class Setting:
    """A value and where it came from."""

    key: str
    value: Any
    scope: Scope
    path: str | None

    @property
    def origin(self) -> str:
        where = self.path if self.path is not None else "--settings"
        return f"{self.scope} ({where})"


@record
class Settings:
    """All layers, with first-match-wins lookups from the highest scope down."""

    layers: tuple[Layer, ...] = ()  # any order; lookups walk HIGH_TO_LOW
    session: str = "print"  # "print" | "interactive": some keys are honoured per session kind
    # set by __post_init__ from the layers (the factory's value never shows)
    _by_scope: Mapping[Scope, Layer] = field(default_factory=dict, repr=False, compare=False)
    # the layers from the highest scope down (the walk order), and get()'s answers so far:
    # derived from the (frozen) layers, so each key is looked up once per Settings
    _high_to_low: tuple[Layer, ...] = field(default=(), init=False, repr=False, compare=False)
    _got: dict[str, Setting | None] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    # merged()'s answers so far (copied out: callers get a dict of their own)
    _merged: dict[str, dict[str, Setting]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_scope = {la.scope: la for la in self.layers}
        object.__setattr__(self, "_by_scope", MappingProxyType(by_scope))
        ordered = tuple([by_scope[s] for s in HIGH_TO_LOW if s in by_scope])
        object.__setattr__(self, "_high_to_low", ordered)

    def layer(self, scope: Scope) -> Layer | None:
        return self._by_scope.get(scope)

    def _walk(self, key: str, scopes: frozenset[Scope] | None) -> Iterator[Setting]:
        allowed = honoured_scopes(key, self.session) if scopes is None else scopes
        for la in self._high_to_low:
            if key in la.valid and la.scope in allowed:
                yield Setting(key, la.valid[key], la.scope, la.path)

    def _honoured(self, key: str) -> list[Layer]:
        """The layers whose value of ``key`` is honoured, highest scope first."""
        allowed = honoured_scopes(key, self.session)
        return [la for la in self._high_to_low if key in la.valid and la.scope in allowed]

    def get(self, key: str, *, scopes: frozenset[Scope] | None = None) -> Setting | None:
        """The honoured value of ``key`` from the highest scope that sets it."""
        if scopes is not None:
            return next(self._walk(key, scopes), None)
        got = self._got
        if key in got:
            return got[key]
        found: Setting | None = None
        allowed = honoured_scopes(key, self.session)
        for la in self._high_to_low:
            valid = la.valid
            if key in valid and la.scope in allowed:
                found = Setting(key, valid[key], la.scope, la.path)
                break
        got[key] = found
        return found

    def entry(self, key: str, sub: str) -> Setting | None:
        """``key.sub`` for object-valued keys (modelSettings, modelOverrides, env), deep-merged."""
        for la in self._honoured(key):
            value = la.valid[key]
            if sub in value:
                return Setting(f"{key}.{sub}", value[sub], la.scope, la.path)
        return None

    def merged(self, key: str) -> dict[str, Setting]:
        """Object-valued ``key`` merged over the honoured scopes (higher wins per entry)."""
        done = self._merged.get(key)
        if done is None:
            done = {}
            for la in self._honoured(key):
                for sub, value in la.valid[key].items():
                    if sub not in done:
                        done[sub] = Setting(f"{key}.{sub}", value, la.scope, la.path)
            self._merged[key] = done
        return dict(done) if done else {}

    def everywhere(self, key: str) -> list[Setting]:
        """Every layer's value of ``key``, honoured or not (for warnings)."""
        return list(self._walk(key, ALL))

    def problems(self) -> list[str]:
        return [p for la in self.layers for p in la.problems]
