"""The registry: the catalog's facts, loaded once into frozen dataclasses."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from claude_models._record import FrozenInstanceError
from claude_models.registry import registry

CATALOG = json.loads(
    (
        Path(__file__).resolve().parent.parent
        / "reference"
        / "claude-code-2.1.328-model-catalog.json"
    ).read_text(encoding="utf-8")
)


def test_all_catalog_models_are_present() -> None:
    reg = registry()
    assert len(reg.models) == 24
    assert registry() is reg  # loaded once


def test_models_are_frozen() -> None:
    m = registry().get("claude-opus-5-5")
    with pytest.raises(FrozenInstanceError):
        m.context_window = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("query", "catalog_id"),
    [
        ("claude-opus-5-5", "claude-opus-5-5"),
        ("CLAUDE-OPUS-5-5", "claude-opus-5-5"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-sonnet-4-5[1m]", "claude-sonnet-4-5"),
        ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "claude-sonnet-4-5"),
        ("eu.anthropic.claude-opus-4-6-v1", "claude-opus-4-6"),
        ("claude-sonnet-4-5@20250929", "claude-sonnet-4-5"),
    ],
)
def test_find_by_any_provider_spelling(query: str, catalog_id: str) -> None:
    found = registry().find(query)
    assert found is not None and found.id == catalog_id


@pytest.mark.parametrize("query", ["claude-foo-9", "opus-4-5", "", "gpt-4"])
def test_find_unknown(query: str) -> None:
    assert registry().find(query) is None


@pytest.mark.parametrize(
    ("catalog_id", "max_default", "effort", "thinking"),
    [  # BEHAVIOUR.md 6, defaults with nothing configured
        ("claude-opus-5-5", 128000, "medium", "adaptive"),
        ("claude-opus-4-7", 64000, "xhigh", "adaptive"),
        ("claude-opus-4-6", 64000, "high", "adaptive"),
        ("claude-sonnet-4-6", 32000, "high", "adaptive"),
        ("claude-opus-4-5", 32000, "high", "budget"),
        ("claude-haiku-4-5", 32000, None, "budget"),
        ("claude-3-5-haiku", 8192, None, "none"),
    ],
)
def test_observed_defaults(
    catalog_id: str, max_default: int, effort: str | None, thinking: str
) -> None:
    m = registry().get(catalog_id)
    assert m.max_output_default == max_default
    assert (m.default_effort if m.supports_effort else None) == effort
    assert m.thinking == thinking


def test_provider_ids_match_the_catalog() -> None:
    """No id is invented: every provider id in the registry is the catalog's."""
    reg = registry()
    raw = {m["id"]: m for m in CATALOG["models"]}
    for m in reg.models:
        assert m.id in raw
        assert m.first_party_id in json.dumps(raw[m.id])


def test_deprecations_are_dates() -> None:
    deps = registry().deprecations
    assert deps
    dates = [d for dep in deps for d in dep.retirement.values() if d is not None]
    assert dates and all(isinstance(d, date) for d in dates)
