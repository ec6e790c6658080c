"""``claude_models.Client`` / ``AsyncClient``: the anthropic SDK's own ``messages.create`` and
``messages.stream``, with Claude Code's model choice and fallbacks.

::

    from claude_models import Client, route_of

    with Client() as client:  # reads env, settings, managed policy, as the CLI does
        msg = client.messages.create(messages=[{"role": "user", "content": "hi"}])
    msg.model          # the model that answered
    route_of(msg)      # ModelRoute(models_tried=(...), fallbacks=(...), requests=N)

Per request, ``role="main"`` (the main loop, with its fallback chain), ``role="side"`` (a
background side query), ``agent={...}`` (the Agent tool input: runs as that subagent) or
``skill="opus"`` (a skill whose SKILL.md names that model). The resolved ``model``,
``max_tokens``, ``thinking``, ``output_config.effort``, betas (``anthropic-beta``), ``speed`` and
the region (the SDK client's) are filled in; every other Messages API parameter passes through.

An explicit parameter of the caller wins over the resolved one, on every attempt:
``output_config`` and ``extra_headers`` are merged key by key (the caller's keys win),
``betas=[...]`` becomes the ``anthropic-beta`` header, and a parameter this SDK's
``messages.create`` does not name (e.g. ``temperature`` where the SDK lacks it) goes into
``extra_body``. The one exception: ``model=``. It is resolved like ``--model`` (aliases work),
and a model managed policy does not allow raises :class:`~claude_models.errors.ModelNotAllowedError`
before anything is sent. A main-loop ``model=`` keeps the fallback chain of the configuration.

Fallbacks follow the modelled Claude Code release (:mod:`.plan`); in ``stream``, the one
same-model retry after a 404 is sent non-streaming, as Claude Code does, and handed out as a
``MessageStream`` over the message that came back. What happened is observable:
``on_fallback(from_model, to_model, status)`` (on the client or per call) and
:func:`route_of` on the returned message or stream. Failures raise the SDK's own exception of
the last attempt (``anthropic.NotFoundError``, ``PermissionDeniedError``, ...).

A main-loop reply the safety classifier refused (a 200 with ``stop_reason: "refusal"``) is
acted on as ``Resolution.refusal_fallback`` says: the same request once more, then the
category's route (``on_fallback(from, to, 200)``); with nothing left,
:class:`~claude_models.errors.RefusalError`. In ``stream``, a main-loop reply is held back until
its first text or tool input (or its end), so a refusal before any text is acted on; one after
text was streamed ends that stream with ``stop_reason == "refusal"`` (docs/decisions/refusal.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import threading
import time
import warnings
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import Any, Final, Generic, Literal, TypeVar

from claude_models import providers
from claude_models._record import record, replace
from claude_models.errors import LiveError, LiveWarning, ModelNotAllowedError, RefusalError
from claude_models.live.clients import (
    Call,
    Reply,
    _anthropic,
    _retry_after,
    build_client,
    check_model_for_url,
    safety_refusal_message,
    stop_of,
    timeout_of,
)
from claude_models.live.plan import (
    SIDE_MEMORY,
    Attempt,
    Done,
    Planner,
    Role,
    Route,
    Switch,
    allowed_by_policy,
    max_retries,
    route_for,
)
from claude_models.resolvers.context import context_of
from claude_models.resolvers.setting import resolve_setting
from claude_models.result import Resolution, sdk_kwargs
from claude_models.snapshot import Flags, Snapshot

OnFallback = Callable[[str, str, "int | None"], None]
T = TypeVar("T")
ROUTE_ATTR: Final = "_claude_models_route"
PROFILE_WAIT: Final = 3.0  # as `ask`: the head start of Client()'s Bedrock profile listing
MERGED: Final = frozenset({"output_config", "extra_headers", "extra_body"})


@record
class ModelRoute:
    """What one request went through: the models tried in order, each switch
    (:class:`~claude_models.live.plan.Switch`: from, to, status) and how many requests."""

    model: str  # the model that answered
    models_tried: tuple[str, ...]
    fallbacks: tuple[Switch, ...]
    requests: int


def route_of(obj: object) -> ModelRoute | None:
    """The :class:`ModelRoute` of a message returned by ``messages.create`` or of the stream
    ``messages.stream`` entered (and its final message after the ``with`` block); ``None`` for
    anything this library did not send."""
    found = getattr(obj, "__dict__", {}).get(ROUTE_ATTR)
    return found if isinstance(found, ModelRoute) else None


def _attach(obj: object, route: ModelRoute) -> None:
    # an object without a __dict__ has nothing to attach to
    with contextlib.suppress(AttributeError, TypeError):
        object.__setattr__(obj, ROUTE_ATTR, route)


# -- preparing one request (shared by sync and async) -----------------------------------------


@record
class _Prepared:
    snapshot: Snapshot
    resolution: Resolution
    route: Route
    params: Mapping[str, Any]
    role: Role


def _load(flags: Flags | None) -> Snapshot:
    """The configuration as the CLI reads it, as a non-interactive (print-mode) session."""
    from claude_models.loader import load_snapshot

    if flags is not None and not isinstance(flags, Flags):
        raise TypeError("flags= must be a claude_models.Flags")
    return load_snapshot(replace(flags or Flags(), print_mode=True))


def _sdk_params() -> frozenset[str]:
    sdk = _anthropic()
    names = inspect.signature(sdk.resources.Messages.create).parameters
    return frozenset(n for n in names if n != "self")


def merge_params(call: Call, params: Mapping[str, Any], known: frozenset[str]) -> dict[str, Any]:
    """The SDK keyword arguments of ``call``, with the caller's ``params`` winning."""
    out = sdk_kwargs(
        call.model,
        call.max_tokens,
        thinking=call.thinking,
        effort=call.effort,
        betas=call.betas,
        speed=call.speed,
    )
    for key, value in params.items():
        if key == "betas":
            headers = dict(out.get("extra_headers") or {})
            headers["anthropic-beta"] = ",".join(value)
            out["extra_headers"] = headers
        elif key in MERGED and isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    extra = {k: out.pop(k) for k in list(out) if k not in known}
    if extra:
        out["extra_body"] = {**extra, **(out.get("extra_body") or {})}
    return out


