"""The fallback rules as a sans-IO planner: given a route and each reply, which request next.

Nothing here sends, sleeps or reads the process. A driver (``live.chain`` for the CLI,
``live.client`` for :class:`claude_models.Client` / :class:`claude_models.AsyncClient`, sync and
async, create and stream) asks :meth:`Planner.start` for the first :class:`Attempt`, sends it,
and feeds the reply to :meth:`Planner.feed`, which answers with the next :class:`Attempt` (after
``delay`` seconds) or :class:`Done`. So every driver shares one implementation of the rules.

A :class:`Route` says what may follow a refusal. Which models follow is the resolver's
decision, read from the :class:`~claude_models.result.Resolution` (rules of
:mod:`claude_models.stepdown`, per release via :func:`claude_models.releases.rules_for`); this
module only walks it:

- Main loop (BEHAVIOUR.md 7): ``[main, *fallback models]``; 404/403 switch at once, the 3rd
  consecutive 529 switches. With no fallback model, ``Resolution.main_stepdown`` (2.1.332,
  Bedrock, Vertex, Foundry): 404 gets the one non-streaming retry first, 403 steps down at
  once, each step with its own defaults. Without it: a 404 gets one retry, then the error.
- Side queries (BEHAVIOUR.md 4, CHANGES.md 2.1.330): ``SideQuery.retry``: nothing before
  2.1.330; from 2.1.330 the main-loop model as resolved outside plan mode (404: the same-model
  retry first; 403: at once), or the side model's step-down when it is the main-loop model.
  The opt-in ``CLAUDE_MODELS_SIDE_QUERY_FALLBACK=main-model`` moves to ``SideQuery.on_main``
  at once after a refusal, and the driver remembers the answer for the process
  (:class:`SideMemory`).
- Subagents: the main loop's retry rules on their own model, no chain.
- Safety refusals (a 200 with ``stop_reason: "refusal"``, main loop only):
  ``Resolution.refusal_fallback``: one more request on the same model (unless
  ``CLAUDE_CODE_DISABLE_REFUSAL_RETRY``), then the request of ``routes`` for the refusal's
  ``stop_details.category``; a refusal after that, or with no route, ends the walk. A configured
  fallback model is not used for a refusal (docs/decisions/refusal.md).
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from claude_models import env as E
from claude_models import stepdown
from claude_models._record import record
from claude_models.live.clients import Call, Reply
from claude_models.resolvers.context import context_of
from claude_models.resolvers.policy import is_allowed, is_denied
from claude_models.resolvers.setting import resolve_setting
from claude_models.result import RefusalFallback, Resolution, StepDown
from claude_models.snapshot import Snapshot

DEFAULT_MAX_RETRIES: Final = 10  # Claude Code's CLAUDE_CODE_MAX_RETRIES default
OVERLOADED_SWITCH: Final = 3  # consecutive 529s before a switch to a configured fallback
RETRYABLE: Final = frozenset({408, 409, 429})

Role = Literal["main", "side", "subagent", "skill"]
NextCall = Callable[[Call, frozenset[str]], Call | None]


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


# -- what the planner says -------------------------------------------------------------------


@record
class Switch:
    """A move to another model: ``on_fallback(from_model, to_model, status)``. After a safety
    refusal (a 200 with ``stop_reason: "refusal"``), ``status`` is 200 and ``refusal`` the
    refusal's category."""

    from_model: str
    to_model: str
    status: int | None
    refusal: str | None = None


@record
class Attempt:
    """Send ``call`` after ``delay`` seconds. ``kind``: ``first``, ``retry`` (Claude Code's
    non-streaming retry of a 404, max_tokens capped), ``again`` (a 529/429/5xx/fault retried
    with backoff, or the same request after a safety refusal) or ``switch`` (a new model;
    ``switch`` says from what)."""

    call: Call
    kind: str
    delay: float = 0.0
    switch: Switch | None = None


@record
class Done:
    """The walk is over: ``ok`` with the reply of ``call``, or the last failure."""

    ok: bool
    call: Call
    reply: Reply
    refused_first: bool = False  # the route's first model was refused (404/403)

    @property
    def safety_refused(self) -> bool:
        """The walk ended on a reply the safety classifier refused (``stop_reason``)."""
        return self.reply.safety_refused


@dataclass(frozen=True)
class Route:
    """What the planner may send: the first request, configured fallbacks, and for refusals a
    step-down function (the model tried, the models already tried) -> the next request."""

    first: Call
    fallbacks: tuple[Call, ...] = ()
    step_down: NextCall | None = None
    retry_404_before_switch: bool = False  # Claude Code's same-model retry before a step-down
    switch_on_overload: bool = False  # the 3rd consecutive 529 moves to the next fallback
    memory_key: tuple[str, str] | None = None  # opt-in side-query memory (provider, model)
    # what follows a safety refusal of the first model (main loop: Resolution.refusal_fallback)
    refusal: RefusalFallback | None = None


# -- the state machine -----------------------------------------------------------------------


