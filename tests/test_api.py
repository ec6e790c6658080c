"""The public API: documented fields, exported errors, inputs checked with errors that name the
key (issue 15 item 3)."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import claude_models
from claude_models import (
    AgentDef,
    FastMode,
    Flags,
    Request,
    Resolution,
    SessionState,
    SideQuery,
    Snapshot,
    Subagent,
    load_snapshot,
)
from claude_models import errors as errors_module
from tests.conftest import Sandbox

DOCUMENTED = [Resolution, Request, SideQuery, Subagent, FastMode]


@pytest.mark.parametrize("cls", DOCUMENTED, ids=lambda c: c.__name__)
def test_every_field_has_a_docstring_line(cls: type) -> None:
    doc = cls.__doc__ or ""
    attributes = doc.split("Attributes:", 1)[1] if "Attributes:" in doc else ""
    documented = set(re.findall(r"^\s{8}(\w+):", attributes, re.M))
    fields = getattr(cls, "__record_fields__", None) or [f.name for f in dataclasses.fields(cls)]
    assert set(fields) <= documented, sorted(set(fields) - documented)


ERRORS = [
    name
    for name, obj in vars(errors_module).items()
    if isinstance(obj, type) and issubclass(obj, errors_module.ModelSystemError)
]


@pytest.mark.parametrize("name", ERRORS)
def test_error_types_are_exported(name: str) -> None:
    assert getattr(claude_models, name) is getattr(errors_module, name)
    assert name in claude_models.__all__


# (Snapshot.of keyword arguments, the error type, a part of the message naming the key)
BAD_OF: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"env": {"X": 1}}, TypeError, "env['X']"),
    ({"env": {1: "x"}}, TypeError, "variable names must be str"),
    ({"env": ["X=1"]}, TypeError, "expected a mapping"),
    ({"user": ["model"]}, TypeError, "Snapshot.of(user=...)"),
    ({"managed": "opus"}, TypeError, "Snapshot.of(managed=...)"),
    ({"flags": {"model": "opus"}}, TypeError, "Snapshot.of(flags=...)"),
    ({"session": {"model": "opus"}}, TypeError, "Snapshot.of(session=...)"),
    ({"subscription": "gold"}, ValueError, "Snapshot.of(subscription='gold')"),
    ({"today": "2026-01-01"}, TypeError, "Snapshot.of(today=...)"),
    ({"agents": [{"name": "x"}]}, TypeError, "Snapshot.of(agents=...)"),
]


@pytest.mark.parametrize(("kwargs", "exc", "names"), BAD_OF)
def test_snapshot_of_checks_its_inputs(
    kwargs: dict[str, Any], exc: type[Exception], names: str
) -> None:
    with pytest.raises(exc) as info:
        Snapshot.of(**kwargs)
    assert names in str(info.value)


def test_snapshot_of_accepts_the_documented_types() -> None:
    snap = Snapshot.of(
        env={"ANTHROPIC_MODEL": "haiku"},
        user={"model": "opus"},
        flags=Flags(print_mode=True),
        session=SessionState(),
        subscription="max",
        today=date(2026, 1, 1),
        agents=[AgentDef("a", None, None, "a.md", "project")],
    )
    assert snap.env["ANTHROPIC_MODEL"] == "haiku"


def test_snapshot_of_puts_every_argument_in_its_field() -> None:
    """``Snapshot.of`` builds the snapshot positionally (it is on every fresh resolution): each
    argument, all distinct, must land in the field of its name."""
    from claude_models.account import Account
    from claude_models.settings.paths import SettingsPaths

    flags = Flags(model="opus", print_mode=True)
    session = SessionState(model="haiku")
    agent = {"subagent_type": "general-purpose"}
    account = Account(tier="max", extra_usage=True)
    paths = SettingsPaths(home="/h", config="/c", cwd="/w", cache="/k")
    snap = Snapshot.of(
        env={"AWS_REGION": "eu-west-1"},
        user={"model": "sonnet", "env": {"CLAUDE_CODE_USE_BEDROCK": "1"}},
        flags=flags,
        session=session,
        agent=agent,
        agents=[AgentDef("a", None, None, "a.md", "project")],
        subscription="max",
        today=date(2026, 1, 2),
        inference_profiles=["p1"],
        account=account,
        now=12.5,
        claude_version="2.1.330",
        paths=paths,
    )
    assert dict(snap.env) == {"AWS_REGION": "eu-west-1", "CLAUDE_CODE_USE_BEDROCK": "1"}
    assert snap.settings.get("model").value == "sonnet"  # type: ignore[union-attr]
    assert (snap.flags, snap.session, snap.agent) == (flags, session, agent)
    assert list(snap.agents) == ["a"]
    assert (snap.subscription, snap.today) == ("max", date(2026, 1, 2))
    assert snap.inference_profiles == ("p1",)
    assert dict(snap.env_origins) == {"CLAUDE_CODE_USE_BEDROCK": "user (<user>)"}
    assert (snap.problems, snap.cwd, snap.paths, snap.account) == ((), None, paths, account)
    assert (snap.now, snap.claude_version) == (12.5, "2.1.330")
    assert (snap.tier_decision, snap.claude_code) == (None, None)


def test_load_snapshot_needs_no_positional_argument(sandbox: Sandbox) -> None:
    snap = load_snapshot(
        environ={"HOME": str(sandbox.home)},
        cwd=sandbox.cwd,
        managed_path=str(sandbox.tmp / "none.json"),
    )
    assert snap.flags == Flags()


@pytest.mark.parametrize(
    ("kwargs", "names"),
    [
        ({"flags": "opus"}, "load_snapshot(flags=...)"),
        ({"environ": {"HOME": Path("/x")}}, "load_snapshot(environ=...)['HOME']"),
    ],
)
def test_load_snapshot_checks_its_inputs(
    sandbox: Sandbox, kwargs: dict[str, Any], names: str
) -> None:
    with pytest.raises(TypeError) as info:
        load_snapshot(cwd=sandbox.cwd, managed_path=str(sandbox.tmp / "none.json"), **kwargs)
    assert names in str(info.value)


def test_a_snapshot_does_not_change_when_the_callers_settings_do() -> None:
    """A snapshot is frozen, and its resolution is kept on it: a list or object the caller
    passed in and changes afterwards must change neither (it shared them before round 4)."""
    from claude_models import Flags, Snapshot, resolve

    allow = ["sonnet"]
    overrides = {"claude-sonnet-5-5": "my-sonnet-arn"}
    user: dict[str, Any] = {"availableModels": allow, "modelOverrides": overrides}
    snap = Snapshot.of(user=user, flags=Flags(model="sonnet", print_mode=True))
    before = resolve(snap).main.model
    allow[:] = ["haiku"]
    overrides["claude-sonnet-5-5"] = "changed"
    user["model"] = "haiku"
    assert snap.settings.get("availableModels").value == ["sonnet"]  # type: ignore[union-attr]
    assert snap.settings.get("modelOverrides").value == {"claude-sonnet-5-5": "my-sonnet-arn"}  # type: ignore[union-attr]
    assert snap.settings.get("model") is None
    fresh = Snapshot.of(
        user={
            "availableModels": ["sonnet"],
            "modelOverrides": {"claude-sonnet-5-5": "my-sonnet-arn"},
        },
        flags=Flags(model="sonnet", print_mode=True),
    )
    assert resolve(fresh).main.model == before