def _explicit_call(snap: Snapshot, base: Call, model: str, kind: Role) -> Call:
    """A side query, subagent or skill request on the caller's ``model``, shaped as the
    resolver shapes that role on that model. The role's own effort chain runs on the model, so
    a level is clamped to what it takes (``effort.clamp_effort``) and a model that takes none
    gets none. A side query: the model's catalog max_tokens, no thinking. A subagent or skill:
    the model's max_tokens (``CLAUDE_CODE_MAX_OUTPUT_TOKENS`` honoured), thinking and betas."""
    from claude_models.resolver import resolve_skill
    from claude_models.resolvers.side import side_effort
    from claude_models.resolvers.subagent import subagent_effort
    from claude_models.shaping import UNKNOWN_MAX_TOKENS, build_request

    if kind == "skill":  # exactly a SKILL.md saying ``model: <model>``
        return Call.of(resolve_skill(snap, model))
    ctx = context_of(snap)
    r = resolve_setting(model, ctx, explicit=True)
    if kind == "side":  # as side.side_fields shapes the side query on its model
        region, _ = providers.region(ctx.provider, r.window_model, ctx.env)
        return replace(
            base,
            model=r.wire,
            max_tokens=r.model.max_output_default if r.model else UNKNOWN_MAX_TOKENS,
            effort=side_effort(ctx, r.model).value,
            thinking=None,
            region=region or base.region,
        )
    # a subagent, as subagent.subagent shapes it (the Agent tool's ``model`` takes aliases
    # only, so the explicit model cannot go through the Agent input)
    pick = subagent_effort(ctx, r, snap.agent or {})
    return Call.of(build_request(ctx, r, pick, setting=model, source="model=", origin=None))


def prepare(
    snapshot: Snapshot,
    *,
    role: str,
    agent: Mapping[str, Any] | None,
    skill: str | None,
    params: Mapping[str, Any],
) -> _Prepared:
    """Resolve the request of ``role`` (or the subagent / skill) and its fallback route."""
    if role not in ("main", "side"):
        raise ValueError(f"role must be 'main' or 'side', not {role!r}")
    if agent is not None and skill is not None:
        raise ValueError("give agent= or skill=, not both")
    if (agent is not None or skill is not None) and role != "main":
        raise ValueError("agent= and skill= run as their own role; leave role='main'")
    if params.get("stream"):
        raise TypeError("stream=True: use client.messages.stream(...) for a streamed reply")
    rest = {k: v for k, v in params.items() if k not in ("model", "stream")}
    model = params.get("model")
    snap = snapshot
    if agent is not None:
        if not isinstance(agent, Mapping):
            raise TypeError("agent= must be the Agent tool input, a dict")
        snap = replace(snap, agent=dict(agent))
    if skill is not None:
        snap = replace(snap, flags=replace(snap.flags, skill_model=skill))
    if model is not None:
        if not isinstance(model, str) or not model.strip():
            raise TypeError("model= must be a model name or id (a non-empty string)")
        if not allowed_by_policy(snap, model):
            raise ModelNotAllowedError(
                f"model {model!r} is not allowed by managed policy (availableModels / "
                "deniedModels); Claude Code would not run it either",
                model=model,
            )
    kind: Role = "subagent" if agent is not None else "skill" if skill is not None else role  # type: ignore[assignment]
    if kind == "main" and model is not None:
        snap = replace(
            snap,
            flags=replace(snap.flags, model=model),
            session=replace(snap.session, model=None),
        )
    from claude_models.resolver import resolve

    res = resolve(snap)
    first: Call | None = None
    if kind == "subagent":
        sub = res.subagent
        if sub is None or sub.request is None:
            reason = sub.error if sub is not None else "no Agent tool input"
            raise LiveError(f"the Agent tool call is rejected: {reason}")
        base = Call.of(sub.request)
    elif kind == "skill":
        assert res.skill is not None
        base = Call.of(res.skill)
    elif kind == "side":
        if res.side is None:
            raise LiveError("this configuration has no side-query model")
        base = Call.of_side(res.side)
    else:
        base = Call.of(res.main)
    if model is not None and kind != "main":
        first = _explicit_call(snap, base, model, kind)
    return _Prepared(snap, res, route_for(snap, res, kind, first), rest, kind)


