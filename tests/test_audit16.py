"""Issue 16 run end to end as a new admin would (the lock session's audit): each test is a
mismatch with the issue text found from a shell, and fails without its fix."""

from __future__ import annotations

import json

import pytest

from claude_models import Flags, Snapshot, resolve
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox

# managed policy -> why an explicit user model was replaced by the default
REPLACED = [
    ({"availableModels": ["sonnet"], "enforceAvailableModels": True}, "not in availableModels"),
    ({"availableModels": ["sonnet"]}, "not in availableModels"),
    ({"deniedModels": ["opus"]}, "in managed deniedModels"),
]


@pytest.mark.parametrize(("policy", "why"), REPLACED, ids=["enforced", "plain", "denied"])
def test_a_replaced_model_names_the_policy_entry_that_replaced_it(
    policy: dict[str, object], why: str
) -> None:
    """An enforced allowlist that left out the user's model was reported as "in managed
    deniedModels" (there were none): the final step (the enforced default) was read instead of
    why the choice was replaced (item 4, "the right why")."""
    snap = Snapshot.of(managed=policy, user={"model": "opus"}, flags=Flags(print_mode=True))
    res = resolve(snap)
    assert (res.main.origin or "").endswith(f"replaced: {why}"), res.main.origin
    msgs = [w.message for w in res.warnings if w.code == "model_replaced_by_default"]
    assert len(msgs) == 1 and f"which is {why}" in msgs[0], msgs


def test_doctor_on_the_broken_setup_names_the_allowlist_not_denied_models(
    sandbox: Sandbox,
) -> None:
    """The issue's broken setup (a typo in the managed allowlist, a Bedrock id in user
    settings): doctor exits 1 and says the id is not in availableModels."""
    managed = sandbox.tmp / "managed.json"
    managed.write_text(json.dumps({"availableModels": ["sonet"], "enforceAvailableModels": True}))
    user = sandbox.home / ".claude" / "settings.json"
    user.parent.mkdir()
    user.write_text('{"model": "us.anthropic.claude-opus-4-6-v1"}')
    r = run_cli(
        ["doctor", "--managed-settings", str(managed)], env=base_env(sandbox.home), cwd=sandbox.cwd
    )
    assert r.code == 1, r.stdout + r.stderr
    line = next(ln for ln in r.stdout.splitlines() if "[model_replaced_by_default]" in ln)
    assert "is not in availableModels" in line and "deniedModels" not in line


# a deniedModels entry -> the suggestion doctor makes (None: no typo warning at all)
DENIED_TYPOS = [("opsu", "opus"), ("pous", "opus"), ("opus", None), ("sonet", "sonnet")]


@pytest.mark.parametrize(("entry", "meant"), DENIED_TYPOS)
def test_a_denied_models_typo_of_a_short_alias_gets_did_you_mean(
    entry: str, meant: str | None
) -> None:
    """``deniedModels: ["opsu"]`` (two letters swapped) was "matches no model" with no
    suggestion: difflib's ratio for a swap in a four-letter alias is under its cutoff. The
    admin believes Opus is denied; item 1 asks for "did you mean" on every deniedModels
    entry."""
    snap = Snapshot.of(managed={"deniedModels": [entry]}, flags=Flags(print_mode=True))
    typos = [w.message for w in resolve(snap).warnings if w.code == "model_id_typo"]
    if meant is None:
        assert typos == []
    else:
        assert len(typos) == 1 and f"'{entry}' (did you mean {meant}?)" in typos[0], typos


def test_an_unknown_vertex_location_reads_as_english() -> None:
    env = {
        "CLAUDE_CODE_USE_VERTEX": "1",
        "CLOUD_ML_REGION": "mars-1",
        "ANTHROPIC_VERTEX_PROJECT_ID": "p",
    }
    msgs = [w.message for w in resolve(Snapshot.of(env=env)).warnings if w.code == "region_unknown"]
    assert msgs == ["CLOUD_ML_REGION=mars-1 is not a Google Cloud location; requests to it fail"]


def test_a_malformed_bedrock_id_gets_one_suggestion_not_two() -> None:
    """``anthropic.claude-opus-4-6`` (no ``-v1``) was told "did you mean
    anthropic.claude-opus-4-6-v1?" and, in the next line, "did you mean
    anthropic.claude-opus-4-8?": two fixes for one typo."""
    env = {
        "CLAUDE_CODE_USE_BEDROCK": "1",
        "AWS_REGION": "us-east-1",
        "ANTHROPIC_MODEL": "anthropic.claude-opus-4-6",
    }
    warnings = resolve(Snapshot.of(env=env)).warnings
    about = [w for w in warnings if "'anthropic.claude-opus-4-6'" in w.message]
    assert [w.code for w in about] == ["bedrock_id_malformed"], [w.message for w in about]
    assert "did you mean anthropic.claude-opus-4-6-v1?" in about[0].message


def test_doctor_prints_prices_as_models_does(sandbox: Sandbox) -> None:
    """``models`` says Haiku 5.5 costs "$0.10/$0.50 per Mtok"; doctor's cost warning said
    "$0.1/$0.5" and "+$3.9 input" for the same catalog (item 8: the commands agree)."""
    env = base_env(sandbox.home, {"CLAUDE_CODE_SUBAGENT_MODEL": "opus"})
    common = ["--managed-settings", str(sandbox.tmp / "m.json"), "--model", "haiku"]
    doctor = run_cli(["doctor", *common], env=env, cwd=sandbox.cwd)
    models = run_cli(["models", *common], env=env, cwd=sandbox.cwd)
    line = next(ln for ln in doctor.stdout.splitlines() if "[subagent_model_expensive]" in ln)
    haiku = next(ln for ln in models.stdout.splitlines() if ln.startswith("Haiku "))
    assert "Haiku 5.5 $0.10/$0.50 per Mtok" in line and "$0.10/$0.50 per Mtok" in haiku
    assert "+$3.90 input and +$19.50 output per million tokens" in line
