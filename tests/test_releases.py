"""The release rule table: each rule starts at the release CHANGES.md names, on both sides."""

from __future__ import annotations

import pytest

from claude_models.releases import (
    NEWEST,
    OLDEST,
    RELEASES,
    RULES,
    enabled,
    parse_version,
    rules_for,
)

BOUNDARIES = [
    ("hook_side_query_retry_on_main", "2.1.329", "2.1.330"),
    ("webfetch_vertex_stepdown", "2.1.329", "2.1.330"),
    ("auto_3p_main_stepdown", "2.1.331", "2.1.332"),
]


@pytest.mark.parametrize(("rule", "before", "at"), BOUNDARIES)
def test_rule_starts_at_its_release(rule: str, before: str, at: str) -> None:
    assert not enabled(rule, before)
    assert enabled(rule, at)
    assert getattr(rules_for(at), rule) is True
    assert getattr(rules_for(before), rule) is False


def test_every_rule_has_a_boundary_test() -> None:
    assert {r.name for r in RULES} == {b[0] for b in BOUNDARIES}


def test_releases_are_ordered() -> None:
    assert [parse_version(v) for v in RELEASES] == sorted(parse_version(v) for v in RELEASES)
    assert (OLDEST, NEWEST) == ("2.1.328", "2.1.332")


@pytest.mark.parametrize("bad", ["2.1", "v2.1.330", "2.1.x", "", "2.1.330.1"])
def test_bad_versions_are_refused(bad: str) -> None:
    with pytest.raises(ValueError, match="not a Claude Code version"):
        parse_version(bad)


def test_unmodelled_release_is_refused() -> None:
    with pytest.raises(ValueError, match=r"modelled: 2\.1\.328"):
        rules_for("2.1.327")
