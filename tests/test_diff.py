"""`claude-models diff` and `claude-models releases`, run as a new user would (fresh HOME and
cwd, no claude on PATH, no managed policy)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

VERTEX = {
    "CLAUDE_CODE_USE_VERTEX": "1",
    "ANTHROPIC_VERTEX_PROJECT_ID": "p",
    "CLOUD_ML_REGION": "us-east5",
}
FOUNDRY = {"CLAUDE_CODE_USE_FOUNDRY": "1", "ANTHROPIC_FOUNDRY_RESOURCE": "r"}
NO_MANAGED = ["--managed-settings", "/nonexistent/managed-settings.json"]


def diff(sandbox: Sandbox, env: dict[str, str], *args: str) -> dict[str, Any]:
    run = run_cli(
        ["diff", "--from", "2.1.328", "--json", *NO_MANAGED, *args],
        env=base_env(sandbox.home, env),
        cwd=sandbox.cwd,
    )
    assert run.code == 0, run.stderr
    out: dict[str, Any] = run.json()
    return out


def notes(d: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return [(n["release"], n["kind"], n.get("provider")) for n in d["notes"]]


def test_vertex_shows_the_alias_move_and_the_new_fallbacks_only(sandbox: Sandbox) -> None:
    out = diff(sandbox, VERTEX)
    assert (out["from"], out["to"], out["provider"]) == ("2.1.328", "2.1.332", "vertex")
    by = {d["what"]: d for d in out["differences"]}
    assert list(by) == ["main_stepdown", "side", "side_retry", "webfetch_stepdown"]
    assert by["side"]["from"].startswith("claude-sonnet-4-5@20250929")
    assert by["side"]["to"].startswith("claude-sonnet-5-5 ")
    assert notes(by["side"]) == [("2.1.332", "alias", "vertex")]
    assert "'sonnet' on vertex" in by["side"]["notes"][0]["text"]
    assert by["main_stepdown"]["to"].startswith("claude-opus-5 -> claude-opus-4-8")
    assert notes(by["main_stepdown"]) == [("2.1.332", "rule", None)]
    assert by["side_retry"]["to"] == "claude-opus-5-5"
    assert notes(by["side_retry"]) == [("2.1.330", "rule", None)]
    assert notes(by["webfetch_stepdown"]) == [("2.1.330", "rule", None)]


def test_foundry_shows_the_alias_move_and_the_new_fallbacks_only(sandbox: Sandbox) -> None:
    out = diff(sandbox, FOUNDRY)
    by = {d["what"]: d for d in out["differences"]}
    assert list(by) == ["main", "main_stepdown", "side", "side_retry"]
    assert by["main"]["from"].startswith("claude-sonnet-4-5 (32000 max_tokens")
    assert by["main"]["to"].startswith("claude-sonnet-5-5 (128000 max_tokens, medium, 1M")
    assert notes(by["main"]) == [("2.1.332", "alias", "foundry")]
    assert by["side_retry"]["to"].startswith("claude-sonnet-5 -> ")
    assert all(d["notes"] for d in out["differences"])


def test_the_human_form_names_each_release_note(sandbox: Sandbox) -> None:
    run = run_cli(
        ["diff", "--from", "2.1.328", *NO_MANAGED],
        env=base_env(sandbox.home, FOUNDRY),
        cwd=sandbox.cwd,
    )
    assert run.stdout.startswith("Claude Code 2.1.328 -> 2.1.332, provider foundry:")
    assert "2.1.332: catalog alias 'sonnet' on foundry: claude-sonnet-4-5 -> claude-sonnet-5-5" in (
        run.stdout
    )
    assert "2.1.330: A refused hook side query retries" in run.stdout


def test_the_same_release_or_a_quiet_one_differs_in_nothing(sandbox: Sandbox) -> None:
    assert diff(sandbox, VERTEX, "--to", "2.1.328")["differences"] == []
    run = run_cli(
        ["diff", "--from", "2.1.330", "--to", "2.1.331", *NO_MANAGED],
        env=base_env(sandbox.home, VERTEX),
        cwd=sandbox.cwd,
    )
    assert run.stdout == (
        "Claude Code 2.1.330 -> 2.1.331, provider vertex: no difference for this configuration.\n"
    )


def test_a_retirement_warning_that_appears_names_the_table_change(sandbox: Sandbox) -> None:
    env = VERTEX | {"ANTHROPIC_DEFAULT_HAIKU_MODEL": "claude-sonnet-4-5"}
    out = diff(sandbox, env, "--to", "2.1.329", "--today", "2026-11-29")
    by = {d["what"]: d for d in out["differences"]}
    assert list(by) == ["warning model_retiring"]
    assert notes(by["warning model_retiring"]) == [("2.1.329", "retirement", None)]


def test_diff_refuses_claude_version(sandbox: Sandbox) -> None:
    run = run_cli(
        ["diff", "--from", "2.1.328", "--claude-version", "2.1.330"],
        env=base_env(sandbox.home),
        cwd=sandbox.cwd,
    )
    assert run.code == 2 and "--claude-version does not apply" in run.stderr


def test_releases_lists_each_release_and_its_changes(sandbox: Sandbox) -> None:
    run = run_cli(["releases", "--json"], env=base_env(sandbox.home), cwd=sandbox.cwd)
    out = run.json()
    assert out["newest"] == "2.1.332"
    by = {r["version"]: r["changes"] for r in out["releases"]}
    assert list(by) == ["2.1.328", "2.1.329", "2.1.330", "2.1.331", "2.1.332"]
    assert by["2.1.328"] == [] and by["2.1.331"] == []
    assert [c["subject"] for c in by["2.1.330"]] == [
        "hook_side_query_retry_on_main",
        "webfetch_vertex_stepdown",
        "CLAUDE_CODE_MODEL_NOBODY_CHOSE",  # first read by 2.1.330's binary (not modelled)
    ]
    assert {c["kind"] for c in by["2.1.329"]} == {"retirement", "capability"}
    kinds = [c["kind"] for c in by["2.1.332"]]
    assert kinds.count("alias") == 4 and kinds.count("retirement") == 4 and "rule" in kinds
    text = run_cli(["releases"], env=base_env(sandbox.home), cwd=sandbox.cwd).stdout
    assert "2.1.332 (newest, the default)" in text and "2.1.331\n  no observed change" in text


@pytest.mark.parametrize("bad", [["--from", "2.1.999"], ["--from", "2.1.328", "--to", "x"]])
def test_bad_releases_exit_2(sandbox: Sandbox, bad: list[str]) -> None:
    run = run_cli(["diff", *bad], env=base_env(sandbox.home), cwd=sandbox.cwd)
    assert run.code == 2 and run.stderr.count("\n") == 1
    assert "modelled: 2.1.328, 2.1.329, 2.1.330, 2.1.331, 2.1.332" in run.stderr
