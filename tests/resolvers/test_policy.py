"""availableModels / deniedModels matching: family, version prefix, exact id."""

from __future__ import annotations

import pytest

from claude_models.registry import registry
from claude_models.resolvers.policy import ModelList


def _allows(entries: list[str], name: str) -> bool:
    return ModelList.of(entries).allows([name], registry().find(name))


@pytest.mark.parametrize(
    ("entries", "name", "allowed"),
    [
        (["opus"], "claude-opus-4-6", True),
        (["opus"], "claude-sonnet-5-5", False),
        (["opus", "opus-4-5"], "claude-opus-5-5", False),  # narrowed family
        (["opus", "opus-4-5"], "claude-opus-4-5-20251101", True),
        (["opus-4-5"], "claude-opus-4-5-20251101", True),  # version prefix
        (["claude-opus-4-5"], "claude-opus-4-5-20251101", True),
        (["opus-4-5"], "claude-opus-4-50", False),  # only at a segment boundary
        (["claude-opus-4-6"], "us.anthropic.claude-opus-4-6-v1", True),  # any spelling
        (["claude-sonnet-4-5-20250929"], "claude-sonnet-4-5@20250929", True),
        (["SONNET"], "claude-sonnet-5-5", True),  # case-insensitive
        ([], "claude-opus-5-5", False),  # an empty list allows nothing
        (["sonnet[1m]"], "claude-sonnet-5-5", True),
    ],
)
def test_allows(entries: list[str], name: str, allowed: bool) -> None:
    assert _allows(entries, name) is allowed


def test_denied_has_no_narrowing() -> None:
    denied = ModelList.of(["opus", "opus-4-5"])
    m = registry().get("claude-opus-5-5")
    assert denied.denies([m.id], m)


def test_specific_entries_in_order() -> None:
    lst = ModelList.of(["opus", "claude-opus-4-6", "opus-4-5", "sonnet"])
    assert lst.specific_for("opus") == ["claude-opus-4-6", "opus-4-5"]


@pytest.mark.parametrize(
    ("entries", "names", "allowed"),
    [
        # a custom id has no catalog family: every name's family word counts (opusplan run as
        # a custom sonnet pin is both an opus word and a sonnet word)
        (["sonnet", "haiku", "opus-4-6"], ("opusplan", "my-sonnet"), True),
        (["opus"], ("opusplan", "my-sonnet"), True),
        (["haiku"], ("opusplan", "my-sonnet"), False),
        (["opus"], ("sonnet", "my-opus-x"), True),
    ],
)
def test_every_family_word_of_a_custom_model_counts(
    entries: list[str], names: tuple[str, ...], allowed: bool
) -> None:
    lst = ModelList.of(entries)
    assert lst.allows(names, None) is allowed
    assert lst.allows(tuple(reversed(names)), None) is allowed
    assert lst.denies(names, None) is allowed  # as a deny list: none of these narrow


HASH_SEED_PROBE = """
import sys
from claude_models import Flags, Snapshot, resolve
snap = Snapshot.of(
    env={"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
         "ANTHROPIC_DEFAULT_SONNET_MODEL": "my-sonnet"},
    managed={"availableModels": ["sonnet", "haiku", "opus-4-6"]},
    flags=Flags(model="opusplan", print_mode=True),
)
res = resolve(snap)
print(res.main.model, res.decisions.main.step)
"""


def test_the_allowlist_answer_does_not_depend_on_the_hash_seed() -> None:
    """It did (round 4): the family of the first name a set yielded decided, so seeds 4, 5, 7
    and 11 replaced the model that the other seeds allowed."""
    import os
    import subprocess
    import sys

    answers: set[str] = set()
    for seed in ("0", "4", "5", "7", "11"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run(
            [sys.executable, "-c", HASH_SEED_PROBE],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        )
        answers.add(proc.stdout.strip())
    assert answers == {"my-sonnet flag"}


@pytest.mark.parametrize(
    ("pin", "entries", "typed", "sent"),
    [
        # observed on 2.1.328 and 2.1.332 (tests/observed: ls_sonnet_pin*, ls_*opusplan_pin*)
        ("my-opus-x", ["sonnet"], "sonnet", "claude-sonnet-5-5"),  # the pin is passed over
        ("my-opus-x", ["opus"], "sonnet", "my-opus-x"),  # the list allows the pin itself
        ("claude-sonnet-4-5", ["sonnet"], "sonnet", "claude-sonnet-4-5"),
        ("my-opus-x", ["haiku"], "sonnet", "claude-opus-5-5"),  # neither: the default
        ("my-sonnet", ["opus"], "opusplan", "my-sonnet"),  # opusplan keeps its pin
        ("my-sonnet", ["sonnet", "haiku"], "opusplan", "my-sonnet"),
    ],
)
def test_an_alias_pin_the_allowlist_refuses_is_passed_over(
    pin: str, entries: list[str], typed: str, sent: str
) -> None:
    from claude_models import Flags, Snapshot, resolve

    snap = Snapshot.of(
        env={"ANTHROPIC_API_KEY": "k", "ANTHROPIC_DEFAULT_SONNET_MODEL": pin},
        user={"availableModels": entries},
        flags=Flags(model=typed, print_mode=True),
    )
    assert resolve(snap).main.model == sent
    agent = Snapshot.of(
        env={"ANTHROPIC_API_KEY": "k", "ANTHROPIC_DEFAULT_SONNET_MODEL": pin},
        user={"availableModels": entries},
        flags=Flags(print_mode=True),
        agent={"subagent_type": "general-purpose", "model": "sonnet"},
    )
    sub = resolve(agent).subagent
    assert sub is not None and sub.request is not None
    if typed == "sonnet" and sent != "claude-opus-5-5":
        assert sub.request.model == sent  # Agent(model=sonnet) resolves the same way
