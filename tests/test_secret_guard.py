"""The leak check every CLI run in the suite goes through really fails on a leak."""

from __future__ import annotations

import pytest

from tests.clirun import assert_no_secret


@pytest.mark.parametrize(
    ("name", "value", "printed"),
    [
        ("ANTHROPIC_API_KEY", "sk-ant-api03-SECRETVALUE1", "key sk-ant-api03-SECRETVALUE1"),
        ("ANTHROPIC_AUTH_TOKEN", "tok-ABCDEFGHIJKL", "…IJKLxyz? no: EFGHIJKL"),
        ("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG", "ends with /K7MDENG!"),
        ("ANTHROPIC_API_KEY", "sk-ant-api03-SECRETVALUE1", "cut: sk-ant-api03-SECRETVAL…"),
        ("ANTHROPIC_FOUNDRY_API_KEY", "foundry-0123456789abcdef", "middle 3456789abc only"),
    ],
)
def test_leak_is_caught(name: str, value: str, printed: str) -> None:
    with pytest.raises(AssertionError, match=name):
        assert_no_secret({name: value}, printed)


def test_masked_output_passes() -> None:
    assert_no_secret({"ANTHROPIC_API_KEY": "sk-ant-api03-SECRETVALUE1"}, "sk-ant-…(masked)")