@dataclass
class Planner:
    """One walk along a :class:`Route`. Not thread-safe: one per request."""

    route: Route
    retries: int = DEFAULT_MAX_RETRIES
    tried: list[str] = field(default_factory=list)
    switches: list[Switch] = field(default_factory=list)
    requests: int = 0
    _call: Call | None = None
    _queue: list[Call] = field(default_factory=list)
    _attempt: int = 0
    _overloaded: int = 0
    _retried_404: bool = False
    _refused_first: bool = False
    _refusal_retried: bool = False

    def start(self) -> Attempt:
        self._call = self.route.first
        self._queue = list(self.route.fallbacks)
        self.tried = [self.route.first.model]
        self._attempt = 1
        return Attempt(self.route.first, "first")

    @property
    def call(self) -> Call:
        assert self._call is not None, "start() first"
        return self._call

    def feed(self, reply: Reply) -> Attempt | Done:
        """The reply to the last attempt -> the next attempt, or the end."""
        call = self.call
        self.requests += 1
        if reply.safety_refused:
            return self._on_safety_refusal(reply)
        if reply.ok:
            return Done(True, call, reply, self._refused_first)
        if reply.refused:
            if len(self.tried) == 1:
                self._refused_first = True
            nxt = self._peek(refused=True)
            if nxt is not None:
                if (
                    reply.status == 404
                    and self.route.retry_404_before_switch
                    and not self._retried_404
                ):
                    return self._retry_404()
                return self._switch(nxt, reply.status)
            if reply.status == 404 and not self._retried_404:
                return self._retry_404()
            return Done(False, call, reply, self._refused_first)
        if reply.status == 529:
            self._overloaded += 1
            if (
                self._overloaded >= OVERLOADED_SWITCH
                and self.route.switch_on_overload
                and self._queue
            ):
                return self._switch(self._queue[0], 529)
        else:
            self._overloaded = 0
        retryable = (
            reply.status in RETRYABLE
            or (reply.status is not None and reply.status >= 500)
            or reply.kind in ("connection", "timeout")
        )
        if not retryable or self._attempt > self.retries:
            return Done(False, call, reply, self._refused_first)
        delay = backoff(self._attempt, reply.retry_after)
        self._attempt += 1
        return Attempt(call, "again", delay=delay)

    def _on_safety_refusal(self, reply: Reply) -> Attempt | Done:
        """``Route.refusal`` on the first model: one retry of the same request, then the
        category's route; anything else (a switched model, no rule, no route) ends the walk."""
        rule = self.route.refusal
        call = self.call
        if rule is None or self.switches:
            return Done(False, call, reply, self._refused_first)
        if rule.retry and not self._refusal_retried:
            self._refusal_retried = True
            return Attempt(call, "again")
        target = dict(rule.routes).get(reply.category) if reply.category else None
        if target is None:
            return Done(False, call, reply, self._refused_first)
        return self._switch(Call.of(target), reply.status, refusal=reply.category)

    def _retry_404(self) -> Attempt:
        self._retried_404 = True
        self._attempt += 1
        self._call = self.call.capped()
        return Attempt(self._call, "retry")

    def _peek(self, *, refused: bool) -> Call | None:
        if self._queue:
            return self._queue[0]
        if refused and self.route.step_down is not None:
            return self.route.step_down(self.call, frozenset(self.tried))
        return None

    def _switch(self, nxt: Call, status: int | None, *, refusal: str | None = None) -> Attempt:
        if self._queue and self._queue[0] is nxt:
            self._queue.pop(0)
        sw = Switch(self.call.model, nxt.model, status, refusal)
        self.switches.append(sw)
        self.tried.append(nxt.model)
        self._call = nxt
        self._attempt = 1
        self._overloaded = 0
        self._retried_404 = False
        return Attempt(nxt, "switch", switch=sw)


# -- routes ----------------------------------------------------------------------------------


def allowed_by_policy(snapshot: Snapshot, setting: str) -> bool:
    """Whether managed policy lets ``setting`` (an alias or id) run: inside ``availableModels``
    and not in managed ``deniedModels`` (BEHAVIOUR.md 3)."""
    ctx = context_of(snapshot)
    r = resolve_setting(setting, ctx, explicit=True)
    return is_allowed(r, ctx) and not is_denied(r, ctx)


def along(steps: StepDown) -> NextCall:
    """The planner's step-down function over a decision the resolver made
    (``Resolution.main_stepdown``, ``SideQuery.retry``): the step after the refused model,
    skipping models already tried."""

    def step(call: Call, tried: frozenset[str]) -> Call | None:
        nxt = steps.after(call.model, tried)
        return Call.of(nxt) if nxt is not None else None

    return step


def main_route(snapshot: Snapshot, res: Resolution, first: Call | None = None) -> Route:
    """The main loop's route under the modelled release (``first``: another first request):
    the configured fallback models, else the release's own step-down (``res.main_stepdown``);
    after a safety refusal, ``res.refusal_fallback`` (never the configured fallback models)."""
    head = first or Call.of(res.main)
    refusal = res.refusal_fallback
    if res.fallbacks:  # shaped by the resolver, as the main request is
        fallbacks = tuple(Call.of(f) for f in res.fallbacks)
        return Route(head, fallbacks, switch_on_overload=True, refusal=refusal)
    if res.main_stepdown is not None:
        steps = along(res.main_stepdown)
        return Route(head, step_down=steps, retry_404_before_switch=True, refusal=refusal)
    return Route(head, refusal=refusal)


