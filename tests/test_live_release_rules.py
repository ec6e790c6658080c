"""Live fallbacks follow the modelled Claude Code release (issue 13 item 5), on both sides of
each boundary: 2.1.329 / 2.1.330 (a refused hook side query retries on the main-loop model, or
steps down when it is the main-loop model) and 2.1.331 / 2.1.332 (the automatic 3P main-loop
step-down). Driven through the CLI's chain and through ``claude_models.Client``: one planner."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest

from claude_models import Client, Flags, Snapshot
from claude_models.live import chain, plan
from tests.clientapi import BodyAPI, api_fixture  # noqa: F401 - the fixture
from tests.clirun import base_env, run_cli
from tests.conftest import Sandbox
from tests.live_helpers import env_for, no_sleep

pytestmark = pytest.mark.filterwarnings("ignore:The model .* is deprecated:DeprecationWarning")

TODAY = date(2026, 11, 29)
BD = "us.anthropic.claude-"
HAIKU45_BD = BD + "haiku-4-5-20251001-v1:0"
HAIKU35_BD = BD + "3-5-haiku-20241022-v1:0"
SONNET45_BD = BD + "sonnet-4-5-20250929-v1:0"
SONNET40_BD = BD + "sonnet-4-20250514-v1:0"


@pytest.fixture(autouse=True)
def _fresh_memory() -> Iterator[None]:
    plan.SIDE_MEMORY.clear()
    yield
    plan.SIDE_MEMORY.clear()


@dataclass
class Case:
    name: str
    version: str
    provider: str
    role: str  # "main" | "side"
    refuse: list[tuple[str, int]]
    sent: list[str]  # the models of the requests, in order
    ok: bool
    model: str | None = None  # --model
    fallback: str | None = None  # --fallback-model
    env: dict[str, str] = field(default_factory=dict)
    managed: dict[str, Any] | None = None
    today: date = TODAY


CASES = [
    # -- 2.1.330: the hook side query retries on the main-loop model -------------------------
    Case("side-404-329", "2.1.329", "firstParty", "side", [("haiku", 404)],
         ["claude-haiku-5-5"] * 2, ok=False),
    Case("side-404-330", "2.1.330", "firstParty", "side", [("haiku", 404)],
         ["claude-haiku-5-5"] * 2 + ["claude-opus-5-5"], ok=True),
    Case("side-403-329", "2.1.329", "firstParty", "side", [("haiku", 403)],
         ["claude-haiku-5-5"], ok=False),
    Case("side-403-330", "2.1.330", "firstParty", "side", [("haiku", 403)],
         ["claude-haiku-5-5", "claude-opus-5-5"], ok=True),
    Case("side-bedrock-403-330", "2.1.330", "bedrock", "side", [("sonnet-4-5", 403)],
         [SONNET45_BD, BD + "opus-5-5"], ok=True),
    Case("side-is-main-329", "2.1.329", "bedrock", "side", [("haiku-4-5", 403)],
         [HAIKU45_BD], ok=False, model="haiku"),
    Case("side-is-main-330", "2.1.330", "bedrock", "side", [("haiku-4-5", 403)],
         [HAIKU45_BD, HAIKU35_BD], ok=True, model="haiku"),
    Case("side-is-main-foundry-330", "2.1.330", "foundry", "side", [("sonnet-5-5", 404)],
         ["claude-sonnet-5-5"] * 2 + ["claude-sonnet-5"], ok=True, model="claude-sonnet-5-5"),
    Case("side-main-also-refused-330", "2.1.330", "firstParty", "side",
         [("haiku", 403), ("opus", 403)], ["claude-haiku-5-5", "claude-opus-5-5"], ok=False),
    # -- 2.1.332: the automatic 3P main-loop step-down ---------------------------------------
    Case("main-bedrock-404-331", "2.1.331", "bedrock", "main", [("opus-5-5", 404)],
         [BD + "opus-5-5"] * 2, ok=False),
    Case("main-bedrock-404-332", "2.1.332", "bedrock", "main", [("opus-5-5", 404)],
         [BD + "opus-5-5"] * 2 + [BD + "opus-5"], ok=True),
    Case("main-bedrock-403-331", "2.1.331", "bedrock", "main", [("opus-5-5", 403)],
         [BD + "opus-5-5"], ok=False),
    Case("main-bedrock-403-332", "2.1.332", "bedrock", "main", [("opus-5-5", 403)],
         [BD + "opus-5-5", BD + "opus-5"], ok=True),
    Case("main-vertex-two-steps-332", "2.1.332", "vertex", "main",
         [("opus-5-5", 403), ("opus-5", 403)],
         ["claude-opus-5-5", "claude-opus-5", "claude-opus-4-8"], ok=True),
    Case("main-foundry-403-332", "2.1.332", "foundry", "main", [("sonnet-5-5", 403)],
         ["claude-sonnet-5-5", "claude-sonnet-5"], ok=True, model="claude-sonnet-5-5"),
    Case("main-firstparty-332", "2.1.332", "firstParty", "main", [("opus-5-5", 403)],
         ["claude-opus-5-5"], ok=False),
    Case("main-full-provider-id-332", "2.1.332", "bedrock", "main", [("opus-5-5", 403)],
         [BD + "opus-5-5"], ok=False, model=BD + "opus-5-5"),
    Case("main-no-model-fallback-332", "2.1.332", "bedrock", "main", [("opus-5-5", 403)],
         [BD + "opus-5-5"], ok=False, env={"CLAUDE_CODE_NO_MODEL_FALLBACK": "1"}),
    Case("main-disable-access-fallback-332", "2.1.332", "bedrock", "main",
         [("opus-5-5", 403)], [BD + "opus-5-5"], ok=False,
         env={"CLAUDE_CODE_DISABLE_MODEL_ACCESS_FALLBACK": "1"}),
    Case("main-configured-fallback-first-332", "2.1.332", "bedrock", "main",
         [("opus-5-5", 403), ("sonnet", 403)], [BD + "opus-5-5", SONNET45_BD], ok=False,
         fallback="sonnet"),
    # --model by the first-party id: 3P translates only that one (not the catalog id)
    Case("main-retired-target-skipped-332", "2.1.332", "bedrock", "main",
         [("sonnet-4-5", 404)], [SONNET45_BD] * 2, ok=False, model="claude-sonnet-4-5-20250929"),
    Case("main-target-not-yet-retired-332", "2.1.332", "bedrock", "main",
         [("sonnet-4-5", 404)], [SONNET45_BD] * 2 + [SONNET40_BD], ok=True,
         model="claude-sonnet-4-5-20250929", today=date(2026, 10, 1)),
    Case("main-policy-denied-target-skipped-332", "2.1.332", "bedrock", "main",
         [("opus-5", 403)], [BD + "opus-5", BD + "opus-4-7"], ok=True, model="claude-opus-5",
         managed={"deniedModels": ["claude-opus-4-8"]}),
]  # fmt: skip


def snapshot_of(api: BodyAPI, case: Case) -> Snapshot:
    return Snapshot.of(
        env=env_for(case.provider, api.url, **case.env),
        flags=Flags(print_mode=True, model=case.model, fallback_model=case.fallback),
        managed=case.managed,
        claude_version=case.version,
        today=case.today,
    )


def arrange(api: BodyAPI, case: Case) -> None:
    for substring, status in case.refuse:
        api.refuse(substring, status)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_chain_follows_the_release(api: BodyAPI, case: Case) -> None:
    arrange(api, case)
    out = chain.run(snapshot_of(api, case), case.role, "hi", sleep=no_sleep)  # type: ignore[arg-type]
    assert api.models() == case.sent
    assert out.ok is case.ok
    assert out.models_tried == list(dict.fromkeys(case.sent))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_client_follows_the_release(api: BodyAPI, case: Case) -> None:
    arrange(api, case)
    switches: list[tuple[str, str, int | None]] = []
    with Client(
        snapshot=snapshot_of(api, case),
        on_fallback=lambda a, b, s: switches.append((a, b, s)),
    ) as client:
        try:
            msg = client.messages.create(
                messages=[{"role": "user", "content": "hi"}],
                role=case.role,  # type: ignore[arg-type]
            )
            answered = msg.model
        except Exception:  # the SDK's own error for the last refusal
            answered = None
    assert api.models() == case.sent
    assert (answered is not None) is case.ok
    tried = list(dict.fromkeys(case.sent))
    assert [(a, b) for a, b, _ in switches] == list(itertools.pairwise(tried))


def test_step_down_model_gets_its_own_defaults(api: BodyAPI) -> None:
    """CHANGES.md 2.1.332: opus-5 after opus-5-5 sends 64000 and effort high."""
    case = CASES[[c.name for c in CASES].index("main-bedrock-403-332")]
    arrange(api, case)
    chain.run(snapshot_of(api, case), "main", "hi", sleep=no_sleep)
    first, second = api.messages()
    assert (first["max_tokens"], first["effort"]) == (128000, "medium")
    assert (second["max_tokens"], second["effort"]) == (64000, "high")


def test_retired_target_message_is_the_332_wording(api: BodyAPI) -> None:
    case = CASES[[c.name for c in CASES].index("main-retired-target-skipped-332")]
    arrange(api, case)
    out = chain.run(snapshot_of(api, case), "main", "hi", sleep=no_sleep)
    assert out.error == (
        f"There's an issue with the selected model ({SONNET45_BD}). It may not exist or you may "
        "not have access to it. Run --model to pick a different model."
    )


@pytest.mark.parametrize(("version", "code"), [("2.1.331", 1), ("2.1.332", 0)])
def test_ask_exits_0_on_the_step_down_model(
    api: BodyAPI, sandbox: Sandbox, version: str, code: int
) -> None:
    api.refuse("opus-5-5", 403)
    env = env_for("bedrock", api.url, CLAUDE_MODELS_CLAUDE_VERSION=version)
    env["AWS_EC2_METADATA_DISABLED"] = "true"
    run = run_cli(["ask", "hi", "--json"], env=base_env(sandbox.home, env), cwd=sandbox.cwd)
    assert run.code == code
    out = run.json()
    if code == 0:
        assert out["model"] == BD + "opus-5"
        assert out["fallbacks"] == [{"from": BD + "opus-5-5", "to": BD + "opus-5", "status": 403}]


@pytest.mark.parametrize(
    ("version", "then"),
    [
        ("2.1.329", None),
        (
            "2.1.330",
            "Claude Code 2.1.330 retries on the main-loop model claude-opus-5-5 by itself: "
            "it answered",
        ),
    ],
)
def test_doctor_live_says_what_the_release_does_next(
    api: BodyAPI, sandbox: Sandbox, version: str, then: str | None
) -> None:
    api.refuse("haiku-5-5", 403)
    env = env_for("firstParty", api.url, CLAUDE_MODELS_CLAUDE_VERSION=version)
    run = run_cli(["doctor", "--live", "--json"], env=base_env(sandbox.home, env), cwd=sandbox.cwd)
    assert run.code == 1
    [haiku] = [m for m in run.json()["models"] if m["model"] == "claude-haiku-5-5"]
    assert haiku["fallback"] == then
    side_fix = next(f for f in haiku["fixes"] if f.startswith("side queries"))
    assert ("retries each refused side query" in side_fix) is (then is not None)
    # the main model was probed once, as the main loop: the note reuses its verdict
    assert api.models().count("claude-opus-5-5") == 1


def test_doctor_live_probes_the_step_down_model(api: BodyAPI, sandbox: Sandbox) -> None:
    api.refuse("opus-5-5", 403)
    env = env_for("bedrock", api.url, AWS_EC2_METADATA_DISABLED="true")
    run = run_cli(["doctor", "--live"], env=base_env(sandbox.home, env), cwd=sandbox.cwd)
    assert run.code == 1
    assert (
        f"then: Claude Code 2.1.332 steps down to {BD}opus-5 by itself: it answered" in run.stdout
    )
    assert api.models().count(BD + "opus-5") == 1
