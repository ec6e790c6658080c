"""The checks look at each custom-agent model value once (``checks/_catalog.agent_groups``),
yet report every agent that writes a value with a finding, in agent-name order, exactly as a
walk over every agent would."""

from __future__ import annotations

import re

import pytest

from claude_models import AgentDef, Flags, Snapshot, resolve
from claude_models.checks import _catalog

# (agent model, what a check says about each agent that writes it) -- on Bedrock, main haiku
BEDROCK: list[tuple[str | None, tuple[str, ...]]] = [
    ("hiaku", ("model_id_typo",)),
    ("opus", ("subagent_model_expensive",)),
    ("claude-opus-4-6", ("agent_first_party_id", "subagent_model_expensive")),
    ("us.anthropic.claude-haiku-4-5", ("bedrock_id_malformed",)),
    ("inherit", ()),
    ("haiku", ()),
    (None, ()),
    ("sonet", ("model_id_typo",)),
]
ENV = {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "eu-west-1"}


def _agents(n: int) -> list[AgentDef]:
    """``n`` agents cycling through the table's values; names sort in creation order only
    by their zero-padded number, so groups interleave in name order."""
    return [
        AgentDef(f"agent-{i:03d}", BEDROCK[i % len(BEDROCK)][0], None, f"<{i}>", "project")
        for i in range(n)
    ]


def _by_code(n: int) -> dict[str, list[str]]:
    snap = Snapshot.of(env=ENV, agents=_agents(n), flags=Flags(model="haiku"))
    out: dict[str, list[str]] = {}
    for w in resolve(snap).warnings:
        found = re.search(r"agent '(agent-\d+)'", w.message)
        if found:
            out.setdefault(w.code, []).append(found.group(1))
    return out


@pytest.mark.parametrize("n", [1, len(BEDROCK), 3 * len(BEDROCK) + 1])
def test_every_agent_with_a_finding_is_reported_in_name_order(n: int) -> None:
    expected: dict[str, list[str]] = {}
    for i in range(n):
        for code in BEDROCK[i % len(BEDROCK)][1]:
            expected.setdefault(code, []).append(f"agent-{i:03d}")
    assert _by_code(n) == expected


def test_agent_slots_are_grouped_once_per_snapshot() -> None:
    snap = Snapshot.of(env=ENV, agents=_agents(2 * len(BEDROCK)), flags=Flags(model="haiku"))
    groups = _catalog.agent_groups(snap)
    assert groups is _catalog.agent_groups(snap)  # derived once, kept on the snapshot
    assert [g.value for g in groups] == [v for v, _ in BEDROCK if v]
    assert all(len(g.slots) == len(g.agents) == 2 for g in groups)
    # iterating the slots gives every agent slot in name order, as a walk over agents did
    slots = [s.label for s in _catalog.Slots((), groups, ())]
    names = sorted(a.name for a in _agents(2 * len(BEDROCK)) if a.model)
    assert slots == [f"agent '{n}' model" for n in names]
