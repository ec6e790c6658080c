"""Who answers: the main-loop fallback chain, side queries and subagents, sent live.

Main loop (BEHAVIOUR.md 7), :func:`run_main`, for each model of ``[main, *fallbacks]`` (at most
3 fallbacks), first answer wins:

1. 404 or 403 with a next model: switch to it at once.
2. 529 (overloaded): retry; after 3 consecutive 529s, switch to the next model if there is one.
   Retries of a model are bounded by ``CLAUDE_CODE_MAX_RETRIES`` (default 10), so with 1 a 529
   run fails before any switch.
3. 404 on the last model: one retry (Claude Code's non-streaming retry, max_tokens capped at
   64000), then the error; on 3P the message suggests the catalog's ``fallback_3p``.
4. 403 on the last model: the error at once ("Failed to authenticate" / "AWS authentication
   failed").
5. 429, 408, 5xx and network faults: retried with backoff within ``CLAUDE_CODE_MAX_RETRIES``.

Side queries (BEHAVIOUR.md 4), :func:`run_side`: by default exactly Claude Code's: a refused
side query is never sent to another model (one retry after a 404, none after a 403). With
``CLAUDE_MODELS_SIDE_QUERY_FALLBACK=main-model`` (``side.fallback == "main-model"``), a refused
side query is re-sent once on the main-loop model and the refusal is remembered for the process
(:data:`REFUSED_SIDE_MODELS`), so later side queries go straight to the main model.

Subagents, :func:`run_subagent`: the main loop's retry rules on the subagent's own model; the
fallback chain belongs to the main loop only.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from claude_models import env as E
from claude_models import providers
from claude_models.errors import LiveError
from claude_models.live.clients import (
    Call,
    Reply,
    fault_line,
    redact,
    retry_wait_exhausted,
    send,
)
from claude_models.registry import registry
from claude_models.result import Resolution, Thinking

DEFAULT_MAX_RETRIES: Final = 10  # Claude Code's default
OVERLOADED_SWITCH: Final = 3  # consecutive 529s before a switch to the fallback model
RETRYABLE: Final = frozenset({408, 409, 429})

Sender = Callable[[str, Mapping[str, str], Call, str], Reply]
Sleeper = Callable[[float], None]

# (provider, side-query model) pairs refused in this process (opt-in main-model mode only).
REFUSED_SIDE_MODELS: set[tuple[str, str]] = set()
_REFUSED_LOCK = threading.Lock()


@dataclass
class Outcome:
    """What ``claude-models ask --json`` prints."""

    models_tried: list[str] = field(default_factory=list)
    model: str | None = None
    ok: bool = False
    status: int | None = None
    error: str | None = None
    text: str | None = None
    requests: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "models_tried": list(self.models_tried),
            "model": self.model,
            "ok": self.ok,
            "status": self.status,
            "error": self.error,
            "text": self.text,
        }


def max_retries(env: Mapping[str, str]) -> int:
    raw = E.get(env, E.MAX_RETRIES)
    if raw is not None and raw.isdigit():
        return int(raw)
    return DEFAULT_MAX_RETRIES


def backoff(attempt: int, retry_after: float | None) -> float:
    """The server's ``retry-after`` when given, else 0.5 s doubling, capped at 8 s, jittered."""
    if retry_after is not None:
        return min(retry_after, 60.0)
    base: float = min(0.5 * 2 ** (attempt - 1), 8.0)
    return base * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not crypto


def _default_sender(provider: str, env: Mapping[str, str], call: Call, prompt: str) -> Reply:
    return send(provider, env, call, prompt)


# -- messages (BEHAVIOUR.md 7, observed wording) -------------------------------------------


def suggestion_3p(provider: str, model: str, env: Mapping[str, str]) -> str | None:
    """The catalog's ``fallback_3p`` for ``model``, spelled for ``provider`` (3P only)."""
    if provider in providers.FIRST_PARTY_STYLE:
        return None
    reg = registry()
    known = reg.find(model)
    if known is None or not known.fallback_3p:
        return None
    return providers.spell(reg.get(known.fallback_3p), provider, env)  # type: ignore[arg-type]


