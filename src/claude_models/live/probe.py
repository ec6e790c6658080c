"""``validate_model``: the one-shot probe ``/model`` sends for an id it does not know.

Seed lesson 11 and BEHAVIOUR.md 8d: ``max_tokens: 1``, user text ``Hi``, no retries. A 404 means
the model does not exist here ("Model 'X' not found"); on 3P the catalog's ``fallback_3p`` is
suggested. Every probe has a timeout: ``CLAUDE_MODELS_PROBE_TIMEOUT`` seconds (default 15).
"""

from __future__ import annotations

from typing import Final

from claude_models import env as E
from claude_models import providers
from claude_models._record import record, replace
from claude_models.errors import LiveError
from claude_models.live.chain import suggestion_3p
from claude_models.live.clients import Call, Reply, fault_line, redact, send, timeout_setting
from claude_models.resolvers.context import context_of
from claude_models.resolvers.setting import resolve_setting
from claude_models.result import Resolution
from claude_models.snapshot import Snapshot

PROBE_TIMEOUT_VAR: Final = E.PROBE_TIMEOUT
DEFAULT_PROBE_TIMEOUT: Final = 15.0
VERDICTS: Final = ("available", "not_found", "access_denied", "other")


@record
class ProbeResult:
    model: str  # the wire id probed
    verdict: str  # "available" | "not_found" | "access_denied" | "other"
    status: int | None
    message: str
    suggestion: str | None
    # what the modelled release does by itself with this model as the main loop, once refused
    fallback: str | None = None


def probe_timeout(snapshot: Snapshot) -> float:
    """Seconds; a value that is not a finite number above 0 raises ``LiveError`` naming it."""
    return timeout_setting(snapshot.env, PROBE_TIMEOUT_VAR, DEFAULT_PROBE_TIMEOUT)


def wire_model(snapshot: Snapshot, model: str) -> tuple[str, str | None]:
    """What ``model`` (an alias, a known id in any spelling, or anything else, verbatim) is
    sent as on this snapshot's provider, and the region it goes to."""
    ctx = context_of(snapshot)
    r = resolve_setting(model, ctx, explicit=True)
    region, _ = providers.region(ctx.provider, r.window_model, ctx.env)
    return r.wire, region


def validate_model(snapshot: Snapshot, model: str) -> ProbeResult:
    """Probe ``model`` once. Never raises for a reply or a network fault; raises
    :class:`~claude_models.errors.ModelURLError` for an id that would change the URL."""
    provider, _ = providers.detect(snapshot.env)
    wire, region = wire_model(snapshot, model)
    call = Call(wire, 1, region=region)
    try:
        reply = send(
            provider,
            snapshot.env,
            call,
            "Hi",
            timeout=probe_timeout(snapshot),
            timeout_var=PROBE_TIMEOUT_VAR,
        )
    except LiveError as exc:
        return ProbeResult(wire, "other", None, redact(str(exc), snapshot.env), None)
    result = result_of(provider, wire, reply, snapshot)
    if result.verdict in ("not_found", "access_denied"):
        result = replace(result, fallback=_as_main(snapshot, model, result.status or 403))
    return result


def _as_main(snapshot: Snapshot, model: str, status: int) -> str | None:
    """With ``model`` as the main loop (``--model``), the modelled release's own next step."""
    from claude_models.resolver import resolve

    snap = replace(
        snapshot,
        flags=replace(snapshot.flags, model=model, fallback_model=None),
        session=replace(snapshot.session, model=None),
    )
    nxt = release_fallback(snap, resolve(snap), "main", status)
    return nxt.describe() if nxt is not None else None


def result_of(provider: str, wire: str, reply: Reply, snapshot: Snapshot) -> ProbeResult:
    """The verdict of one probe reply, its message cleared of any secret."""
    r = _verdict(provider, wire, reply, snapshot)
    return ProbeResult(r.model, r.verdict, r.status, redact(r.message, snapshot.env), r.suggestion)


def _verdict(provider: str, wire: str, reply: Reply, snapshot: Snapshot) -> ProbeResult:
    if reply.kind == "ok":  # a 200, refused by the safety classifier or not: the model is there
        return ProbeResult(wire, "available", reply.status, f"Model '{wire}' is available", None)
    suggestion = suggestion_3p(provider, wire, snapshot.env)
    if reply.status == 404:
        return ProbeResult(wire, "not_found", 404, f"Model '{wire}' not found", suggestion)
    if reply.status == 403:
        return ProbeResult(
            wire,
            "access_denied",
            403,
            f"Access to model '{wire}' denied on {provider}: {reply.message}",
            suggestion,
        )
    return ProbeResult(
        wire, "other", reply.status, fault_line(provider, wire, reply, snapshot.env), None
    )


# -- what the modelled release does by itself after a refusal (doctor --live, validate) -----


@record
class ReleaseFallback:
    """A refused model's next request under the modelled Claude Code release's own rules."""

    version: str
    action: str  # "steps down to" | "retries on the main-loop model"
    call: Call

    def describe(self) -> str:
        return f"Claude Code {self.version} {self.action} {self.call.model} by itself"


def release_fallback(
    snapshot: Snapshot, res: Resolution, role: str, status: int = 403
) -> ReleaseFallback | None:
    """What the modelled release sends next when the model of ``role`` (``main`` or ``side``)
    is refused with ``status``, with no help from the user (``None``: nothing, it fails)."""
    from claude_models.live.plan import Attempt, Planner, route_for

    if role not in ("main", "side") or (role == "side" and res.side is None):
        return None
    route = route_for(snapshot, res, "main" if role == "main" else "side")
    if role == "main" and route.fallbacks:
        return None  # the configured fallback models: doctor probes them itself
    planner = Planner(route)
    planner.start()
    switched: Attempt | None = None
    for _ in range(3):  # a 404 first gets its same-model retry
        nxt = planner.feed(Reply(status, "status"))
        if not isinstance(nxt, Attempt):
            return None
        if nxt.switch is not None:
            switched = nxt
            break
    if switched is None:
        return None
    step = switched
    side_main = res.side.on_main if res.side is not None else None
    on_main = role == "side" and step.call.model == (side_main or res.main).model
    action = "retries on the main-loop model" if on_main else "steps down to"
    return ReleaseFallback(snapshot.claude_version, action, step.call)
