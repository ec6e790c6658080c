"""Environment helpers: truthiness as Claude Code reads it, empty as unset, secrets masked."""

from __future__ import annotations

import pytest

from claude_models import env as E


@pytest.mark.parametrize("value", ["1", "true", "TRUE", " yes ", "on"])
def test_truthy(value: str) -> None:
    assert E.is_truthy(value)


@pytest.mark.parametrize("value", [None, "", "0", "false", "no", "2", "enabled"])
def test_not_truthy(value: str | None) -> None:
    assert not E.is_truthy(value)


def test_empty_is_unset() -> None:
    assert E.get({"A": "  "}, "A") is None
    assert E.get({"A": " x "}, "A") == "x"


@pytest.mark.parametrize("secret", ["sk-ant-api03-SECRETSECRET", "AKIASECRETSECRET"])
def test_mask_never_shows_the_body(secret: str) -> None:
    assert "SECRET" not in E.mask(secret)