def refusal_message(provider: str, model: str, reply: Reply, env: Mapping[str, str]) -> str:
    """Claude Code's error for a refused main-loop model with no fallback left."""
    if reply.status == 403:
        if provider in ("bedrock", "mantle"):
            return (
                "AWS authentication failed · enable this model for your account and region in "
                "the Amazon Bedrock console, or run --model to pick another model · "
                f"API Error: 403 {reply.message}"
            )
        return (
            f"Failed to authenticate · your account cannot use {model} on {provider}; run "
            f"--model to pick another model · API Error: 403 {reply.message}"
        )
    if provider in providers.FIRST_PARTY_STYLE:
        return (
            f"There's an issue with the selected model ({model}). It may not exist or you may "
            "not have access to it. Run --model to pick a different model."
        )
    other = suggestion_3p(provider, model, env)
    if other:
        return (
            f"The model {model} is not available on your {provider} deployment. Try --model "
            f"to switch to {other}, or ask your admin to enable this model."
        )
    return (
        f"The model {model} is not available on your {provider} deployment. Run --model to "
        "pick a different model, or ask your admin to enable this model."
    )


def side_refusal_message(provider: str, model: str, reply: Reply, source: str) -> str:
    var = E.SMALL_FAST_MODEL if E.SMALL_FAST_MODEL in source else E.DEFAULT_HAIKU_MODEL
    return (
        f"side query refused on {model} ({provider}, API Error: {reply.status} "
        f"{reply.message}); set {var} to a model your account can call, or "
        f"{E.SIDE_QUERY_FALLBACK}=main-model to retry refused side queries on the main-loop "
        "model"
    )


# -- the loop one model runs -----------------------------------------------------------------


@dataclass
class _Step:
    reply: Reply
    switch: bool  # give way to the next model


def _run_model(
    provider: str,
    env: Mapping[str, str],
    call: Call,
    prompt: str,
    *,
    has_next: bool,
    retry_404: bool,
    out: Outcome,
    sender: Sender,
    sleep: Sleeper,
) -> _Step:
    retries = max_retries(env)
    attempt = 0
    overloaded = 0
    retried_404 = False
    waited = 0.0
    while True:
        attempt += 1
        out.requests += 1
        reply = sender(provider, env, call, prompt)
        if reply.ok:
            return _Step(reply, switch=False)
        if reply.refused:
            if has_next:
                return _Step(reply, switch=True)
            if reply.status == 404 and retry_404 and not retried_404:
                retried_404 = True
                call = call.capped()
                continue
            return _Step(reply, switch=False)
        if reply.status == 529:
            overloaded += 1
            if overloaded >= OVERLOADED_SWITCH and has_next:
                return _Step(reply, switch=True)
        else:
            overloaded = 0
        retryable = (
            reply.status in RETRYABLE
            or (reply.status is not None and reply.status >= 500)
            or reply.kind in ("connection", "timeout")
        )
        if not retryable or attempt > retries:
            return _Step(reply, switch=False)
        delay = backoff(attempt, reply.retry_after)
        capped = retry_wait_exhausted(reply, waited, delay)
        if capped is not None:
            return _Step(capped, switch=False)
        waited += delay
        sleep(delay)


def _finish(
    out: Outcome, model: str, reply: Reply, error: str | None, env: Mapping[str, str]
) -> Outcome:
    out.model = model
    out.status = reply.status
    out.ok = reply.ok
    out.text = reply.text if reply.ok else None
    out.error = None if reply.ok or error is None else redact(error, env)
    return out


def _failure(provider: str, model: str, reply: Reply, env: Mapping[str, str]) -> str:
    if reply.refused:
        return refusal_message(provider, model, reply, env)
    if reply.status == 529:
        return (
            f"{provider}: {model}: API Error: Repeated 529 Overloaded errors · the API is "
            f"overloaded; try again later, raise {E.MAX_RETRIES} or set --fallback-model"
        ) + (f" ({reply.note})" if reply.note else "")
    return fault_line(provider, model, reply, env)


def run_main(
    res: Resolution,
    env: Mapping[str, str],
    prompt: str,
    *,
    sender: Sender = _default_sender,
    sleep: Sleeper = time.sleep,
) -> Outcome:
    """The main loop's request, then its fallback models, as BEHAVIOUR.md 7 describes."""
    calls = [Call.of(res.main)]
    calls += [_fallback_call(res, wire, env) for wire in res.fallback_models]
    return _walk(res.provider, env, calls, prompt, sender=sender, sleep=sleep)


