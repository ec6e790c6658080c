"""The main-loop fallback chain (BEHAVIOUR.md 7) and the two side-query modes (section 4),
against the loopback server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from claude_models.live import chain
from claude_models.live.chain import run_main, run_side, run_subagent
from claude_models.live.clients import Call, Reply
from claude_models.live.plan import Attempt, Done, Planner, Switch, main_route
from tests.fakeapi import FakeAPI
from tests.live_helpers import env_for, no_sleep, resolution


@pytest.fixture(autouse=True)
def _fresh_process_memory() -> Iterator[None]:
    chain.REFUSED_SIDE_MODELS.clear()
    yield
    chain.REFUSED_SIDE_MODELS.clear()


def test_404_switches_at_once_along_the_chain(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 404)
    api.refuse("sonnet-5-5", 403)
    snap, _res = resolution(env_for("firstParty", api.url), fallback_model="sonnet,haiku")
    out = run_main(snap, "hi", sleep=no_sleep)
    assert out.ok and out.model == "claude-haiku-5-5"
    assert api.models() == ["claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5"]


def test_fallback_request_is_shaped_for_the_fallback_model(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 404)
    snap, _res = resolution(env_for("firstParty", api.url), fallback_model="claude-sonnet-4-5")
    assert run_main(snap, "hi", sleep=no_sleep).ok
    second = api.messages()[1].body
    assert second["model"] == "claude-sonnet-4-5"
    assert second["max_tokens"] == 32000
    assert second["thinking"] == {"type": "enabled", "budget_tokens": 31999}
    assert "output_config" not in second  # sonnet-4-5 takes no effort


# (CLAUDE_CODE_EFFORT_LEVEL, the fallback model, the effort it is sent with): the main loop's
# effort chain run on the fallback model, clamped to what it takes (BEHAVIOUR.md 6)
FALLBACK_EFFORT = [
    ("xhigh", "claude-opus-4-6", "high"),
    ("max", "claude-opus-4-6", "max"),
    ("max", "claude-opus-4-5", "high"),
    ("max", "claude-sonnet-4-5", None),
]


@pytest.mark.parametrize(("level", "model", "want"), FALLBACK_EFFORT)
def test_fallback_effort_is_clamped_to_the_fallback_model(
    httpserver: HTTPServer, level: str, model: str, want: str | None
) -> None:
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 404)
    env = env_for("firstParty", api.url, CLAUDE_CODE_EFFORT_LEVEL=level)
    snap, _res = resolution(env, fallback_model=model)
    assert run_main(snap, "hi", sleep=no_sleep).ok
    first, second = (m.body for m in api.messages())
    assert first["output_config"] == {"effort": level}  # opus-5-5 takes every level
    assert (second["model"], (second.get("output_config") or {}).get("effort")) == (model, want)


def test_at_most_three_fallbacks(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    for m in ("opus-5-5", "sonnet-5-5", "haiku-5-5", "opus-4-6"):
        api.refuse(m, 404)
    snap, _res = resolution(
        env_for("firstParty", api.url),
        fallback_model="sonnet,haiku,claude-opus-4-6,claude-opus-4-7",
    )
    out = run_main(snap, "hi", sleep=no_sleep)
    assert not out.ok
    assert out.models_tried == [
        "claude-opus-5-5",
        "claude-sonnet-5-5",
        "claude-haiku-5-5",
        "claude-opus-4-6",
    ]
    assert "claude-opus-4-7" not in api.models()


def test_529_three_times_then_the_fallback(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 529, "Overloaded")
    env = env_for("firstParty", api.url, CLAUDE_CODE_MAX_RETRIES="4")
    snap, _res = resolution(env, fallback_model="sonnet")
    out = run_main(snap, "hi", sleep=no_sleep)
    assert out.ok and out.models_tried == ["claude-opus-5-5", "claude-sonnet-5-5"]
    assert api.models() == ["claude-opus-5-5"] * 3 + ["claude-sonnet-5-5"]


def test_529_with_max_retries_1_fails_before_switching(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 529, "Overloaded")
    env = env_for("firstParty", api.url, CLAUDE_CODE_MAX_RETRIES="1")
    snap, _res = resolution(env, fallback_model="sonnet")
    out = run_main(snap, "hi", sleep=no_sleep)
    assert not out.ok and out.status == 529
    assert out.models_tried == ["claude-opus-5-5"]
    assert api.models() == ["claude-opus-5-5"] * 2
    assert "529" in (out.error or "")


def test_529_that_clears_is_retried_on_the_same_model(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 529, "Overloaded", times=2)
    snap, _res = resolution(env_for("firstParty", api.url), fallback_model="sonnet")
    out = run_main(snap, "hi", sleep=no_sleep)
    assert out.ok and out.models_tried == ["claude-opus-5-5"]
    assert api.models() == ["claude-opus-5-5"] * 3


def test_404_without_fallback_retries_once_capped_at_64000(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 404)
    snap, _res = resolution(env_for("firstParty", api.url))
    out = run_main(snap, "hi", sleep=no_sleep)
    assert not out.ok and out.status == 404
    first, retry = api.messages()
    assert first.body["max_tokens"] == 128000
    assert retry.body["max_tokens"] == 64000
    assert retry.body["model"] == "claude-opus-5-5"


def test_403_without_fallback_fails_at_once(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 403, "Your organization cannot use this model")
    snap, _res = resolution(env_for("firstParty", api.url))
    out = run_main(snap, "hi", sleep=no_sleep)
    assert api.models() == ["claude-opus-5-5"]
    assert (out.error or "").startswith("Failed to authenticate")
    assert "Your organization cannot use this model" in (out.error or "")


def test_3p_404_suggests_the_catalog_fallback_before_2_1_332(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("opus-5-5", 404)
    snap, _res = resolution(
        env_for("bedrock", api.url, AWS_REGION="eu-west-1"), claude_version="2.1.331"
    )
    out = run_main(snap, "hi", sleep=no_sleep)
    assert out.error == (
        "The model eu.anthropic.claude-opus-5-5 is not available on your bedrock deployment. "
        "Try --model to switch to eu.anthropic.claude-opus-5, or ask your admin to enable "
        "this model."
    )


def test_500_is_retried_within_max_retries(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.script("opus", 500, "internal", times=1)
    snap, _res = resolution(env_for("firstParty", api.url))
    assert run_main(snap, "hi", sleep=no_sleep).ok
    assert len(api.messages()) == 2


# -- side queries ----------------------------------------------------------------------------


def test_default_side_query_never_tries_the_main_model(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("haiku-5-5", 404)
    snap, res = resolution(env_for("firstParty", api.url), claude_version="2.1.329")
    assert res.side is not None and res.side.fallback == "off"
    for _ in range(2):
        out = run_side(snap, "hi", sleep=no_sleep)
        assert not out.ok and out.models_tried == ["claude-haiku-5-5"]
    assert api.models() == ["claude-haiku-5-5"] * 4  # a 404 gets one retry, every time
    assert "ANTHROPIC_DEFAULT_HAIKU_MODEL" in (out.error or "")


def test_default_side_query_403_no_retry(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    api.refuse("sonnet-4-5", 403)
    snap, _res = resolution(env_for("bedrock", api.url), claude_version="2.1.329")
    out = run_side(snap, "hi", sleep=no_sleep)
    assert not out.ok
    assert api.models() == ["us.anthropic.claude-sonnet-4-5-20250929-v1:0"]


@pytest.mark.parametrize("version", ["2.1.329", "2.1.330"])
@pytest.mark.parametrize("status", [404, 403])
def test_opt_in_side_fallback_to_main_remembered(
    httpserver: HTTPServer, status: int, version: str
) -> None:
    """CLAUDE_MODELS_SIDE_QUERY_FALLBACK=main-model: one refused request per process at most;
    later side queries go straight to the main-loop model, in every release."""
    api = FakeAPI(httpserver)
    api.refuse("haiku-5-5", status)
    env = env_for("firstParty", api.url, CLAUDE_MODELS_SIDE_QUERY_FALLBACK="main-model")
    snap, res = resolution(env, claude_version=version)
    assert res.side is not None and res.side.fallback == "main-model"
    first = run_side(snap, "hi", sleep=no_sleep)
    assert first.ok and first.models_tried == ["claude-haiku-5-5", "claude-opus-5-5"]
    second = run_side(snap, "hi", sleep=no_sleep)
    assert second.ok and second.models_tried == ["claude-opus-5-5"]
    assert api.models() == ["claude-haiku-5-5", "claude-opus-5-5", "claude-opus-5-5"]
    on_main = api.messages()[1].body
    assert "thinking" not in on_main  # still a side query


def test_opt_in_side_fallback_leaves_answering_side_model_alone(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    env = env_for("firstParty", api.url, CLAUDE_MODELS_SIDE_QUERY_FALLBACK="main-model")
    snap, _res = resolution(env)
    assert run_side(snap, "hi", sleep=no_sleep).models_tried == ["claude-haiku-5-5"]
    assert api.models() == ["claude-haiku-5-5"]


def test_subagent_runs_its_own_model(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    env = env_for("bedrock", api.url, AWS_REGION="eu-west-1")
    from claude_models.snapshot import Flags, Snapshot

    snap = Snapshot.of(
        env=env,
        flags=Flags(print_mode=True),
        agent={"subagent_type": "general-purpose", "model": "haiku"},
    )
    out = run_subagent(snap, "hi", sleep=no_sleep)
    assert out.ok and out.models_tried == ["eu.anthropic.claude-haiku-4-5-20251001-v1:0"]


def test_rejected_agent_call_sends_nothing(httpserver: HTTPServer) -> None:
    api = FakeAPI(httpserver)
    from claude_models.snapshot import Flags, Snapshot

    snap = Snapshot.of(
        env=env_for("firstParty", api.url),
        flags=Flags(print_mode=True),
        agent={"subagent_type": "general-purpose", "model": "inherit"},
    )
    out = run_subagent(snap, "hi", sleep=no_sleep)
    assert not out.ok and out.models_tried == [] and api.seen == []


def test_opt_in_mode_when_side_already_is_main_behaves_as_claude_code(
    httpserver: HTTPServer,
) -> None:
    """Foundry's side queries run on the main-loop model: nothing to fall back to, so a 404
    keeps Claude Code's one retry."""
    api = FakeAPI(httpserver)
    api.refuse("sonnet-4-5", 404)
    env = env_for("foundry", api.url, CLAUDE_MODELS_SIDE_QUERY_FALLBACK="main-model")
    snap, _res = resolution(env, claude_version="2.1.329")
    out = run_side(snap, "hi", sleep=no_sleep)
    assert not out.ok and out.models_tried == ["claude-sonnet-4-5"]
    assert api.models() == ["claude-sonnet-4-5"] * 2


