"""The model registry of each modelled release: ``_data/claude-code-<V>.json`` loaded lazily.

Everything a Claude Code release knows about a model (its id on each of the eight providers,
context window, output limits, capabilities, default effort, prices, retirement dates) lives in
that release's data file, built from the release's own binary by ``tools/build_registry.py``.
This module only loads it and answers lookups:

- :func:`registry` returns the :class:`Registry` of one release (default: the newest modelled),
  read on first use and cached per release: a process that models 2.1.332 never reads the
  other releases' files.
- :meth:`Registry.find` maps any spelling of a known model (catalog id, dated first-party id,
  Bedrock id with any geo prefix, Vertex ``@date`` id, Mantle id, inference-profile ARN) to its
  :class:`Model`, or ``None`` for an id nobody knows.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from types import MappingProxyType

from claude_models._date import date
from claude_models._record import record
from claude_models.releases import NEWEST, RELEASES, check_release, data_file

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Final

    from claude_models.kinds import PROVIDERS as PROVIDERS
    from claude_models.kinds import Provider as Provider
    from claude_models.kinds import ThinkingKind as ThinkingKind
    from claude_models.snapshot import Snapshot


def __getattr__(name: str) -> object:
    """``Provider``, ``PROVIDERS`` and ``ThinkingKind``: now in :mod:`claude_models.kinds`."""
    if name in ("Provider", "PROVIDERS", "ThinkingKind"):
        from claude_models import kinds

        return getattr(kinds, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


EFFORT_LEVELS: Final[tuple[str, ...]] = ("low", "medium", "high", "xhigh", "max")
FAMILY_ALIASES: Final[tuple[str, ...]] = ("opus", "sonnet", "haiku", "fable")
ONE_M_SUFFIX: Final = "[1m]"
# Geo prefixes of Bedrock cross-region inference profiles ("us.anthropic.claude-...").
BEDROCK_GEO_PREFIXES: Final[frozenset[str]] = frozenset(
    {"us", "eu", "apac", "global", "jp", "au", "ca", "us-gov"}
)


@record
class Pricing:
    """Dollars per million tokens."""

    input: float
    output: float
    cache_write_5m: float
    cache_write_1h: float
    cache_read: float
    long_prompt_above: int | None = None
    long_prompt_input: float | None = None
    long_prompt_output: float | None = None


@record
class Model:
    """One model as a Claude Code release's catalog describes it."""

    id: str  # the catalog id, e.g. "claude-opus-4-6"
    family: str
    display_name: str
    knowledge_cutoff: str | None
    ids: MappingProxyType[str, str | None]  # provider -> id on that provider
    vertex_region_env: str | None
    fallback_3p: str | None
    context_window: int
    native_1m: bool  # the window is 1M without any beta
    beta_1m: bool  # the [1m] suffix unlocks 1M through the context-1m beta
    max_output_default: int
    max_output_upper: int
    pricing: Pricing
    capabilities: frozenset[str]
    default_effort: str | None
    thinking: ThinkingKind
    # Providers on which Claude Code sends no effort although the model takes one (observed:
    # opus-4-5 on Bedrock and Vertex, catalog.OBSERVED).
    effort_withheld_on: frozenset[str] = frozenset()

    @property
    def first_party_id(self) -> str:
        fp = self.ids.get("firstParty")
        return fp if fp is not None else self.id

    def id_on(self, provider: Provider) -> str | None:
        return self.ids.get(provider)

    @property
    def supports_effort(self) -> bool:
        return "effort" in self.capabilities

    def effort_on(self, provider: str) -> bool:
        """Whether Claude Code sends this model an effort level on ``provider``."""
        return "effort" in self.capabilities and provider not in self.effort_withheld_on

    def supports(self, capability: str) -> bool:
        return capability in self.capabilities


@record
class Alias:
    name: str
    default: str  # catalog id
    providers: MappingProxyType[str, str]

    def target(self, provider: Provider) -> str:
        return self.providers.get(provider, self.default)


@record
class Deprecation:
    match: str  # a catalog id; matches any id that contains it
    name: str
    retirement: MappingProxyType[str, date | None]
    remap_to_alias: str | None


@record
class Registry:
    release: str  # the Claude Code release whose catalog this is
    models: tuple[Model, ...]
    by_id: MappingProxyType[str, Model]
    aliases: MappingProxyType[str, Alias]
    best: str
    default_alias: MappingProxyType[str, str]
    alias_quirks: MappingProxyType[str, MappingProxyType[str, str]]
    fast_mode_model: str
    beta_context_1m: str
    beta_fast_mode: str
    deprecations: tuple[Deprecation, ...]
    _index: MappingProxyType[str, Model]

    def get(self, catalog_id: str) -> Model:
        return self.by_id[catalog_id]

    def find(self, model: str) -> Model | None:
        """The known model behind any provider's spelling of it, else ``None``."""
        key = model.strip().lower()
        if key.endswith(ONE_M_SUFFIX):
            key = key[: -len(ONE_M_SUFFIX)].strip()
        hit = self._index.get(key)
        if hit is not None:
            return hit
        if key.startswith("arn:"):
            # arn:aws:bedrock:REGION:ACCOUNT:inference-profile/us.anthropic.claude-...
            tail = key.rsplit("/", 1)[-1]
            return None if tail == key else self.find(tail)
        head, dot, rest = key.partition(".")
        if dot and head in BEDROCK_GEO_PREFIXES:
            return self._index.get(rest)
        return None

    def deprecation_for(self, model_id: str) -> Deprecation | None:
        key = model_id.lower()
        for dep in self.deprecations:
            if dep.match in key:
                return dep
        known = self.find(model_id)
        if known is not None:
            for dep in self.deprecations:
                if dep.match == known.id:
                    return dep
        return None


