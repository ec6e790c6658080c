"""Properties of managed policy against every other knob (issue 12 items 1-4), with
Hypothesis in the style of tests/test_fuzz.py (``ci`` profile by default, ``pytest -m fuzz``
for the long run). Unlike tests/test_fuzz.py's policy properties, modelOverrides, the
``ANTHROPIC_DEFAULT_*_MODEL`` pins, fallback models and list elements that are not strings
are all drawn here."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claude_models import Flags, SessionState, Snapshot, resolve_skill
from claude_models.registry import Model, registry
from claude_models.resolver import compute
from claude_models.resolvers.policy import ModelList
from claude_models.resolvers.setting import split_1m
from claude_models.result import Request, Resolution
from tests.test_fuzz import IN_PROCESS, MODEL_WORDS

pytestmark = pytest.mark.fuzz

POOL = st.sampled_from(MODEL_WORDS)
# catalog models as first-party ids: the keys modelOverrides is read by
FIRST_PARTY = sorted({m.first_party_id for m in registry().models})
JUNK: st.SearchStrategy[Any] = st.one_of(st.none(), st.integers(), st.booleans(), st.just({}))
MODEL_ENV = [
    "ANTHROPIC_MODEL",
    "ANTHROPIC_DEFAULT_OPUS_MODEL",
    "ANTHROPIC_DEFAULT_SONNET_MODEL",
    "ANTHROPIC_DEFAULT_HAIKU_MODEL",
    "ANTHROPIC_SMALL_FAST_MODEL",
    "CLAUDE_CODE_SUBAGENT_MODEL",
    "CLAUDE_CODE_SUBAGENT_MODEL_FORCE",
    "ANTHROPIC_BASE_URL",
    "CLAUDE_CODE_USE_BEDROCK",
    "CLAUDE_CODE_USE_VERTEX",
]


def lower_layer() -> st.SearchStrategy[dict[str, Any]]:
    """A user/project/local/flag layer that asks for models every way it can."""
    return st.fixed_dictionaries(
        {},
        optional={
            "model": POOL,
            "availableModels": st.lists(st.one_of(POOL, JUNK), max_size=4),
            "enforceAvailableModels": st.booleans(),
            "deniedModels": st.lists(POOL, max_size=3),
            "fallbackModel": st.lists(st.one_of(POOL, JUNK), max_size=4),
            "modelOverrides": st.dictionaries(st.sampled_from(FIRST_PARTY), POOL, max_size=4),
            "env": st.dictionaries(st.sampled_from(MODEL_ENV[:6]), POOL, max_size=3),
        },
    )


def draw_snapshot(data: st.DataObject, policy: dict[str, Any]) -> Snapshot:
    layers: dict[str, Any] = {
        s: data.draw(st.none() | lower_layer(), label=s) for s in ("user", "project", "local")
    }
    flag = data.draw(st.none() | lower_layer(), label="flag")
    env = data.draw(
        st.dictionaries(st.sampled_from(MODEL_ENV), st.sampled_from(["1", "0"]) | POOL, max_size=5),
        label="env",
    )
    agent = data.draw(
        st.none()
        | st.fixed_dictionaries(
            {"subagent_type": st.just("general-purpose")},
            optional={"model": st.sampled_from(["opus", "sonnet", "haiku", "fable"])},
        ),
        label="agent",
    )
    flags = Flags(
        model=data.draw(st.none() | POOL, label="--model"),
        fallback_model=data.draw(
            st.none() | st.lists(POOL, min_size=1, max_size=4).map(",".join), label="--fallback"
        ),
        print_mode=data.draw(st.booleans(), label="print"),
        skill_model=data.draw(st.none() | POOL, label="skill"),
    )
    session = SessionState(model=data.draw(st.none() | POOL, label="/model"))
    return Snapshot.of(
        managed=policy, flag=flag, env=env, agent=agent, flags=flags, session=session, **layers
    )


def sent(res: Resolution) -> list[tuple[str, str, Model | None]]:
    """Every (role, wire id, catalog model) the resolution would send."""
    reg = registry()

    def of(role: str, req: Request) -> tuple[str, str, Model | None]:
        return role, req.model, reg.find(req.catalog_id) if req.catalog_id else None

    out = [of("main", res.main)]
    out += [of(f"fallback {i}", f) for i, f in enumerate(res.fallbacks, 1)]
    assert tuple(f.model for f in res.fallbacks) == res.fallback_models
    if res.side is not None:
        cat = reg.find(res.side.catalog_id) if res.side.catalog_id else None
        out.append(("side", res.side.model, cat))
    if res.subagent is not None and res.subagent.request is not None:
        out.append(of("subagent", res.subagent.request))
    if res.skill is not None:
        out.append(of("skill", res.skill))
    return out


def in_list(ml: ModelList, wire: str, model: Model | None, *, allow: bool) -> bool:
    """Whether ``wire`` is covered by the list, matched on the id sent and, as the resolver
    does, on the catalog model *and* the catalog model the id itself names (an override
    target)."""
    names = [wire]
    target = registry().find(wire)
    if allow:
        return ml.allows(names, target or model)
    return ml.denies(names, model) or ml.denies(names, target)


# Lists without fable, so a family to fall back to always exists (as in tests/test_fuzz.py).
DENY = st.lists(st.sampled_from([w for w in MODEL_WORDS if "fable" not in w.lower()]), max_size=3)


@IN_PROCESS
@given(st.data())
def test_no_resolved_model_is_ever_in_managed_denied_models(data: st.DataObject) -> None:
    """With managed deniedModels D (plus a null element, which must not drop the list), no
    resolved main, side, subagent, skill or fallback model is in D, whatever user, project,
    local and flag settings, the environment (ANTHROPIC_DEFAULT_*_MODEL pins included),
    flags, the session and modelOverrides say."""
    denied = data.draw(DENY.filter(bool), label="deniedModels")
    policy: dict[str, Any] = {"deniedModels": [*denied, None]}
    snap = draw_snapshot(data, policy)
    res = compute(snap)
    ml = ModelList.of(denied)
    for role, wire, model in sent(res):
        if role == "side" and res.side is not None and res.side.model == res.main.model:
            continue  # the main loop's model, checked as "main"
        assert not in_list(ml, wire, model, allow=False), (role, wire, denied)
    if snap.flags.skill_model:
        skill = resolve_skill(snap, snap.flags.skill_model)
        cat = registry().find(skill.catalog_id) if skill.catalog_id else None
        assert not in_list(ml, skill.model, cat, allow=False)


ALLOW = st.lists(st.sampled_from(MODEL_WORDS), min_size=1, max_size=3)


@IN_PROCESS
@given(st.data())
def test_nothing_resolved_is_outside_an_enforced_allowlist(data: st.DataObject) -> None:
    """With an enforced managed availableModels A (non-empty, with a junk element that must
    not drop it), the main, subagent, skill and fallback models are all in A, whatever the
    other scopes, environment (pins of the aliases aside, which are the admin's own wire
    ids), flags, session and modelOverrides say. Side queries ignore availableModels
    (BEHAVIOUR.md 3) and are not checked."""
    allow = data.draw(ALLOW, label="availableModels")
    policy: dict[str, Any] = {"availableModels": [*allow, 5], "enforceAvailableModels": True}
    snap = draw_snapshot(data, policy)
    if any("DEFAULT_" in k for k in snap.env) or snap.settings.get("env") is not None:
        return  # a pinned alias sends the admin's own id after the check (tests/test_fuzz.py)
    res = compute(snap)
    ml = ModelList.of(allow)
    # As in tests/test_fuzz.py, the name typed counts too (an entry "best" or a retired id
    # the legacy remap sends as the latest Opus), unless the id sent is an override target:
    # then the target itself must be allowed.
    targets = {
        split_1m(s.value)[0].lower() for s in snap.settings.merged("modelOverrides").values()
    }
    typed = {"main": res.main.setting}
    for i, f in enumerate(res.fallbacks, 1):
        typed[f"fallback {i}"] = f.setting
    if res.subagent is not None and res.subagent.request is not None:
        typed["subagent"] = res.subagent.request.setting
    if res.skill is not None:
        typed["skill"] = res.skill.setting
    for role, wire, model in sent(res):
        if role == "side":
            continue
        name = typed.get(role)
        if role != "main" and wire == res.main.model:
            # the main loop's model, inherited (a subagent or skill whose own model the list
            # refuses runs the session's): allowed when the main loop's is, checked as "main"
            name = typed["main"]
        if name and wire.lower() not in targets and ml.allows([name], None):
            continue
        assert in_list(ml, wire, model, allow=True), (role, wire, allow)