def _reply_of(exc: BaseException) -> Reply | None:
    """The planner's view of an SDK exception, ``None`` for one that is not a reply/fault."""
    sdk = _anthropic()
    if isinstance(exc, sdk.APIStatusError):
        return Reply(exc.status_code, "status", retry_after=_retry_after(exc.response.headers))
    if isinstance(exc, sdk.APITimeoutError):
        return Reply(None, "timeout")
    if isinstance(exc, sdk.APIConnectionError):
        return Reply(None, "connection")
    return None


class _Walk(Generic[T]):
    """One request's walk: planner, memory claim, the last failure, the route taken."""

    def __init__(self, owner: _Base, prep: _Prepared, on_fallback: OnFallback | None) -> None:
        self.owner = owner
        self.prep = prep
        self.on_fallback = on_fallback or owner.on_fallback
        self.route = prep.route
        self.key = prep.route.memory_key
        self.probing = False
        self.planner: Planner | None = None
        self.failure: BaseException | None = None
        self.done: Done | None = None
        # a streamed reply's (stop_reason, category), set by the sender (a stream has none)
        self.stop: tuple[str | None, str | None] | None = None

    def claimed(self, state: str, known: Call | None) -> None:
        if state == "known" and known is not None:
            self.route = Route(known)
        self.probing = state == "probe"

    def begin(self) -> Attempt:
        self.planner = Planner(self.route, retries=self.owner.retries)
        return self.planner.start()

    def before(self, step: Attempt) -> dict[str, Any]:
        provider = self.prep.resolution.provider
        check_model_for_url(provider, step.call.model)
        if step.switch is not None and self.on_fallback is not None:
            self.on_fallback(step.switch.from_model, step.switch.to_model, step.switch.status)
        return merge_params(step.call, self.prep.params, self.owner.sdk_params)

    def after(self, exc: BaseException | None, result: Any = None) -> Attempt | Done:
        assert self.planner is not None
        if exc is None:
            stop, category = self.stop if self.stop is not None else stop_of(result)
            self.stop = None
            step = self.planner.feed(Reply(200, "ok", stop_reason=stop, category=category))
        else:
            reply = _reply_of(exc)
            if reply is None:
                raise exc
            self.failure = exc
            step = self.planner.feed(reply)
        if isinstance(step, Done):
            self.done = step
        return step

    def raise_failure(self, result: Any) -> None:
        """Raise what ended the walk: the SDK's exception of the last attempt, or
        :class:`RefusalError` for a reply the safety classifier refused (``result``)."""
        done = self.done
        if done is not None and done.safety_refused:
            provider = self.prep.resolution.provider
            model, category = done.call.model, done.reply.category
            raise RefusalError(
                safety_refusal_message(provider, model, category),
                provider=provider,
                model=model,
                category=category,
                response=result,
            )
        assert self.failure is not None
        raise self.failure

    def settle(self) -> None:
        if self.probing and self.key is not None:
            SIDE_MEMORY.settle(self.key, self.done)

    def model_route(self) -> ModelRoute:
        assert self.planner is not None and self.done is not None
        return ModelRoute(
            self.done.call.model,
            tuple(self.planner.tried),
            tuple(self.planner.switches),
            self.planner.requests,
        )