def _strip_geo(model_id: str) -> str:
    head, dot, rest = model_id.partition(".")
    return rest if dot and head in BEDROCK_GEO_PREFIXES else model_id


def _pricing(raw: dict[str, Any]) -> Pricing:
    long = raw.get("long_prompt") or {}
    return Pricing(
        input=raw["input"],
        output=raw["output"],
        cache_write_5m=raw["cache_write_5m"],
        cache_write_1h=raw["cache_write_1h"],
        cache_read=raw["cache_read"],
        long_prompt_above=long.get("above_prompt_tokens"),
        long_prompt_input=long.get("input"),
        long_prompt_output=long.get("output"),
    )


def _model(raw: dict[str, Any]) -> Model:
    return Model(
        id=raw["id"],
        family=raw["family"],
        display_name=raw["display_name"],
        knowledge_cutoff=raw.get("knowledge_cutoff"),
        ids=MappingProxyType(dict(raw["ids"])),
        vertex_region_env=raw.get("vertex_region_env"),
        fallback_3p=raw.get("fallback_3p"),
        context_window=raw["context_window"],
        native_1m=raw["native_1m"],
        beta_1m=raw["beta_1m"],
        max_output_default=raw["max_output_default"],
        max_output_upper=raw["max_output_upper"],
        pricing=_pricing(raw["pricing"]),
        capabilities=frozenset(raw["capabilities"]),
        default_effort=raw.get("default_effort"),
        thinking=raw["thinking"],
        effort_withheld_on=frozenset(raw.get("effort_withheld_on", ())),
    )


def build_registry(data: dict[str, Any]) -> Registry:
    """Build a :class:`Registry` from the parsed data file (tests pass their own)."""
    models = tuple(_model(m) for m in data["models"])
    index: dict[str, Model] = {}
    # Later spellings never shadow earlier ones; catalog ids first, then provider ids.
    for m in models:
        index.setdefault(m.id.lower(), m)
    for m in models:
        for pid in m.ids.values():
            if pid:
                index.setdefault(pid.lower(), m)
                index.setdefault(_strip_geo(pid.lower()), m)
    aliases = {
        name: Alias(name, a["default"], MappingProxyType(dict(a["providers"])))
        for name, a in data["aliases"].items()
    }
    deprecations = tuple(
        Deprecation(
            match=d["match"],
            name=d["name"],
            retirement=MappingProxyType(
                {p: (date.fromisoformat(v) if v else None) for p, v in d["retirement"].items()}
            ),
            remap_to_alias=d.get("remap_to_alias"),
        )
        for d in data["deprecations"]
    )
    return Registry(
        release=str(data.get("release", "")),
        models=models,
        by_id=MappingProxyType({m.id: m for m in models}),
        aliases=MappingProxyType(aliases),
        best=data["best"],
        default_alias=MappingProxyType(dict(data["default_alias"])),
        alias_quirks=MappingProxyType(
            {p: MappingProxyType(dict(q)) for p, q in data["alias_quirks"].items()}
        ),
        fast_mode_model=data["fast_mode_model"],
        beta_context_1m=data["betas"]["context_1m"],
        beta_fast_mode=data["betas"]["fast_mode"],
        deprecations=deprecations,
        _index=MappingProxyType(index),
    )


def encode_data(data: dict[str, Any]) -> str:
    """A release's data file as written: compact JSON, one model per line (small, diffable)."""
    models = data["models"]
    head = {k: v for k, v in data.items() if k != "models"}
    lines = [json.dumps(m, ensure_ascii=False, separators=(",", ":")) for m in models]
    body = json.dumps(head, ensure_ascii=False, separators=(",", ":"))
    return body[:-1] + ',"models":[\n' + ",\n".join(lines) + "\n]}\n"


def data_path(version: str) -> Path:
    """Where a release's data file is (whether or not the release is modelled yet)."""
    return data_file(version)


def release_files() -> dict[str, Path]:
    """The data file of every modelled release."""
    return {v: data_file(v) for v in RELEASES}


@cache
def registry(version: str | None = None) -> Registry:
    """The registry of Claude Code ``version`` (default: the newest modelled release), read
    from the package's data on first use and kept for the process."""
    release = check_release(version) if version is not None else NEWEST
    if version is None:
        return registry(release)
    # A plain file next to this module (package data); importlib.resources would cost ~10 ms
    # of imports on every cold `resolve`.
    return build_registry(json.loads(data_file(release).read_text(encoding="utf-8")))


def registry_of(snapshot: Snapshot) -> Registry:
    """The registry of the release a snapshot models: the catalog read from an installed
    release newer than any modelled when the loader found one, else the bundled data."""
    found = snapshot.claude_code.registry if snapshot.claude_code is not None else None
    return found if found is not None else registry(snapshot.claude_version)
