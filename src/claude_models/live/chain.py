"""Who answers, for the CLI (``ask``): the planner's routes driven with :func:`~.clients.send`.

The rules live in :mod:`.plan` (one sans-IO planner shared with :class:`claude_models.Client`):
the main-loop chain (BEHAVIOUR.md 7, and from 2.1.332 the automatic 3P step-down), side queries
(section 4, from 2.1.330 the retry on the main-loop model, and the opt-in
``CLAUDE_MODELS_SIDE_QUERY_FALLBACK=main-model`` with its process memory
:data:`~.plan.SIDE_MEMORY`), subagents (the retry rules on their own model, no chain). This
module sends each attempt, sleeps the planner's backoff and words the outcome as Claude Code
does.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from claude_models import env as E
from claude_models import providers
from claude_models.errors import LiveError
from claude_models.live.clients import (
    Call,
    Reply,
    fault_line,
    redact,
    retry_wait_exhausted,
    safety_refusal_message,
    send,
)
from claude_models.live.plan import (
    DEFAULT_MAX_RETRIES,
    SIDE_MEMORY,
    Attempt,
    Done,
    Planner,
    Role,
    Route,
    Switch,
    backoff,
    max_retries,
    route_for,
)
from claude_models.registry import registry
from claude_models.resolver import resolve
from claude_models.snapshot import Snapshot

Sender = Callable[[str, Mapping[str, str], Call, str], Reply]
Sleeper = Callable[[float], None]

#: The opt-in memory of refused side models (``SIDE_MEMORY.refused()`` lists them).
REFUSED_SIDE_MODELS = SIDE_MEMORY


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
    fallbacks: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "models_tried": list(self.models_tried),
            "model": self.model,
            "ok": self.ok,
            "status": self.status,
            "error": self.error,
            "text": self.text,
            "fallbacks": list(self.fallbacks),
        }


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


# -- the driver ----------------------------------------------------------------------------


def drive(
    snap: Snapshot,
    route: Route,
    prompt: str,
    *,
    sender: Sender = _default_sender,
    sleep: Sleeper = time.sleep,
) -> tuple[Planner, Done]:
    """Walk ``route``: send each attempt, sleep the backoff, until the planner is done. The
    opt-in side memory is consulted and fed here (one wasted request per process at most)."""
    provider, _ = providers.detect(snap.env)
    key = route.memory_key
    probing = False
    if key is not None:
        while True:
            state, known, flight = SIDE_MEMORY.claim(key)
            if state == "wait" and flight is not None:
                SIDE_MEMORY.wait(flight)
                continue
            if state == "known" and known is not None:
                route = Route(known)
            probing = state == "probe"
            break
    planner = Planner(route, retries=max_retries(snap.env))
    done: Done | None = None
    try:
        step: Attempt | Done = planner.start()
        waited = 0.0
        last: Reply | None = None
        while isinstance(step, Attempt):
            if step.delay and last is not None:
                capped = retry_wait_exhausted(last, waited, step.delay)
                if capped is not None:  # livesec: a bound on the total retry wait
                    step = Done(False, step.call, capped)
                    break
                sleep(step.delay)
                waited += step.delay
            last = sender(provider, snap.env, step.call, prompt)
            step = planner.feed(last)
        done = step
    finally:
        if probing and key is not None:
            SIDE_MEMORY.settle(key, done)
    return planner, done


def _outcome(planner: Planner, done: Done, error: str | None, env: Mapping[str, str]) -> Outcome:
    reply = done.reply
    return Outcome(
        models_tried=list(planner.tried),
        model=done.call.model,
        ok=reply.ok,
        status=reply.status,
        error=None if reply.ok or error is None else redact(error, env),
        text=reply.text if reply.ok else None,
        requests=planner.requests,
        fallbacks=[_switch_json(s) for s in planner.switches],
    )


def _switch_json(s: Switch) -> dict[str, Any]:
    out: dict[str, Any] = {"from": s.from_model, "to": s.to_model, "status": s.status}
    if s.refusal is not None:  # a switch after a safety refusal: its category
        out["refusal"] = s.refusal
    return out


def _failure(provider: str, model: str, reply: Reply, env: Mapping[str, str]) -> str:
    if reply.safety_refused:
        return safety_refusal_message(provider, model, reply.category)
    if reply.refused:
        return refusal_message(provider, model, reply, env)
    if reply.status == 529:
        return (
            f"{provider}: {model}: API Error: Repeated 529 Overloaded errors · the API is "
            f"overloaded; try again later, raise {E.MAX_RETRIES} or set --fallback-model"
        )
    return fault_line(provider, model, reply, env)


def run(
    snap: Snapshot,
    role: Role,
    prompt: str,
    *,
    sender: Sender = _default_sender,
    sleep: Sleeper = time.sleep,
) -> Outcome:
    """Send ``prompt`` in ``role`` as the modelled release would, fallbacks included."""
    res = resolve(snap)
    if role == "subagent":
        sub = res.subagent
        if sub is None or sub.request is None:
            reason = sub.error if sub is not None else "no --agent given"
            return Outcome(error=f"the Agent tool call is rejected: {reason}")
    if role == "side" and res.side is None:
        raise LiveError("this configuration has no side-query model")
    planner, done = drive(snap, route_for(snap, res, role), prompt, sender=sender, sleep=sleep)
    reply = done.reply
    if role == "side" and reply.refused and res.side is not None:
        error = side_refusal_message(res.provider, done.call.model, reply, res.side.source)
    elif role == "main" and reply.status == 404 and res.main_stepdown is not None:
        # 2.1.332: with nothing left to step down to, the first-party wording (CHANGES.md)
        error = (
            f"There's an issue with the selected model ({done.call.model}). It may not exist "
            "or you may not have access to it. Run --model to pick a different model."
        )
    else:
        error = _failure(res.provider, done.call.model, reply, snap.env)
    return _outcome(planner, done, error, snap.env)


def run_main(
    snap: Snapshot, prompt: str, *, sender: Sender = _default_sender, sleep: Sleeper = time.sleep
) -> Outcome:
    """The main loop's request, then its fallback models (BEHAVIOUR.md 7, CHANGES.md)."""
    return run(snap, "main", prompt, sender=sender, sleep=sleep)


def run_side(
    snap: Snapshot, prompt: str, *, sender: Sender = _default_sender, sleep: Sleeper = time.sleep
) -> Outcome:
    """One side query, as the modelled release sends it, or with the opt-in fallback."""
    return run(snap, "side", prompt, sender=sender, sleep=sleep)


def run_subagent(
    snap: Snapshot, prompt: str, *, sender: Sender = _default_sender, sleep: Sleeper = time.sleep
) -> Outcome:
    """The subagent's request with the main loop's retry rules (no fallback chain)."""
    return run(snap, "subagent", prompt, sender=sender, sleep=sleep)


__all__ = [
    "DEFAULT_MAX_RETRIES",
    "REFUSED_SIDE_MODELS",
    "Outcome",
    "backoff",
    "drive",
    "max_retries",
    "refusal_message",
    "run",
    "run_main",
    "run_side",
    "run_subagent",
    "side_refusal_message",
    "suggestion_3p",
]