def side_route(snapshot: Snapshot, res: Resolution, first: Call | None = None) -> Route:
    """A side query's route: the release's retry (``res.side.retry``: on the main-loop model
    outside plan mode, or the side model's step-down), or the opt-in main-model fallback
    (``res.side.fallback == "main-model"``) to ``res.side.on_main``."""
    side = res.side
    assert side is not None
    head = first or Call.of_side(side)
    main = side.on_main or stepdown.side_on_main(res.main)
    retry = side.retry
    if first is not None and first.model != side.model:  # an explicit model= of the caller
        ctx = context_of(snapshot)
        retry = stepdown.side_retry(ctx, first.model, ctx.reg.find(first.model), main)
    on_main = Call.of(main)
    key = (res.provider, head.model)
    opt_in = side.fallback == "main-model"
    if opt_in and head.model != on_main.model:
        return Route(head, (on_main,), memory_key=key)
    if retry is None or retry.rule is None:
        return Route(head)
    return Route(
        head,
        step_down=along(retry),
        retry_404_before_switch=True,
        memory_key=key if opt_in else None,
    )


def route_for(snapshot: Snapshot, res: Resolution, role: Role, first: Call | None = None) -> Route:
    if role == "main":
        return main_route(snapshot, res, first)
    if role == "side":
        return side_route(snapshot, res, first)
    if role == "subagent":
        sub = res.subagent
        assert sub is not None and sub.request is not None
        return Route(first or Call.of(sub.request))
    assert res.skill is not None
    return Route(first or Call.of(res.skill))


# -- the opt-in process memory of refused side models -----------------------------------------


@dataclass
class _Flight:
    """One side query finding out whether a side model answers; others wait for it."""

    event: threading.Event = field(default_factory=threading.Event)
    waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = field(
        default_factory=list
    )


Claim = tuple[Literal["known", "probe", "wait"], Call | None, _Flight | None]


class SideMemory:
    """Refused side models of this process and the request that answered instead.

    Thread- and asyncio-safe. While one side query finds out whether a side model answers,
    the others for the same (provider, model) wait for its verdict, so the process wastes at
    most one request on a refused model, however many side queries run at once.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answered: dict[tuple[str, str], Call] = {}
        self._good: set[tuple[str, str]] = set()
        self._flights: dict[tuple[str, str], _Flight] = {}

    def clear(self) -> None:
        with self._lock:
            self._answered.clear()
            self._good.clear()
            for flight in self._flights.values():
                self._wake(flight)
            self._flights.clear()

    def refused(self) -> dict[tuple[str, str], str]:
        """(provider, refused side model) -> the model that answered instead."""
        with self._lock:
            return {k: c.model for k, c in self._answered.items()}

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._answered

    def claim(self, key: tuple[str, str]) -> Claim:
        """``known`` (go straight to the call), ``probe`` (send; then :meth:`settle`) or
        ``wait`` (another query is finding out; wait on the flight, then claim again)."""
        with self._lock:
            if key in self._answered:
                return "known", self._answered[key], None
            if key in self._good:
                return "probe", None, None
            flight = self._flights.get(key)
            if flight is not None:
                return "wait", None, flight
            self._flights[key] = _Flight()
            return "probe", None, None

    def settle(self, key: tuple[str, str], done: Done | None) -> None:
        """Record the probe's verdict (``None``: none, e.g. an exception) and wake waiters."""
        with self._lock:
            if done is not None and done.ok:
                if done.refused_first:
                    self._answered[key] = done.call
                else:
                    self._good.add(key)
            flight = self._flights.pop(key, None)
            if flight is not None:
                self._wake(flight)

    @staticmethod
    def _wake(flight: _Flight) -> None:
        flight.event.set()
        for loop, fut in flight.waiters:
            loop.call_soon_threadsafe(_resolve, fut)
        flight.waiters.clear()

    def wait(self, flight: _Flight) -> None:
        flight.event.wait()

    async def wait_async(self, flight: _Flight) -> None:
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if flight.event.is_set():
                return
            flight.waiters.append((loop, fut))
        await fut


def _resolve(fut: asyncio.Future[None]) -> None:
    if not fut.done():
        fut.set_result(None)


#: The process's memory (opt-in ``CLAUDE_MODELS_SIDE_QUERY_FALLBACK=main-model`` only).
SIDE_MEMORY = SideMemory()


__all__ = [
    "DEFAULT_MAX_RETRIES",
    "SIDE_MEMORY",
    "Attempt",
    "Done",
    "Planner",
    "Route",
    "SideMemory",
    "Switch",
    "allowed_by_policy",
    "along",
    "backoff",
    "main_route",
    "max_retries",
    "route_for",
    "side_route",
]