class _Base:
    def __init__(
        self,
        *,
        snapshot: Snapshot | None,
        flags: Flags | None,
        timeout: float | None,
        max_retries: int | None,
        http_client: Any,
        on_fallback: OnFallback | None,
        asynchronous: bool,
    ) -> None:
        if snapshot is not None and not isinstance(snapshot, Snapshot):
            raise TypeError("snapshot= must be a claude_models.Snapshot")
        if snapshot is not None and flags is not None:
            raise TypeError("give snapshot= or flags=, not both (a snapshot has its flags)")
        if max_retries is not None and (not isinstance(max_retries, int) or max_retries < 0):
            raise ValueError("max_retries= must be a whole number >= 0")
        if timeout is not None and (not isinstance(timeout, (int, float)) or timeout <= 0):
            raise ValueError("timeout= must be a number of seconds > 0")
        snap = snapshot if snapshot is not None else _load(flags)
        # Client() on Bedrock: list the inference profiles as the CLI does, in the background;
        # the first request gives the listing its head start (PROFILE_WAIT), never more.
        self._listing: threading.Thread | None = None
        self._listing_by = time.monotonic() + PROFILE_WAIT
        if snapshot is None:
            from claude_models.live import profiles

            self._listing = profiles.start(snap.env)
        self._snapshot = snap
        env = snap.env
        self.timeout = float(timeout) if timeout is not None else timeout_of(env)
        self.retries = max_retries if max_retries is not None else _max_retries(env)
        self.http_client = http_client
        # the SDK client's close() closes its http client: ours only, never the caller's
        self._owns_http = http_client is None
        self.on_fallback = on_fallback
        self.provider, _ = providers.detect(env)
        self.sdk_params = _sdk_params()
        self._asynchronous = asynchronous
        self._clients: dict[str | None, Any] = {}
        self._lock = threading.Lock()

    @property
    def snapshot(self) -> Snapshot:
        """The configuration requests are resolved from. For ``Client()`` on Bedrock, with
        the inference profiles discovered (``live.profiles``); the first use waits for the
        listing up to ``PROFILE_WAIT`` seconds after the client was made, then built-in ids."""
        listing = self._listing
        if listing is not None:
            listing.join(max(0.0, self._listing_by - time.monotonic()))
            self._land_profiles()
        return self._snapshot

    async def _snapshot_async(self) -> Snapshot:
        """:attr:`snapshot` without blocking the event loop while the listing lands."""
        listing = self._listing
        if listing is not None:
            wait = max(0.0, self._listing_by - time.monotonic())
            await asyncio.get_running_loop().run_in_executor(None, listing.join, wait)
            self._land_profiles()
        return self._snapshot

    def _land_profiles(self) -> None:
        """Take what the listing found (an empty or missing listing keeps the built-in ids);
        a failed listing is a :class:`~claude_models.errors.LiveWarning`, masked."""
        from claude_models.live import profiles
        from claude_models.masking import mask

        with self._lock:
            if self._listing is None:
                return
            self._listing = None
            env = self._snapshot.env
            self._snapshot = profiles.with_profiles(self._snapshot, profiles.current(env))
            failed = profiles.error(env)
        if failed:
            note = f"Bedrock inference profiles could not be listed ({failed}); built-in ids used"
            warnings.warn(mask(note, env), LiveWarning, stacklevel=4)

    def sdk_client(self, call: Call) -> Any:
        """The SDK client of the call's region, built once (``live.clients.build_client``)."""
        with self._lock:
            found = self._clients.get(call.region)
            if found is None:
                found = build_client(
                    self.provider,
                    self.snapshot.env,
                    model=call.model,
                    region=call.region,
                    timeout=self.timeout,
                    asynchronous=self._asynchronous,
                    http=self.http_client,
                )
                self._clients[call.region] = found
            return found

    def _take_clients(self) -> list[Any]:
        """The cached SDK clients to close (none when the caller owns the http client); the
        cache is emptied either way, so a later request builds fresh ones."""
        with self._lock:
            found, self._clients = list(self._clients.values()), {}
        return found if self._owns_http else []

    def resolve(self) -> Resolution:
        """The resolution requests are shaped from (``claude_models.resolve``)."""
        from claude_models.resolver import resolve

        return resolve(self.snapshot)


def _max_retries(env: Mapping[str, str]) -> int:
    return max_retries(env)


# -- a non-streamed retry handed out as a stream ---------------------------------------------


class _Replay:
    """The SDK ``Stream`` of a reply that came whole: its events, and the HTTP response (for
    ``stream.response`` / ``request_id``). Nothing is left to read or to close."""

    def __init__(self, events: list[Any], response: Any) -> None:
        self._events = events
        self.response = response

    def __iter__(self) -> Iterator[Any]:
        return iter(self._events)

    def close(self) -> None:
        return None


class _AsyncReplay(_Replay):
    """:class:`_Replay` for the SDK's ``AsyncMessageStream``."""

    async def __aiter__(self) -> AsyncIterator[Any]:
        for event in self._events:
            yield event

    async def close(self) -> None:  # type: ignore[override]
        return None