def _fallback_call(res: Resolution, wire: str, env: Mapping[str, str]) -> Call:
    """A fallback model keeps the main request's shape where the model allows it: its own
    catalog max_tokens and no effort/thinking it does not support (docs/decisions/live.md)."""
    main = Call.of(res.main)
    known = registry().find(wire)
    if known is None:
        return Call(wire, main.max_tokens, main.effort, main.thinking, (), None, main.region)
    effort = main.effort if known.supports_effort else None
    thinking = main.thinking
    if thinking is not None and thinking.type in ("adaptive", "enabled"):
        tokens = known.max_output_default
        if known.thinking == "adaptive":
            thinking = Thinking("adaptive")
        elif known.thinking == "budget":
            thinking = Thinking("enabled", tokens - 1)
        else:
            thinking = None
    region = main.region
    if res.provider == "vertex":
        region, _ = providers.region("vertex", known, env)
    return Call(wire, known.max_output_default, effort, thinking, (), None, region)


def _walk(
    provider: str,
    env: Mapping[str, str],
    calls: list[Call],
    prompt: str,
    *,
    sender: Sender,
    sleep: Sleeper,
) -> Outcome:
    out = Outcome()
    for i, call in enumerate(calls):
        out.models_tried.append(call.model)
        step = _run_model(
            provider,
            env,
            call,
            prompt,
            has_next=i + 1 < len(calls),
            retry_404=True,
            out=out,
            sender=sender,
            sleep=sleep,
        )
        if step.switch:
            continue
        error = _failure(provider, call.model, step.reply, env)
        return _finish(out, call.model, step.reply, error, env)
    raise AssertionError("unreachable: the last model never switches")


def run_subagent(
    res: Resolution,
    env: Mapping[str, str],
    prompt: str,
    *,
    sender: Sender = _default_sender,
    sleep: Sleeper = time.sleep,
) -> Outcome:
    """The subagent's request with the main loop's retry rules (no fallback chain)."""
    sub = res.subagent
    if sub is None or sub.request is None:
        reason = sub.error if sub is not None else "no --agent given"
        return Outcome(error=f"the Agent tool call is rejected: {reason}")
    return _walk(res.provider, env, [Call.of(sub.request)], prompt, sender=sender, sleep=sleep)


def run_side(
    res: Resolution,
    env: Mapping[str, str],
    prompt: str,
    *,
    sender: Sender = _default_sender,
    sleep: Sleeper = time.sleep,
) -> Outcome:
    """One side query, as Claude Code sends it, or with the opt-in main-model fallback."""
    side = res.side
    if side is None:
        raise LiveError("this configuration has no side-query model")
    provider = res.provider
    fallback = side.fallback == "main-model"
    main_call = _side_on_main(res)
    key = (provider, side.model)
    out = Outcome()
    if fallback and side.model != main_call.model:
        with _REFUSED_LOCK:
            known_refused = key in REFUSED_SIDE_MODELS
        if known_refused:
            return _side_attempt(
                res, env, main_call, prompt, out, sender=sender, sleep=sleep, fallback=False
            )
    call = Call.of_side(side)
    out.models_tried.append(call.model)
    can_switch = fallback and side.model != main_call.model
    step = _run_model(
        provider,
        env,
        call,
        prompt,
        has_next=can_switch,
        retry_404=not can_switch,
        out=out,
        sender=sender,
        sleep=sleep,
    )
    if step.switch:
        with _REFUSED_LOCK:
            REFUSED_SIDE_MODELS.add(key)
        return _side_attempt(
            res, env, main_call, prompt, out, sender=sender, sleep=sleep, fallback=False
        )
    reply = step.reply
    if reply.refused:
        error = side_refusal_message(provider, call.model, reply, side.source)
        return _finish(out, call.model, reply, error, env)
    return _finish(out, call.model, reply, _failure(provider, call.model, reply, env), env)


def _side_attempt(
    res: Resolution,
    env: Mapping[str, str],
    call: Call,
    prompt: str,
    out: Outcome,
    *,
    sender: Sender,
    sleep: Sleeper,
    fallback: bool,
) -> Outcome:
    out.models_tried.append(call.model)
    step = _run_model(
        res.provider,
        env,
        call,
        prompt,
        has_next=fallback,
        retry_404=True,
        out=out,
        sender=sender,
        sleep=sleep,
    )
    error = _failure(res.provider, call.model, step.reply, env)
    return _finish(out, call.model, step.reply, error, env)


def _side_on_main(res: Resolution) -> Call:
    """The side query re-sent on the main-loop model: the main request's model, max_tokens,
    effort, betas and region, without thinking (side queries never think)."""
    main = Call.of(res.main)
    return Call(main.model, main.max_tokens, main.effort, None, main.betas, None, main.region)
