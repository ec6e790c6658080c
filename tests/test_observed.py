"""Every stored observation of the real Claude Code (tests/observed/<release>/<scenario>.json,
made by ``python -m tools.follow observe``) replayed against ``resolve``: the static fields the
run showed must be what ``claude-models resolve --json`` answers for the same inputs.

The project does not model every release fully yet: ``tests/observed/KNOWN_DIFFS.json`` lists
the scenarios that still differ, with the fields and the reason. Every other scenario must match;
a listed scenario must still differ, and only in its listed fields (strict: when a rule lands
and the scenario matches, the entry must go).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from tools.follow import compare
from tools.follow import scenarios as sc

from tests.conftest import Sandbox

OBSERVED = Path(__file__).parent / "observed"
NEWEST = "2.1.332"
KNOWN: dict[str, dict[str, Any]] = json.loads(
    (OBSERVED / "KNOWN_DIFFS.json").read_text(encoding="utf-8")
)


def _records(release: str) -> list[dict[str, Any]]:
    folder = OBSERVED / release
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


RECORDS = _records(NEWEST)
BY_NAME = {r["name"]: r for r in RECORDS}


def _has_version_flag() -> bool:
    from claude_models import cli

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):
        cli.main(["resolve", "--help"])
    return "--claude-version" in buf.getvalue()


VERSION_FLAG = _has_version_flag()


def resolve_in_process(
    record: dict[str, Any], sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> dict[str, Any]:
    """``claude-models resolve --json`` on the scenario, in this process: an environment of
    exactly the scenario's variables, a fresh HOME and cwd, its files, no machine policy."""
    from claude_models import cli

    scenario = record["scenario"]
    extra = compare.write_inputs(scenario, sandbox.home, sandbox.cwd, sandbox.tmp)
    args = compare.resolve_args(scenario, record["release"], extra, version_flag=VERSION_FLAG)
    for name in list(os.environ):
        if not name.startswith(compare.GUARD_PREFIX):  # the suite's machine guard stays
            monkeypatch.delenv(name)
    env = compare.project_env(sandbox.home, scenario["env"], record["release"])
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(sandbox.cwd)
    capsys.readouterr()
    code = cli.main(args)
    out = capsys.readouterr().out
    assert code == 0, out
    data: dict[str, Any] = json.loads(out)
    return data


def test_corpus_is_large_and_observed() -> None:
    corpus = sc.corpus()
    assert len(corpus) >= 200
    providers = {sc.provider_of(s) for s in corpus}
    assert providers == {
        "firstParty", "bedrock", "vertex", "foundry", "gateway", "mantle", "anthropicAws",
        "anthropicGoogleCloud",
    }  # fmt: skip
    # every scenario has its 2.1.332 observation, made from today's inputs
    assert sorted(BY_NAME) == sorted(s["name"] for s in corpus)
    for s in corpus:
        assert BY_NAME[s["name"]]["scenario"] == s, f"{s['name']}: re-observe after editing it"
        assert BY_NAME[s["name"]]["release"] == NEWEST


def test_known_diffs_are_well_formed() -> None:
    for name, entry in KNOWN.items():
        assert name in BY_NAME, f"KNOWN_DIFFS: {name} is not a stored scenario"
        assert entry.get("reason"), f"KNOWN_DIFFS: {name} needs a reason"
        assert set(entry.get("fields") or []) <= set(compare.FIELDS), name


# Scenarios where Claude Code ignores the user settings file, the side-query hook with it.
NO_HOOK = {
    # `fallbackModel` must be a list: a string makes the whole user settings file invalid
    "fb_fp_settings_string",
}


def test_every_observation_ran_cleanly() -> None:
    """No timeout, and a JSON result every time: a broken run is not an observation."""
    for r in RECORDS:
        if r["name"] in NO_HOOK:
            assert "hook" not in r["observation"]["side"], r["name"]
            continue
        obs = r["observation"]
        assert not obs["timed_out"], r["name"]
        assert not obs["no_json_output"], r["name"]
        assert obs["other_requests"] == [], (r["name"], obs["other_requests"])
        if r["scenario"].get("side") == "hook":
            assert obs["side"].get("hook"), f"{r['name']}: the hook side query did not run"


@pytest.mark.parametrize("name", sorted(BY_NAME))
def test_resolve_matches_observation(
    name: str, sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    record = BY_NAME[name]
    observed = compare.observed_static(record)
    assert observed.get("main.model") or record["observation"]["exit_code"] != 0
    resolved = resolve_in_process(record, sandbox, monkeypatch, capsys)
    differs = compare.diff(observed, resolved)
    if name in KNOWN:
        listed = set(KNOWN[name]["fields"])
        assert differs, f"{name} now matches Claude Code {NEWEST}: remove it from KNOWN_DIFFS.json"
        assert set(differs) <= listed, f"{name}: new differences {sorted(set(differs) - listed)}"
    else:
        assert differs == {}, record["scenario"]["what"]