def _block_events(block: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A content block as the stream carries it: the block it starts with, then its deltas."""
    kind = block.get("type")
    if kind == "text":
        deltas = [{"type": "text_delta", "text": block["text"]}] if block.get("text") else []
        deltas += [{"type": "citations_delta", "citation": c} for c in block.get("citations") or []]
        return {**block, "text": "", "citations": None}, deltas
    if kind == "thinking":
        return {**block, "thinking": "", "signature": ""}, [
            {"type": "thinking_delta", "thinking": block.get("thinking") or ""},
            {"type": "signature_delta", "signature": block.get("signature") or ""},
        ]
    if kind in ("tool_use", "server_tool_use"):
        given = block.get("input") or {}
        json_delta = {"type": "input_json_delta", "partial_json": json.dumps(given)}
        return {**block, "input": {}}, [json_delta] if given else []
    return block, []  # other blocks (tool results, redacted thinking) arrive whole


def stream_events(message: Any) -> list[Any]:
    """The SDK stream events (``RawMessageStreamEvent``) that build ``message``, in the API's
    order: ``message_start``, each block's start, deltas and stop, ``message_delta``,
    ``message_stop``. Accumulated by the SDK's ``MessageStream``, they give back ``message``."""
    from anthropic._models import construct_type

    sdk = _anthropic()
    whole = message.model_dump(mode="json")
    content = whole.pop("content")
    start = {**whole, "content": [], "stop_reason": None, "stop_sequence": None}
    raw: list[dict[str, Any]] = [{"type": "message_start", "message": start}]
    for index, block in enumerate(content):
        first, deltas = _block_events(block)
        raw.append({"type": "content_block_start", "index": index, "content_block": first})
        raw += [{"type": "content_block_delta", "index": index, "delta": d} for d in deltas]
        raw.append({"type": "content_block_stop", "index": index})
    delta = {k: whole.get(k) for k in ("stop_reason", "stop_sequence", "stop_details", "container")}
    raw.append({"type": "message_delta", "delta": delta, "usage": whole.get("usage") or {}})
    raw.append({"type": "message_stop"})
    return [construct_type(type_=sdk.types.RawMessageStreamEvent, value=e) for e in raw]


def replayed(message: Any, response: Any, *, asynchronous: bool) -> Any:
    """The SDK's own ``MessageStream`` (``AsyncMessageStream``) over a reply that came whole:
    its events replayed in one burst, ``get_final_message()`` the same message."""
    from anthropic.lib.streaming import AsyncMessageStream, MessageStream

    sdk = _anthropic()
    events = stream_events(message)
    if asynchronous:
        return AsyncMessageStream(_AsyncReplay(events, response), output_format=sdk.NOT_GIVEN)  # type: ignore[arg-type]
    return MessageStream(_Replay(events, response), output_format=sdk.NOT_GIVEN)  # type: ignore[arg-type]


# -- a main-loop stream held back until its first text (a refusal before it is acted on) -------


def _carries_content(event: Any) -> bool:
    """A delta the caller would see as the answer: text or tool input (thinking is held)."""
    if getattr(event, "type", None) != "content_block_delta":
        return False
    delta = event.delta
    if delta.type == "text_delta":
        return bool(delta.text)
    if delta.type == "input_json_delta":
        return bool(delta.partial_json)
    return False


class _Held:
    """The SDK ``Stream`` of a streamed reply read up to its first text or tool input, or to
    its end: the events read (``stop``: the ``stop_reason`` and refusal category when the end
    came first), then the rest, live."""

    def __init__(self, raw: Any, rest: Any, events: list[Any], stop: tuple[Any, Any]) -> None:
        self._raw = raw
        self._rest = rest
        self._events = events
        self.stop: tuple[str | None, str | None] = stop

    @property
    def response(self) -> Any:
        return self._raw.response

    def __iter__(self) -> Iterator[Any]:
        events, self._events = self._events, []
        yield from events
        yield from self._rest

    def close(self) -> None:
        self._raw.close()


class _AsyncHeld(_Held):
    """:class:`_Held` for the SDK's ``AsyncMessageStream``."""

    async def __aiter__(self) -> AsyncIterator[Any]:
        events, self._events = self._events, []
        for event in events:
            yield event
        async for event in self._rest:
            yield event

    async def close(self) -> None:  # type: ignore[override]
        await self._raw.close()


def _ended(event: Any, stop: tuple[str | None, str | None]) -> tuple[str | None, str | None]:
    return stop_of(event.delta) if getattr(event, "type", None) == "message_delta" else stop


def hold(raw: Any) -> _Held:
    """Read ``raw`` (``messages.create(stream=True)``) up to its first text or its end."""
    rest = iter(raw)
    events: list[Any] = []
    stop: tuple[str | None, str | None] = (None, None)
    for event in rest:
        events.append(event)
        stop = _ended(event, stop)
        if _carries_content(event):
            break
    return _Held(raw, rest, events, stop)


async def hold_async(raw: Any) -> _AsyncHeld:
    """:func:`hold` for an ``AsyncStream``."""
    rest = raw.__aiter__()
    events: list[Any] = []
    stop: tuple[str | None, str | None] = (None, None)
    async for event in rest:
        events.append(event)
        stop = _ended(event, stop)
        if _carries_content(event):
            break
    return _AsyncHeld(raw, rest, events, stop)


# -- sync ------------------------------------------------------------------------------------


class _SyncStream:
    """``with client.messages.stream(...) as stream:`` -- ``stream`` is the SDK's own
    ``MessageStream``; the fallback chain runs in ``__enter__``, before the first event.

    Claude Code's same-model retry after a 404 is sent non-streaming (``messages.create``,
    max_tokens capped); when it answers, ``stream`` is a ``MessageStream`` over that message's
    events (:func:`replayed`): the same iteration, ``text_stream`` and ``get_final_message()``,
    all events at once."""

    def __init__(self, owner: Client, walk: _Walk[Any]) -> None:
        self._owner = owner
        self._walk = walk
        self._manager: Any = None
        self._held: _Held | None = None
        self._stream: Any = None

    def _close_opened(self) -> None:
        if self._manager is not None:
            manager, self._manager = self._manager, None
            manager.__exit__(None, None, None)
        if self._held is not None:
            held, self._held = self._held, None
            held.close()

    def __enter__(self) -> Any:
        walk = self._walk

        def send(step: Attempt, kwargs: dict[str, Any]) -> Any:
            self._close_opened()  # a refused reply's stream, before the next attempt
            sdk = self._owner.sdk_client(step.call)
            if step.kind == "retry":  # Claude Code's 404 retry is not streamed
                raw = sdk.messages.with_raw_response.create(**kwargs)
                message = raw.parse()
                walk.stop = stop_of(message)
                return replayed(message, raw.http_response, asynchronous=False)
            if walk.route.refusal is not None:  # main loop: a refusal before any text
                from anthropic.lib.streaming import MessageStream

                held = hold(sdk.messages.create(stream=True, **kwargs))
                self._held = held
                walk.stop = held.stop
                return MessageStream(held, output_format=_anthropic().NOT_GIVEN)  # type: ignore[arg-type]
            manager = sdk.messages.stream(**kwargs)
            stream = manager.__enter__()
            self._manager = manager
            return stream

        try:
            self._stream = _drive_sync(walk, send)
        except BaseException:
            # a stream opened before the failure is not handed out: close it here
            self._close_opened()
            raise
        return self._stream

    def __exit__(self, *exc: Any) -> None:
        if self._manager is not None:
            manager, self._manager = self._manager, None
            manager.__exit__(*exc)
        elif self._stream is not None:
            self._stream.close()
        if self._stream is not None:
            snapshot = getattr(self._stream, "_MessageStream__final_message_snapshot", None)
            if snapshot is not None:
                _attach(snapshot, self._walk.model_route())


def _drive_sync(walk: _Walk[Any], send: Callable[[Attempt, dict[str, Any]], Any]) -> Any:
    key = walk.key
    if key is not None:
        while True:
            state, known, flight = SIDE_MEMORY.claim(key)
            if state == "wait" and flight is not None:
                SIDE_MEMORY.wait(flight)
                continue
            walk.claimed(state, known)
            break
    try:
        step: Attempt | Done = walk.begin()
        result: Any = None
        while isinstance(step, Attempt):
            if step.delay:
                time.sleep(step.delay)
            kwargs = walk.before(step)
            try:
                result = send(step, kwargs)
            except Exception as exc:  # _reply_of re-raises what is not a reply
                step = walk.after(exc)
                continue
            step = walk.after(None, result)
    finally:
        walk.settle()
    if not step.ok:
        walk.raise_failure(result)
    _attach(result, walk.model_route())
    return result


class Messages:
    """``client.messages``: ``create`` and ``stream`` as the SDK's, with Claude Code's model."""

    def __init__(self, owner: Client) -> None:
        self._owner = owner

    def create(
        self,
        *,
        messages: Sequence[Any],
        role: Literal["main", "side"] = "main",
        agent: Mapping[str, Any] | None = None,
        skill: str | None = None,
        on_fallback: OnFallback | None = None,
        **params: Any,
    ) -> Any:
        """Send ``messages`` as ``role`` (or as the subagent of ``agent``, or a skill on
        ``skill``); returns the SDK's ``Message`` (``.model``: the model that answered)."""
        prep = prepare(
            self._owner.snapshot,
            role=role,
            agent=agent,
            skill=skill,
            params={**params, "messages": messages},
        )
        walk: _Walk[Any] = _Walk(self._owner, prep, on_fallback)
        owner = self._owner

        def send(step: Attempt, kwargs: dict[str, Any]) -> Any:
            return owner.sdk_client(step.call).messages.create(**kwargs)

        return _drive_sync(walk, send)

    def stream(
        self,
        *,
        messages: Sequence[Any],
        role: Literal["main", "side"] = "main",
        agent: Mapping[str, Any] | None = None,
        skill: str | None = None,
        on_fallback: OnFallback | None = None,
        **params: Any,
    ) -> _SyncStream:
        """``with client.messages.stream(messages=...) as stream:``, the SDK's
        ``MessageStream``, after the fallback chain (a refusal comes before the stream). A
        404's same-model retry is sent non-streaming, as Claude Code does; its answer is
        handed out as a ``MessageStream`` replaying the message's events."""
        prep = prepare(
            self._owner.snapshot,
            role=role,
            agent=agent,
            skill=skill,
            params={**params, "messages": messages},
        )
        return _SyncStream(self._owner, _Walk(self._owner, prep, on_fallback))


class Client(_Base):
    """Claude Code's model system in front of the anthropic SDK (sync).

    ``Client()`` reads the configuration as the CLI does (environment, settings files, managed
    policy, the modelled Claude Code release) for a print-mode session; ``flags=Flags(...)``
    adds what ``claude`` flags would (``Flags(fallback_model="sonnet")`` is ``--fallback-model
    sonnet``); ``Client(snapshot=...)`` takes a :class:`~claude_models.Snapshot` instead, used
    as given. On Bedrock, ``Client()`` lists the inference profiles as the CLI does (boto3, in
    the background; the first request waits at most ``PROFILE_WAIT`` seconds after the client
    was made), so it sends the ids ``ask`` sends; a failed listing is a masked
    :class:`~claude_models.errors.LiveWarning` and the built-in ids are sent.

    ``timeout`` (seconds, default ``API_TIMEOUT_MS`` or 600), ``max_retries`` (default
    ``CLAUDE_CODE_MAX_RETRIES`` or 10: retries of 429/5xx/529 and faults, done by Claude Code's
    rules, never by the SDK) and ``http_client`` (an ``httpx.Client``) are passed to the SDK
    client of the provider. ``on_fallback(from_model, to_model, status)`` is called before each
    switch to another model.

    The client keeps the SDK clients it builds (one per region) and their pooled connections:
    close it when done, ``client.close()`` or ``with Client() as client:`` (``await
    client.aclose()`` / ``async with AsyncClient() as client:``). An ``http_client`` you pass
    is never closed by the client; you close it.
    """

    def __init__(
        self,
        *,
        snapshot: Snapshot | None = None,
        flags: Flags | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        http_client: Any = None,
        on_fallback: OnFallback | None = None,
    ) -> None:
        super().__init__(
            snapshot=snapshot,
            flags=flags,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
            on_fallback=on_fallback,
            asynchronous=False,
        )
        self.messages = Messages(self)

    def close(self) -> None:
        """Close every SDK client this client built and the hardened http clients under them
        (their pooled connections); an ``http_client=`` of the caller stays open (the caller
        closes it). The client stays usable: a later request opens new connections."""
        for c in self._take_clients():
            c.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


# -- async -----------------------------------------------------------------------------------


async def _drive_async(walk: _Walk[Any], send: Callable[[Attempt, dict[str, Any]], Any]) -> Any:
    key = walk.key
    if key is not None:
        while True:
            state, known, flight = SIDE_MEMORY.claim(key)
            if state == "wait" and flight is not None:
                await SIDE_MEMORY.wait_async(flight)
                continue
            walk.claimed(state, known)
            break
    try:
        step: Attempt | Done = walk.begin()
        result: Any = None
        while isinstance(step, Attempt):
            if step.delay:
                await asyncio.sleep(step.delay)
            kwargs = walk.before(step)
            try:
                result = await send(step, kwargs)
            except Exception as exc:  # _reply_of re-raises what is not a reply
                step = walk.after(exc)
                continue
            step = walk.after(None, result)
    finally:
        walk.settle()
    if not step.ok:
        walk.raise_failure(result)
    _attach(result, walk.model_route())
    return result


class _AsyncStream:
    """``async with client.messages.stream(...) as stream:`` (the SDK's
    ``AsyncMessageStream``), the fallback chain run in ``__aenter__``."""

    def __init__(
        self, owner: AsyncClient, make: Callable[[Snapshot], _Walk[Any]], walk: _Walk[Any] | None
    ) -> None:
        self._owner = owner
        self._make = make
        self._walk_made = walk  # made in __aenter__ while Bedrock profiles are being listed
        self._manager: Any = None
        self._held: _AsyncHeld | None = None
        self._stream: Any = None

    @property
    def _walk(self) -> _Walk[Any]:
        assert self._walk_made is not None
        return self._walk_made

    async def __aenter__(self) -> Any:
        if self._walk_made is None:
            self._walk_made = self._make(await self._owner._snapshot_async())

        walk = self._walk

        async def send(step: Attempt, kwargs: dict[str, Any]) -> Any:
            await self._close_opened()  # a refused reply's stream, before the next attempt
            sdk = self._owner.sdk_client(step.call)
            if step.kind == "retry":  # Claude Code's 404 retry is not streamed
                raw = await sdk.messages.with_raw_response.create(**kwargs)
                message = await raw.parse()
                walk.stop = stop_of(message)
                return replayed(message, raw.http_response, asynchronous=True)
            if walk.route.refusal is not None:  # main loop: a refusal before any text
                from anthropic.lib.streaming import AsyncMessageStream

                held = await hold_async(await sdk.messages.create(stream=True, **kwargs))
                self._held = held
                walk.stop = held.stop
                return AsyncMessageStream(held, output_format=_anthropic().NOT_GIVEN)  # type: ignore[arg-type]
            manager = sdk.messages.stream(**kwargs)
            stream = await manager.__aenter__()
            self._manager = manager
            return stream

        try:
            self._stream = await _drive_async(walk, send)
        except BaseException:
            await self._close_opened()
            raise
        return self._stream

    async def _close_opened(self) -> None:
        if self._manager is not None:
            manager, self._manager = self._manager, None
            await manager.__aexit__(None, None, None)
        if self._held is not None:
            held, self._held = self._held, None
            await held.close()

    async def __aexit__(self, *exc: Any) -> None:
        if self._manager is not None:
            manager, self._manager = self._manager, None
            await manager.__aexit__(*exc)
        elif self._stream is not None:
            await self._stream.close()
        if self._stream is not None:
            name = "_AsyncMessageStream__final_message_snapshot"
            snapshot = getattr(self._stream, name, None)
            if snapshot is not None:
                _attach(snapshot, self._walk.model_route())


class AsyncMessages:
    """``client.messages`` of :class:`AsyncClient`: ``await create(...)``, ``stream(...)``."""

    def __init__(self, owner: AsyncClient) -> None:
        self._owner = owner

    async def create(
        self,
        *,
        messages: Sequence[Any],
        role: Literal["main", "side"] = "main",
        agent: Mapping[str, Any] | None = None,
        skill: str | None = None,
        on_fallback: OnFallback | None = None,
        **params: Any,
    ) -> Any:
        """As :meth:`Messages.create`, awaited."""
        prep = prepare(
            await self._owner._snapshot_async(),
            role=role,
            agent=agent,
            skill=skill,
            params={**params, "messages": messages},
        )
        walk: _Walk[Any] = _Walk(self._owner, prep, on_fallback)
        owner = self._owner

        async def send(step: Attempt, kwargs: dict[str, Any]) -> Any:
            return await owner.sdk_client(step.call).messages.create(**kwargs)

        return await _drive_async(walk, send)

    def stream(
        self,
        *,
        messages: Sequence[Any],
        role: Literal["main", "side"] = "main",
        agent: Mapping[str, Any] | None = None,
        skill: str | None = None,
        on_fallback: OnFallback | None = None,
        **params: Any,
    ) -> _AsyncStream:
        """As :meth:`Messages.stream`, with ``async with``."""
        owner = self._owner

        def make(snapshot: Snapshot) -> _Walk[Any]:
            prep = prepare(
                snapshot,
                role=role,
                agent=agent,
                skill=skill,
                params={**params, "messages": messages},
            )
            return _Walk(owner, prep, on_fallback)

        # checked at once, unless the Bedrock listing is still landing (then in `async with`)
        walk = make(owner._snapshot) if owner._listing is None else None
        return _AsyncStream(owner, make, walk)


class AsyncClient(_Base):
    """:class:`Client` on the SDK's async clients (``AsyncAnthropic``,
    ``AsyncAnthropicBedrock``, ``AsyncAnthropicVertex``, ``AsyncAnthropicFoundry``, ...);
    ``http_client`` is an ``httpx.AsyncClient``."""

    def __init__(
        self,
        *,
        snapshot: Snapshot | None = None,
        flags: Flags | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        http_client: Any = None,
        on_fallback: OnFallback | None = None,
    ) -> None:
        super().__init__(
            snapshot=snapshot,
            flags=flags,
            timeout=timeout,
            max_retries=max_retries,
            http_client=http_client,
            on_fallback=on_fallback,
            asynchronous=True,
        )
        self.messages = AsyncMessages(self)

    async def aclose(self) -> None:
        """As :meth:`Client.close`, awaited (``async with AsyncClient() as client:`` calls it)."""
        for c in self._take_clients():
            await c.close()

    async def close(self) -> None:
        """The same as :meth:`aclose` (the name the SDK's async clients use)."""
        await self.aclose()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()


__all__ = ["AsyncClient", "Client", "ModelRoute", "route_of"]