# -- safety refusals in the sans-IO planner (Resolution.refusal_fallback) -----------------------

REFUSED = Reply(200, "ok", stop_reason="refusal", category="cyber")


@pytest.mark.parametrize(
    ("env", "kinds"),
    [
        ({}, ["again", "switch"]),  # the retry, then the cyber route
        ({"CLAUDE_CODE_DISABLE_REFUSAL_RETRY": "1"}, ["switch"]),
        ({"CLAUDE_CODE_DISABLE_REFUSAL_FALLBACK": "1"}, ["again"]),
    ],
)
def test_planner_walks_the_refusal_fallback_then_stops(
    env: dict[str, str], kinds: list[str]
) -> None:
    snap, res = resolution(env_for("firstParty", "http://127.0.0.1:9", **env))
    rule = res.refusal_fallback
    assert rule is not None
    planner = Planner(main_route(snap, res))
    step: Attempt | Done = planner.start()
    first = step.call
    seen: list[Attempt] = []
    while isinstance(step, Attempt) and len(seen) < 5:
        step = planner.feed(REFUSED)  # every reply refused
        if isinstance(step, Attempt):
            seen.append(step)
    assert [a.kind for a in seen] == kinds
    assert isinstance(step, Done) and step.safety_refused and not step.ok
    for a in seen:
        if a.kind == "again":
            assert a.call == first and a.delay == 0
        else:
            assert a.call == Call.of(dict(rule.routes)["cyber"])
            assert a.switch == Switch(first.model, a.call.model, 200, "cyber")


def test_planner_answer_after_the_refusal_retry_is_done() -> None:
    snap, res = resolution(env_for("firstParty", "http://127.0.0.1:9"))
    planner = Planner(main_route(snap, res))
    planner.start()
    step = planner.feed(REFUSED)
    assert isinstance(step, Attempt) and step.kind == "again"
    done = planner.feed(Reply(200, "ok", text="hi", stop_reason="end_turn"))
    assert isinstance(done, Done) and done.ok and planner.tried == [res.main.model]
    assert planner.requests == 2 and planner.switches == []
