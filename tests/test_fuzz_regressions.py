"""Bugs the fuzzer found, pinned as plain tests (tests/test_fuzz.py)."""

from __future__ import annotations

from claude_models import Flags, Snapshot, resolve

BEDROCK_US = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1"}


def test_an_enforced_bedrock_spelled_entry_is_sent_as_that_model_not_claude_prefixed() -> None:
    """["us.anthropic.claude-sonnet-4-20250514-v1:0"] + enforce on first party: the default
    became "claude-us.anthropic.claude-sonnet-4-…", an id that exists nowhere and that the
    list itself does not allow."""
    policy = {
        "availableModels": ["us.anthropic.claude-sonnet-4-20250514-v1:0"],
        "enforceAvailableModels": True,
    }
    res = resolve(Snapshot.of(managed=policy, flags=Flags(print_mode=True)))
    assert res.main.model == "claude-sonnet-4-20250514"
    assert not any(w.code == "allowlist_excludes_model" for w in res.warnings)


def test_a_bedrock_spelled_entry_allows_that_id() -> None:
    """An allowlist holding the exact Bedrock id an admin copied from the console allows that
    id: it used to be compared with the id stripped of its "us.anthropic." and never matched,
    so --model with the very same id was replaced by the default."""
    wire = "us.anthropic.claude-opus-4-6-v1"
    policy = {"availableModels": [wire], "enforceAvailableModels": True}
    res = resolve(Snapshot.of(env=BEDROCK_US, managed=policy, flags=Flags(model=wire)))
    assert res.main.model == wire
    assert res.main.source == "--model"


def test_a_bedrock_spelled_denied_entry_denies_the_model_on_every_provider() -> None:
    """Managed deniedModels spelled for Bedrock also denies the model on first party."""
    managed = {"deniedModels": ["us.anthropic.claude-opus-4-6-v1"]}
    res = resolve(Snapshot.of(managed=managed, flags=Flags(model="claude-opus-4-6")))
    assert res.main.model != "claude-opus-4-6"


def test_an_enforced_narrowed_family_entry_runs_its_narrower_entry() -> None:
    """["SONNET", "claude-sonnet-4"] + enforce, no model chosen: the list allows only Sonnet
    4 (a narrower entry narrows the family), yet the enforced default was sonnet-5-5."""
    policy = {"availableModels": ["SONNET", "claude-sonnet-4"], "enforceAvailableModels": True}
    res = resolve(Snapshot.of(user=policy, flags=Flags(print_mode=True)))
    assert (
        res.main.model == resolve(Snapshot.of(user=policy, flags=Flags(model="sonnet"))).main.model
    )
    assert res.main.model.startswith("claude-sonnet-4")


def test_an_enforced_1m_entry_is_the_model_with_1m_not_a_made_up_id() -> None:
    """["sonnet[1m]"] + enforce sent "claude-sonnet[1m]": the suffix was not split off."""
    policy = {"availableModels": ["sonnet[1m]"], "enforceAvailableModels": True}
    res = resolve(Snapshot.of(user=policy, flags=Flags(print_mode=True)))
    assert res.main.model == "claude-sonnet-5-5"
    assert res.main.context_window == 1_000_000


def test_a_refused_skill_model_runs_the_session_model_the_list_allowed_by_its_typed_name() -> None:
    """Found by the long profile of tests/test_fuzz_policy.py (its oracle, not the resolver,
    was wrong): enforced ["claude-opus-4"], flag settings model claude-opus-4 (retired: the
    legacy remap sends the latest Opus, allowed because the name typed is in the list), and a
    skill model SONNET the list refuses. The skill runs the session's model, as the main loop
    does; the oracle now checks an inherited model as the main loop's."""
    policy = {"availableModels": ["claude-opus-4", 5], "enforceAvailableModels": True}
    snap = Snapshot.of(
        managed=policy, flag={"model": "claude-opus-4"}, flags=Flags(skill_model="SONNET")
    )
    res = resolve(snap)
    assert (res.main.setting, res.main.model) == ("claude-opus-4", "claude-opus-5-5")
    assert res.skill is not None
    assert res.skill.model == res.main.model
    assert "not allowed" in res.skill.source
